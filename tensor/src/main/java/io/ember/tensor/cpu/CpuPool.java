package io.ember.tensor.cpu;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/**
 * Pooling kernels: direct loops over each (n, c) plane, planes split over threads. Window rules
 * follow PyTorch's CPU kernels: max pooling skips out-of-bounds taps and keeps the first maximum
 * (a NaN wins); average pooling clips windows to the padded input for the count-include-pad
 * divisor and to the input for the sum. Float32 data is summed in double.
 */
final class CpuPool {
    private static final int GRAIN = 4;

    private CpuPool() {
    }

    /** Reads element i of a FLOAT32 or FLOAT64 array. */
    private static double get(float[] f, double[] d, int i) {
        return f != null ? f[i] : d[i];
    }

    private static void add(float[] f, double[] d, int i, double v) {
        if (f != null) {
            f[i] += (float) v;
        } else {
            d[i] += v;
        }
    }

    private static void put(float[] f, double[] d, int i, double v) {
        if (f != null) {
            f[i] = (float) v;
        } else {
            d[i] = v;
        }
    }

    private static float[] fa(NDArray x) {
        return x.dtype() == DType.FLOAT32 ? Host.f(x) : null;
    }

    private static double[] da(NDArray x) {
        return x.dtype() == DType.FLOAT32 ? null : Host.d(x);
    }

    static void maxPool2d(NDArray input, int[] params, NDArray out, NDArray indices) {
        NDArray x = input.contiguous();
        if (x.dtype() == DType.FLOAT32 && out.isContiguous() && indices.isContiguous()) {
            MaxPoolF32.run(x, params, out, indices);
            return;
        }
        int kh = params[0], kw = params[1], sh = params[2], sw = params[3];
        int ph = params[4], pw = params[5], dh = params[6], dw = params[7];
        int h = x.size(2), w = x.size(3), oh = out.size(2), ow = out.size(3);
        float[] xf = fa(x);
        double[] xd = da(x);
        float[] of = fa(out);
        double[] od = da(out);
        long[] idx = Host.l(indices);
        Parallel.forRange(x.size(0) * x.size(1), GRAIN, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int xo = x.offset() + p * h * w;
                int oo = out.offset() + p * oh * ow;
                int io = indices.offset() + p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    int ih0 = oy * sh - ph;
                    int ih1 = Math.min(ih0 + (kh - 1) * dh + 1, h);
                    while (ih0 < 0) {
                        ih0 += dh;
                    }
                    for (int ox = 0; ox < ow; ox++) {
                        int iw0 = ox * sw - pw;
                        int iw1 = Math.min(iw0 + (kw - 1) * dw + 1, w);
                        while (iw0 < 0) {
                            iw0 += dw;
                        }
                        int best = ih0 * w + iw0;
                        double max = Double.NEGATIVE_INFINITY;
                        for (int iy = ih0; iy < ih1; iy += dh) {
                            for (int ix = iw0; ix < iw1; ix += dw) {
                                double v = get(xf, xd, xo + iy * w + ix);
                                if (v > max || Double.isNaN(v)) {
                                    max = v;
                                    best = iy * w + ix;
                                }
                            }
                        }
                        put(of, od, oo + oy * ow + ox, max);
                        idx[io + oy * ow + ox] = best;
                    }
                }
            }
        });
    }

    static void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradInput) {
        NDArray gy = gradOut.contiguous();
        NDArray ix = indices.contiguous();
        int plane = gradInput.size(2) * gradInput.size(3);
        int oplane = gy.size(2) * gy.size(3);
        float[] yf = fa(gy);
        double[] yd = da(gy);
        float[] gf = fa(gradInput);
        double[] gd = da(gradInput);
        long[] idx = Host.l(ix);
        if (yf != null && gf != null) {
            int goff = gradInput.offset(), yoff = gy.offset(), ioff = ix.offset();
            Parallel.forRange(gy.size(0) * gy.size(1), GRAIN, (lo, hi) -> {
                for (int p = lo; p < hi; p++) {
                    int go = goff + p * plane;
                    int yo = yoff + p * oplane;
                    int io = ioff + p * oplane;
                    for (int i = 0; i < oplane; i++) {
                        gf[go + (int) idx[io + i]] += yf[yo + i];
                    }
                }
            });
            return;
        }
        Parallel.forRange(gy.size(0) * gy.size(1), GRAIN, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int go = gradInput.offset() + p * plane;
                int yo = gy.offset() + p * oplane;
                int io = ix.offset() + p * oplane;
                for (int i = 0; i < oplane; i++) {
                    add(gf, gd, go + (int) idx[io + i], get(yf, yd, yo + i));
                }
            }
        });
    }

    /** The window of one output element: clipped bounds and divisor, or null when it is empty. */
    private static int[] avgWindow(int oy, int ox, int h, int w, int[] params) {
        int kh = params[0], kw = params[1], sh = params[2], sw = params[3], ph = params[4], pw = params[5];
        int ih0 = oy * sh - ph;
        int iw0 = ox * sw - pw;
        int ih1 = Math.min(ih0 + kh, h + ph);
        int iw1 = Math.min(iw0 + kw, w + pw);
        int poolSize = (ih1 - ih0) * (iw1 - iw0);
        ih0 = Math.max(ih0, 0);
        iw0 = Math.max(iw0, 0);
        ih1 = Math.min(ih1, h);
        iw1 = Math.min(iw1, w);
        if (ih0 >= ih1 || iw0 >= iw1) {
            return null;
        }
        int divisor;
        if (params[7] != 0) {
            divisor = params[7];
        } else if (params[6] != 0) {
            divisor = poolSize;
        } else {
            divisor = (ih1 - ih0) * (iw1 - iw0);
        }
        return new int[] {ih0, ih1, iw0, iw1, divisor};
    }

    static void avgPool2d(NDArray input, int[] params, NDArray out) {
        NDArray x = input.contiguous();
        int h = x.size(2), w = x.size(3), oh = out.size(2), ow = out.size(3);
        float[] xf = fa(x);
        double[] xd = da(x);
        float[] of = fa(out);
        double[] od = da(out);
        Parallel.forRange(x.size(0) * x.size(1), GRAIN, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int xo = x.offset() + p * h * w;
                int oo = out.offset() + p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int[] win = avgWindow(oy, ox, h, w, params);
                        double r = 0;
                        if (win != null) {
                            double s = 0;
                            for (int iy = win[0]; iy < win[1]; iy++) {
                                for (int ix = win[2]; ix < win[3]; ix++) {
                                    s += get(xf, xd, xo + iy * w + ix);
                                }
                            }
                            r = s / win[4];
                        }
                        put(of, od, oo + oy * ow + ox, r);
                    }
                }
            }
        });
    }

    static void avgPool2dBackward(NDArray gradOut, int[] params, NDArray gradInput) {
        NDArray gy = gradOut.contiguous();
        int h = gradInput.size(2), w = gradInput.size(3), oh = gy.size(2), ow = gy.size(3);
        float[] yf = fa(gy);
        double[] yd = da(gy);
        float[] gf = fa(gradInput);
        double[] gd = da(gradInput);
        Parallel.forRange(gy.size(0) * gy.size(1), GRAIN, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int go = gradInput.offset() + p * h * w;
                int yo = gy.offset() + p * oh * ow;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int[] win = avgWindow(oy, ox, h, w, params);
                        if (win == null) {
                            continue;
                        }
                        double g = get(yf, yd, yo + oy * ow + ox) / win[4];
                        for (int iy = win[0]; iy < win[1]; iy++) {
                            for (int ix = win[2]; ix < win[3]; ix++) {
                                add(gf, gd, go + iy * w + ix, g);
                            }
                        }
                    }
                }
            }
        });
    }
}
