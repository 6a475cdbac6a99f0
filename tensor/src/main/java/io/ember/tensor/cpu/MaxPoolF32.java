package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;

/**
 * Max pooling for contiguous FLOAT32 planes, with the rules of {@link CpuPool#maxPool2d}: out-of-bounds
 * taps are skipped, the first maximum wins ties, and a NaN wins (a later NaN replaces an earlier one, as
 * in PyTorch's CPU kernel). Two kernels: a branch-free 2x2 stride-2 kernel (the common CNN case; the
 * branchy compare mispredicts on activations and costs about 4x) and a float loop for any geometry.
 */
final class MaxPoolF32 {
    private static final int GRAIN = 4;

    private MaxPoolF32() {
    }

    static void run(NDArray x, int[] params, NDArray out, NDArray indices) {
        int kh = params[0], kw = params[1], sh = params[2], sw = params[3];
        int ph = params[4], pw = params[5], dh = params[6], dw = params[7];
        int h = x.size(2), w = x.size(3), oh = out.size(2), ow = out.size(3);
        float[] xf = Host.f(x);
        float[] of = Host.f(out);
        long[] idx = Host.l(indices);
        int xoff = x.offset(), ooff = out.offset(), ioff = indices.offset();
        boolean k22 = kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && dh == 1 && dw == 1;
        Parallel.forRange(x.size(0) * x.size(1), GRAIN, (lo, hi) -> {
            for (int p = lo; p < hi; p++) {
                int xo = xoff + p * h * w;
                int oo = ooff + p * oh * ow;
                int io = ioff + p * oh * ow;
                if (k22) {
                    // Full windows only; ceilMode's partial last row/column goes through the general loop.
                    int fh = Math.min(oh, h / 2);
                    int fw = Math.min(ow, w / 2);
                    plane22(xf, xo, w, of, oo, idx, io, ow, fh, fw);
                    general(xf, xo, h, w, of, oo, idx, io, ow, params, fh, oh, 0, ow);
                    general(xf, xo, h, w, of, oo, idx, io, ow, params, 0, fh, fw, ow);
                } else {
                    general(xf, xo, h, w, of, oo, idx, io, ow, params, 0, oh, 0, ow);
                }
            }
        });
    }

    /** Output rows [oy0, oy1) and columns [ox0, ox1) of one plane, any geometry. */
    private static void general(float[] x, int xo, int h, int w, float[] o, int oo, long[] idx, int io, int ow,
            int[] params, int oy0, int oy1, int ox0, int ox1) {
        int kh = params[0], kw = params[1], sh = params[2], sw = params[3];
        int ph = params[4], pw = params[5], dh = params[6], dw = params[7];
        for (int oy = oy0; oy < oy1; oy++) {
            int ih0 = oy * sh - ph;
            int ih1 = Math.min(ih0 + (kh - 1) * dh + 1, h);
            while (ih0 < 0) {
                ih0 += dh;
            }
            for (int ox = ox0; ox < ox1; ox++) {
                int iw0 = ox * sw - pw;
                int iw1 = Math.min(iw0 + (kw - 1) * dw + 1, w);
                while (iw0 < 0) {
                    iw0 += dw;
                }
                int best = ih0 * w + iw0;
                float max = Float.NEGATIVE_INFINITY;
                for (int iy = ih0; iy < ih1; iy += dh) {
                    int row = xo + iy * w;
                    for (int ix = iw0; ix < iw1; ix += dw) {
                        float v = x[row + ix];
                        if (v > max || v != v) {
                            max = v;
                            best = iy * w + ix;
                        }
                    }
                }
                o[oo + oy * ow + ox] = max;
                idx[io + oy * ow + ox] = best;
            }
        }
    }

    /**
     * 2x2 stride-2 windows fully inside the plane: rows [0, fh), columns [0, fw). Choices are made without
     * branches: {@code (a - b) + 0} is negative exactly when b > a (exact for floats that are not NaN and not
     * equal infinities; the {@code + 0} turns the -0 of {@code -0 - +0} into +0, so a tie keeps the first).
     * The top and bottom pairs are decided first, then the two winners (which keeps scan order on ties,
     * since top precedes bottom); the value is read back at the chosen position, so its bits are exact. A
     * NaN difference (a NaN input, or equal infinities) sends the window to the plain compare loop.
     */
    private static void plane22(float[] x, int xo, int w, float[] o, int oo, long[] idx, int io, int ow,
            int fh, int fw) {
        for (int oy = 0; oy < fh; oy++) {
            int r0 = xo + 2 * oy * w;
            int r1 = r0 + w;
            int ob = oo + oy * ow;
            int ib = io + oy * ow;
            int k0 = 2 * oy * w;
            for (int ox = 0; ox < fw; ox++) {
                int j = 2 * ox;
                float a = x[r0 + j];
                float b = x[r0 + j + 1];
                float c = x[r1 + j];
                float d = x[r1 + j + 1];
                float dt = (a - b) + 0f;
                float db = (c - d) + 0f;
                int kt = Float.floatToRawIntBits(dt) >>> 31;
                int kb = w + (Float.floatToRawIntBits(db) >>> 31);
                float du = (x[r0 + j + kt] - x[r0 + j + kb]) + 0f;
                if (dt != dt | db != db | du != du) {
                    slow22(a, b, c, d, k0 + j, w, o, ob + ox, idx, ib + ox);
                    continue;
                }
                int su = Float.floatToRawIntBits(du) >> 31;
                int k = (kb & su) | (kt & ~su);
                o[ob + ox] = x[r0 + j + k];
                idx[ib + ox] = k0 + j + k;
            }
        }
    }

    /** One 2x2 window holding an infinity or NaN, in scan order. */
    private static void slow22(float a, float b, float c, float d, int k, int w, float[] o, int oi, long[] idx,
            int ii) {
        float m = a;
        int best = k;
        if (b > m || b != b) {
            m = b;
            best = k + 1;
        }
        if (c > m || c != c) {
            m = c;
            best = k + w;
        }
        if (d > m || d != d) {
            m = d;
            best = k + w + 1;
        }
        o[oi] = m;
        idx[ii] = best;
    }
}
