package io.ember.tensor.cpu;

import java.util.Arrays;

/**
 * FLOAT32 convolution with batched GEMMs: the columns of {@code nb} images are laid side by side in one
 * {@code [kk, nb * L]} matrix, so each group needs one large sgemm per chunk instead of {@code nb} small
 * ones (OpenBLAS then runs its own threads on one large product rather than two Java threads each calling
 * a threaded OpenBLAS). The memory-bound parts (im2col, col2im, moving gradOut/out between {@code [N, O, L]}
 * and {@code [O, nb * L]}) are split over the images of a chunk. Chunks run in order and their size does
 * not depend on the thread count, so results do not either.
 *
 * <p>Arrays are the contiguous storage of the caller's arrays, addressed through offsets.
 */
final class ConvF32 {
    /** Floats in one column matrix: chunks take as many images as fit (at least one). */
    static volatile int colsBudget = 1 << 18;

    private ConvF32() {
    }

    /** One thread's reusable buffers (the chunk loop runs on the calling thread). */
    private static final class Scratch {
        float[] cols = new float[0];
        float[] mat = new float[0];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Geometry: input [n, c, h, w], weight [o, c / groups, kh, kw], output [n, o, oh, ow]. */
    record Geo(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow,
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

        /**
         * One GEMM per image, reading and writing gradOut/out in place, when the output channels outnumber the
         * column rows (the first layer: moving [og, L] blocks would cost more than the larger GEMMs save).
         */
        boolean perImage() {
            return og() > kk();
        }

        /** Images per chunk. */
        int nb() {
            long per = Math.max(1L, (long) Math.max(kk(), og()) * l());
            return (int) Math.max(1, Math.min(n, colsBudget / per));
        }
    }

    private static Scratch scratch(int cols, int mat) {
        Scratch s = SCRATCH.get();
        if (s.cols.length < cols) {
            s.cols = new float[cols];
        }
        if (s.mat.length < mat) {
            s.mat = new float[mat];
        }
        return s;
    }

    static void forward(Geo g, float[] x, int xOff, float[] wt, int wOff, float[] bias, int bOff, float[] out,
            int oOff) {
        int l = g.l(), kk = g.kk(), og = g.og(), nb = g.nb();
        Scratch s = scratch(kk * nb * l, g.perImage() ? 0 : og * nb * l);
        float[] cols = s.cols;
        float[] mat = s.mat;
        for (int n0 = 0; n0 < g.n; n0 += nb) {
            int m = Math.min(nb, g.n - n0);
            int ld = m * l;
            int first = n0;
            for (int grp = 0; grp < g.groups; grp++) {
                int gr = grp;
                Parallel.forRange(m, 1, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        int xo = xOff + ((first + i) * g.c + gr * g.cg()) * g.h * g.w;
                        im2col(g, x, xo, cols, i * l, ld);
                    }
                });
                if (g.perImage()) {
                    for (int i = 0; i < m; i++) {
                        CpuGemm.sgemm(false, false, og, l, kk, 1f, wt, wOff + grp * og * kk, kk, cols, i * l, ld, 0f,
                                out, oOff + ((first + i) * g.o + gr * og) * l, l);
                    }
                } else {
                    CpuGemm.sgemm(false, false, og, ld, kk, 1f, wt, wOff + grp * og * kk, kk, cols, 0, ld, 0f, mat,
                            0, ld);
                }
                if (g.perImage() && bias == null) {
                    continue;
                }
                Parallel.forRange(m, 1, (lo, hi) -> {
                    for (int i = lo; i < hi; i++) {
                        for (int j = 0; j < og; j++) {
                            int dst = oOff + ((first + i) * g.o + gr * og + j) * l;
                            if (!g.perImage()) {
                                System.arraycopy(mat, j * ld + i * l, out, dst, l);
                            }
                            if (bias != null) {
                                float b = bias[bOff + gr * og + j];
                                for (int t = dst; t < dst + l; t++) {
                                    out[t] += b;
                                }
                            }
                        }
                    }
                });
            }
        }
    }

    /** gradInput must be zero-filled by the caller (the general path adds into it, the same-width path stores). */
    static void backwardInput(Geo g, float[] gy, int gyOff, float[] wt, int wOff, float[] gx, int gxOff) {
        int l = g.l(), kk = g.kk(), og = g.og(), nb = g.nb();
        Scratch s = scratch(kk * nb * l, g.perImage() ? 0 : og * nb * l);
        float[] cols = s.cols;
        float[] mat = s.mat;
        for (int n0 = 0; n0 < g.n; n0 += nb) {
            int m = Math.min(nb, g.n - n0);
            int ld = m * l;
            int first = n0;
            for (int grp = 0; grp < g.groups; grp++) {
                int gr = grp;
                // cols [kk, m L] = W_g^T [kk, og] x gradOut_g [og, m L]
                if (g.perImage()) {
                    for (int i = 0; i < m; i++) {
                        CpuGemm.sgemm(true, false, kk, l, og, 1f, wt, wOff + grp * og * kk, kk, gy,
                                gyOff + ((first + i) * g.o + gr * og) * l, l, 0f, cols, i * l, ld);
                    }
                } else {
                    Parallel.forRange(m, 1, (lo, hi) -> gather(g, gy, gyOff, first, gr, lo, hi, mat, ld));
                    CpuGemm.sgemm(true, false, kk, ld, og, 1f, wt, wOff + grp * og * kk, kk, mat, 0, ld, 0f, cols,
                            0, ld);
                }
                Parallel.forRange(m, 1, (lo, hi) -> {
                    float[] acc = sameWidth(g) ? new float[g.h * g.w] : null;
                    float[] stage = sameWidth(g) ? new float[g.h * g.w] : null;
                    for (int i = lo; i < hi; i++) {
                        int xo = gxOff + ((first + i) * g.c + gr * g.cg()) * g.h * g.w;
                        if (acc != null) {
                            col2imSame(g, cols, i * l, ld, gx, xo, acc, stage);
                        } else {
                            col2im(g, cols, i * l, ld, gx, xo);
                        }
                    }
                });
            }
        }
    }

    /** gradWeight must be zero-filled by the caller; it is added into. */
    static void backwardWeight(Geo g, float[] gy, int gyOff, float[] x, int xOff, float[] gw, int gwOff) {
        int l = g.l(), kk = g.kk(), og = g.og(), nb = g.nb();
        Scratch s = scratch(kk * nb * l, g.perImage() ? 0 : og * nb * l);
        float[] cols = s.cols;
        float[] mat = s.mat;
        for (int n0 = 0; n0 < g.n; n0 += nb) {
            int m = Math.min(nb, g.n - n0);
            int ld = m * l;
            int first = n0;
            for (int grp = 0; grp < g.groups; grp++) {
                int gr = grp;
                Parallel.forRange(m, 1, (lo, hi) -> {
                    if (!g.perImage()) {
                        gather(g, gy, gyOff, first, gr, lo, hi, mat, ld);
                    }
                    for (int i = lo; i < hi; i++) {
                        int xo = xOff + ((first + i) * g.c + gr * g.cg()) * g.h * g.w;
                        im2col(g, x, xo, cols, i * l, ld);
                    }
                });
                // gradW_g [og, kk] += gradOut_g [og, m L] x cols^T [m L, kk]
                if (g.perImage()) {
                    for (int i = 0; i < m; i++) {
                        CpuGemm.sgemm(false, true, og, kk, l, 1f, gy, gyOff + ((first + i) * g.o + gr * og) * l, l,
                                cols, i * l, ld, 1f, gw, gwOff + grp * og * kk, kk);
                    }
                } else {
                    CpuGemm.sgemm(false, true, og, kk, ld, 1f, mat, 0, ld, cols, 0, ld, 1f, gw, gwOff + grp * og * kk,
                            kk);
                }
            }
        }
    }

    /** Copies gradOut of images first + [lo, hi), group grp, into mat [og, m L] (row stride ld). */
    private static void gather(Geo g, float[] gy, int gyOff, int first, int grp, int lo, int hi, float[] mat,
            int ld) {
        int l = g.l(), og = g.og();
        for (int i = lo; i < hi; i++) {
            for (int j = 0; j < og; j++) {
                System.arraycopy(gy, gyOff + ((first + i) * g.o + grp * og + j) * l, mat, j * ld + i * l, l);
            }
        }
    }

    /** First output column whose tap at kernel column kj is inside the input (may exceed ow). */
    private static int colLo(Geo g, int kj) {
        int need = g.pw - kj * g.dw; // ox * sw >= need
        return need <= 0 ? 0 : Math.min(g.ow, (need + g.sw - 1) / g.sw);
    }

    /** One past the last output column whose tap at kernel column kj is inside the input. */
    private static int colHi(Geo g, int kj, int lo) {
        int lim = g.w + g.pw - kj * g.dw; // ox * sw < lim
        int hi = lim <= 0 ? 0 : Math.min(g.ow, (lim + g.sw - 1) / g.sw);
        return Math.max(hi, lo);
    }

    /**
     * Unfolds one image's group channels (at xo) into columns [kk, L] at {@code co} with row stride ld:
     * row (ci, ki, kj), column (oy, ox) holds x[ci, oy sh - ph + ki dh, ox sw - pw + kj dw] or 0 outside.
     * The in-bounds column range depends only on kj, so each output row is zeros, a copy, zeros.
     */
    static void im2col(Geo g, float[] x, int xo, float[] cols, int co, int ld) {
        if (sameWidth(g)) {
            im2colSame(g, x, xo, cols, co, ld);
            return;
        }
        int row = 0;
        for (int ci = 0; ci < g.cg(); ci++) {
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int lo = colLo(g, kj);
                    int hi = colHi(g, kj, lo);
                    int ix0 = lo * g.sw - g.pw + kj * g.dw;
                    int rbase = co + row * ld;
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        int base = rbase + oy * g.ow;
                        if (iy < 0 || iy >= g.h) {
                            Arrays.fill(cols, base, base + g.ow, 0f);
                            continue;
                        }
                        if (lo > 0) {
                            Arrays.fill(cols, base, base + lo, 0f);
                        }
                        int src = xo + (ci * g.h + iy) * g.w + ix0;
                        if (g.sw == 1) {
                            System.arraycopy(x, src, cols, base + lo, hi - lo);
                        } else {
                            for (int ox = lo; ox < hi; ox++, src += g.sw) {
                                cols[base + ox] = x[src];
                            }
                        }
                        if (hi < g.ow) {
                            Arrays.fill(cols, base + hi, base + g.ow, 0f);
                        }
                    }
                }
            }
        }
    }

    /** Zeroes columns [0, lo) and [hi, ow) of output rows [y0, y1) of one column-matrix row at base. */
    private static void zeroWrapped(float[] cols, int base, int ow, int y0, int y1, int lo, int hi) {
        for (int ox = 0; ox < lo; ox++) {
            for (int oy = y0; oy < y1; oy++) {
                cols[base + oy * ow + ox] = 0f;
            }
        }
        for (int ox = hi; ox < ow; ox++) {
            for (int oy = y0; oy < y1; oy++) {
                cols[base + oy * ow + ox] = 0f;
            }
        }
    }

    /** Stride 1 and output as wide as the input: {@link #im2colSame} applies. */
    private static boolean sameWidth(Geo g) {
        return g.sh == 1 && g.sw == 1 && g.ow == g.w;
    }

    /** First output row whose tap at kernel row ki is inside the input (stride 1). */
    private static int rowLo(Geo g, int ki) {
        return Math.min(g.oh, Math.max(0, g.ph - ki * g.dh));
    }

    /** One past the last output row whose tap at kernel row ki is inside the input (stride 1). */
    private static int rowHi(Geo g, int ki, int lo) {
        return Math.max(lo, Math.min(g.oh, g.h + g.ph - ki * g.dh));
    }

    /**
     * im2col for stride 1 with {@code ow == w} ("same" padding): output position d = oy ow + ox reads input
     * d + shift, so each kernel tap's in-bounds rows are one contiguous copy; the few columns that wrapped
     * into a neighbouring input row are then zeroed.
     */
    private static void im2colSame(Geo g, float[] x, int xo, float[] cols, int co, int ld) {
        int w = g.w, ow = g.ow, l = g.l();
        int row = 0;
        for (int ci = 0; ci < g.cg(); ci++) {
            int plane = xo + ci * g.h * w;
            for (int ki = 0; ki < g.kh; ki++) {
                int y0 = rowLo(g, ki);
                int y1 = rowHi(g, ki, y0);
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int base = co + row * ld;
                    int lo = colLo(g, kj);
                    int hi = colHi(g, kj, lo);
                    int shift = (ki * g.dh - g.ph) * w + kj * g.dw - g.pw;
                    Arrays.fill(cols, base, base + y0 * ow, 0f);
                    Arrays.fill(cols, base + y1 * ow, base + l, 0f);
                    if (y1 == y0) {
                        continue;
                    }
                    if (hi <= lo) {
                        Arrays.fill(cols, base + y0 * ow, base + y1 * ow, 0f);
                        continue;
                    }
                    int d0 = y0 * ow + lo;
                    int d1 = (y1 - 1) * ow + hi;
                    System.arraycopy(x, plane + d0 + shift, cols, base + d0, d1 - d0);
                    zeroWrapped(cols, base, ow, y0, y1, lo, hi);
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2colSame} for one image: each channel plane is summed in {@code acc} and then
     * stored (the caller zero-filled gradInput, and each plane gets all its terms here). Per kernel tap, the
     * wrapped columns of the (scratch) columns are zeroed, the in-bounds run is copied into {@code stage} at
     * its input position, and added with a loop that indexes both arrays alike: C2 (JDK 17) leaves a loop
     * scalar when its arrays are indexed from different offsets, about 4x slower here.
     */
    private static void col2imSame(Geo g, float[] cols, int co, int ld, float[] x, int xo, float[] acc,
            float[] stage) {
        int w = g.w, ow = g.ow, hw = g.h * w;
        int row = 0;
        for (int ci = 0; ci < g.cg(); ci++) {
            Arrays.fill(acc, 0, hw, 0f);
            for (int ki = 0; ki < g.kh; ki++) {
                int y0 = rowLo(g, ki);
                int y1 = rowHi(g, ki, y0);
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int lo = colLo(g, kj);
                    int hi = colHi(g, kj, lo);
                    if (y1 == y0 || hi <= lo) {
                        continue;
                    }
                    int base = co + row * ld;
                    int shift = (ki * g.dh - g.ph) * w + kj * g.dw - g.pw;
                    zeroWrapped(cols, base, ow, y0, y1, lo, hi);
                    int d0 = y0 * ow + lo;
                    int n = (y1 - 1) * ow + hi - d0;
                    int a = d0 + shift;
                    System.arraycopy(cols, base + d0, stage, a, n);
                    for (int d = a; d < a + n; d++) {
                        acc[d] += stage[d];
                    }
                }
            }
            System.arraycopy(acc, 0, x, xo + ci * hw, hw);
        }
    }

    /** The adjoint of {@link #im2col}: adds columns [kk, L] (at co, row stride ld) into the image at xo. */
    static void col2im(Geo g, float[] cols, int co, int ld, float[] x, int xo) {
        if (sameWidth(g)) {
            int hw = g.h * g.w;
            col2imSame(g, cols, co, ld, x, xo, new float[hw], new float[hw]);
            return;
        }
        int row = 0;
        for (int ci = 0; ci < g.cg(); ci++) {
            for (int ki = 0; ki < g.kh; ki++) {
                for (int kj = 0; kj < g.kw; kj++, row++) {
                    int lo = colLo(g, kj);
                    int hi = colHi(g, kj, lo);
                    int ix0 = lo * g.sw - g.pw + kj * g.dw;
                    int rbase = co + row * ld;
                    for (int oy = 0; oy < g.oh; oy++) {
                        int iy = oy * g.sh - g.ph + ki * g.dh;
                        if (iy < 0 || iy >= g.h) {
                            continue;
                        }
                        int base = rbase + oy * g.ow;
                        int dst = xo + (ci * g.h + iy) * g.w + ix0;
                        if (g.sw == 1) {
                            for (int t = 0, len = hi - lo; t < len; t++) {
                                x[dst + t] += cols[base + lo + t];
                            }
                        } else {
                            for (int ox = lo; ox < hi; ox++, dst += g.sw) {
                                x[dst] += cols[base + ox];
                            }
                        }
                    }
                }
            }
        }
    }
}
