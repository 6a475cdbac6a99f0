package io.ember.tensor.cpu;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Convolution kernels. FLOAT32 goes to {@link ConvF32} (im2col of several images side by side, one
 * OpenBLAS sgemm per chunk and group). FLOAT64: im2col per image and group, then plain GEMM loops,
 * work split over the batch, each worker owning its column buffer. Inputs are made contiguous here,
 * so any strided view is accepted.
 */
final class CpuConv {
    private CpuConv() {
    }

    /** The geometry of one call; the column matrix of one group is [cg * kh * kw, oh * ow]. */
    private record Geo(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow,
            int sh, int sw, int ph, int pw, int dh, int dw, int groups) {
        int cg() {
            return c / groups;
        }

        int og() {
            return o / groups;
        }

        int kk() {
            return cg() * kh * kw;
        }

        int l() {
            return oh * ow;
        }

        /** Whether the column matrix is the input itself (1x1 kernel, stride 1, no padding). */
        boolean identity() {
            return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0;
        }

        ConvF32.Geo f32() {
            return new ConvF32.Geo(n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups);
        }

        static Geo of(int[] in, int[] wt, int[] out, int[] p) {
            return new Geo(in[0], in[1], in[2], in[3], wt[0], wt[2], wt[3], out[2], out[3],
                    p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
        }
    }

    static void conv2d(NDArray input, NDArray weight, NDArray bias, int[] params, NDArray out) {
        Geo g = Geo.of(Host.shape(input), Host.shape(weight), Host.shape(out), params);
        NDArray x = input.contiguous();
        NDArray wt = weight.contiguous();
        NDArray b = bias == null ? null : bias.contiguous();
        boolean f32 = out.dtype() == DType.FLOAT32;
        Object xa = array(x);
        Object wa = array(wt);
        Object oa = array(out);
        int l = g.l();
        int kk = g.kk();
        int og = g.og();
        if (g.n == 0 || l == 0 || g.o == 0) {
            return;
        }
        if (f32 && kk > 0) {
            ConvF32.forward(g.f32(), Host.f(x), x.offset(), Host.f(wt), wt.offset(), b == null ? null : Host.f(b),
                    b == null ? 0 : b.offset(), Host.f(out), out.offset());
            return;
        }
        Parallel.forRange(g.n, 1, (lo, hi) -> {
            Object cols = g.identity() || kk == 0 ? null : buffer(f32, kk * l);
            for (int n = lo; n < hi; n++) {
                for (int grp = 0; grp < g.groups; grp++) {
                    int xo = x.offset() + (n * g.c + grp * g.cg()) * g.h * g.w;
                    int oo = out.offset() + (n * g.o + grp * og) * l;
                    if (kk == 0) {
                        fillZero(oa, oo, og * l);
                    } else if (g.identity()) {
                        gemm(false, false, og, l, kk, wa, wt.offset() + grp * og * kk, kk, xa, xo, l, false,
                                oa, oo, l);
                    } else {
                        im2col(xa, xo, g, cols);
                        gemm(false, false, og, l, kk, wa, wt.offset() + grp * og * kk, kk, cols, 0, l, false,
                                oa, oo, l);
                    }
                }
                if (b != null) {
                    addBias(oa, out.offset() + n * g.o * l, array(b), b.offset(), g.o, l);
                }
            }
        });
    }

    static void backwardInput(NDArray gradOut, NDArray weight, int[] params, NDArray gradInput) {
        Geo g = Geo.of(Host.shape(gradInput), Host.shape(weight), Host.shape(gradOut), params);
        NDArray gy = gradOut.contiguous();
        NDArray wt = weight.contiguous();
        boolean f32 = gradInput.dtype() == DType.FLOAT32;
        Object gya = array(gy);
        Object wa = array(wt);
        Object gxa = array(gradInput);
        fillZero(gxa, gradInput.offset(), gradInput.numel());
        int l = g.l();
        int kk = g.kk();
        int og = g.og();
        if (g.n == 0 || l == 0 || og == 0 || kk == 0) {
            return;
        }
        if (f32) {
            ConvF32.backwardInput(g.f32(), Host.f(gy), gy.offset(), Host.f(wt), wt.offset(), Host.f(gradInput),
                    gradInput.offset());
            return;
        }
        Parallel.forRange(g.n, 1, (lo, hi) -> {
            Object cols = buffer(f32, kk * l);
            for (int n = lo; n < hi; n++) {
                for (int grp = 0; grp < g.groups; grp++) {
                    int gyo = gy.offset() + (n * g.o + grp * og) * l;
                    int gxo = gradInput.offset() + (n * g.c + grp * g.cg()) * g.h * g.w;
                    // cols [kk, L] = W_g^T [kk, og] x gradOut_g [og, L]
                    gemm(true, false, kk, l, og, wa, wt.offset() + grp * og * kk, kk, gya, gyo, l, false,
                            cols, 0, l);
                    col2im(cols, g, gxa, gxo);
                }
            }
        });
    }

    static void backwardWeight(NDArray gradOut, NDArray input, int[] params, NDArray gradWeight) {
        Geo g = Geo.of(Host.shape(input), Host.shape(gradWeight), Host.shape(gradOut), params);
        NDArray gy = gradOut.contiguous();
        NDArray x = input.contiguous();
        boolean f32 = gradWeight.dtype() == DType.FLOAT32;
        Object gya = array(gy);
        Object xa = array(x);
        Object gwa = array(gradWeight);
        int total = gradWeight.numel();
        fillZero(gwa, gradWeight.offset(), total);
        int l = g.l();
        int kk = g.kk();
        int og = g.og();
        if (g.n == 0 || l == 0 || og == 0 || kk == 0) {
            return;
        }
        if (f32) {
            ConvF32.backwardWeight(g.f32(), Host.f(gy), gy.offset(), Host.f(x), x.offset(), Host.f(gradWeight),
                    gradWeight.offset());
            return;
        }
        // Per-chunk partial sums, added in chunk order so that results do not depend on timing.
        Map<Integer, Object> partials = new TreeMap<>();
        Parallel.forRange(g.n, 1, (lo, hi) -> {
            Object acc = buffer(f32, total);
            Object cols = g.identity() ? null : buffer(f32, kk * l);
            for (int n = lo; n < hi; n++) {
                for (int grp = 0; grp < g.groups; grp++) {
                    int gyo = gy.offset() + (n * g.o + grp * og) * l;
                    int xo = x.offset() + (n * g.c + grp * g.cg()) * g.h * g.w;
                    Object src = cols;
                    int so = 0;
                    if (g.identity()) {
                        src = xa;
                        so = xo;
                    } else {
                        im2col(xa, xo, g, cols);
                    }
                    // gradW_g [og, kk] += gradOut_g [og, L] x cols^T [L, kk]
                    gemm(false, true, og, kk, l, gya, gyo, l, src, so, l, true, acc, grp * og * kk, kk);
                }
            }
            synchronized (partials) {
                partials.put(lo, acc);
            }
        });
        for (Object acc : partials.values()) {
            if (f32) {
                float[] s = (float[]) acc;
                float[] d = (float[]) gwa;
                for (int i = 0; i < total; i++) {
                    d[gradWeight.offset() + i] += s[i];
                }
            } else {
                double[] s = (double[]) acc;
                double[] d = (double[]) gwa;
                for (int i = 0; i < total; i++) {
                    d[gradWeight.offset() + i] += s[i];
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Object array(NDArray x) {
        return x.dtype() == DType.FLOAT32 ? Host.f(x) : Host.d(x);
    }

    private static Object buffer(boolean f32, int n) {
        return f32 ? new float[n] : new double[n];
    }

    private static void fillZero(Object a, int off, int n) {
        if (a instanceof float[] f) {
            Arrays.fill(f, off, off + n, 0f);
        } else {
            Arrays.fill((double[]) a, off, off + n, 0.0);
        }
    }

    private static void addBias(Object out, int off, Object bias, int bo, int o, int l) {
        for (int j = 0; j < o; j++) {
            int base = off + j * l;
            if (out instanceof float[] f) {
                float v = ((float[]) bias)[bo + j];
                for (int i = 0; i < l; i++) {
                    f[base + i] += v;
                }
            } else {
                double[] d = (double[]) out;
                double v = ((double[]) bias)[bo + j];
                for (int i = 0; i < l; i++) {
                    d[base + i] += v;
                }
            }
        }
    }

    /** Row-major {@code C (+)= op(A) op(B)}: sgemm for floats, loops for doubles. */
    private static void gemm(boolean ta, boolean tb, int m, int n, int k, Object a, int ao, int lda,
            Object b, int bo, int ldb, boolean accumulate, Object c, int co, int ldc) {
        if (a instanceof float[] fa) {
            CpuGemm.sgemm(ta, tb, m, n, k, 1f, fa, ao, lda, (float[]) b, bo, ldb, accumulate ? 1f : 0f,
                    (float[]) c, co, ldc);
            return;
        }
        double[] x = (double[]) a;
        double[] y = (double[]) b;
        double[] z = (double[]) c;
        for (int i = 0; i < m; i++) {
            int crow = co + i * ldc;
            if (!accumulate) {
                Arrays.fill(z, crow, crow + n, 0.0);
            }
            for (int p = 0; p < k; p++) {
                double av = ta ? x[ao + p * lda + i] : x[ao + i * lda + p];
                if (av == 0) {
                    continue;
                }
                if (tb) {
                    for (int j = 0; j < n; j++) {
                        z[crow + j] += av * y[bo + j * ldb + p];
                    }
                } else {
                    int brow = bo + p * ldb;
                    for (int j = 0; j < n; j++) {
                        z[crow + j] += av * y[brow + j];
                    }
                }
            }
        }
    }

    /** Unfolds one group's channels (starting at xo) into cols [cg * kh * kw, oh * ow]. */
    private static void im2col(Object x, int xo, Geo g, Object cols) {
        int l = g.l();
        int row = 0;
        for (int ci = 0; ci < g.cg(); ci++) {
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        int base = row * l + oy * g.ow;
                        if (iy < 0 || iy >= g.h) {
                            fillZero(cols, base, g.ow);
                            continue;
                        }
                        int xrow = xo + (ci * g.h + iy) * g.w;
                        int ix = -g.pw + kj * g.dw;
                        if (x instanceof float[] xf) {
                            float[] cf = (float[]) cols;
                            for (int ox = 0; ox < g.ow; ox++, ix += g.sw) {
                                cf[base + ox] = ix >= 0 && ix < g.w ? xf[xrow + ix] : 0f;
                            }
                        } else {
                            double[] xd = (double[]) x;
                            double[] cd = (double[]) cols;
                            for (int ox = 0; ox < g.ow; ox++, ix += g.sw) {
                                cd[base + ox] = ix >= 0 && ix < g.w ? xd[xrow + ix] : 0.0;
                            }
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: adds cols back into one group's channels (starting at xo). */
    private static void col2im(Object cols, Geo g, Object x, int xo) {
        int l = g.l();
        int row = 0;
        for (int ci = 0; ci < g.cg(); ci++) {
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        if (iy < 0 || iy >= g.h) {
                            continue;
                        }
                        int base = row * l + oy * g.ow;
                        int xrow = xo + (ci * g.h + iy) * g.w;
                        int ix = -g.pw + kj * g.dw;
                        if (x instanceof float[] xf) {
                            float[] cf = (float[]) cols;
                            for (int ox = 0; ox < g.ow; ox++, ix += g.sw) {
                                if (ix >= 0 && ix < g.w) {
                                    xf[xrow + ix] += cf[base + ox];
                                }
                            }
                        } else {
                            double[] xd = (double[]) x;
                            double[] cd = (double[]) cols;
                            for (int ox = 0; ox < g.ow; ox++, ix += g.sw) {
                                if (ix >= 0 && ix < g.w) {
                                    xd[xrow + ix] += cd[base + ox];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
