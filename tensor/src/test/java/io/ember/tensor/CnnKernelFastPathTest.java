package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The FLOAT32 fast paths of maxPool2d (2x2 stride-2 and general windows) and reluBackward against
 * plain loops written here, on data with ties, signed zeros, infinities and NaNs.
 */
class CnnKernelFastPathTest {

    /** Values drawn from a small set so that ties are common, with specials mixed in. */
    static float[] awkward(long seed, int n, boolean specials) {
        Random r = new Random(seed);
        float[] s = {Float.NaN, Float.intBitsToFloat(0xffc00001), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, -0f, 0f, Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE};
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            int pick = r.nextInt(40);
            v[i] = specials && pick < s.length ? s[pick] : r.nextInt(7) - 3 + (r.nextBoolean() ? 0.5f : 0f);
        }
        return v;
    }

    /** {values, indices} by scanning each window in order: a larger value or any NaN replaces the best. */
    static Object[] naiveMax(float[] x, int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw,
            int dh, int dw, int oh, int ow) {
        float[] v = new float[n * c * oh * ow];
        long[] ix = new long[v.length];
        for (int p = 0; p < n * c; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float best = 0;
                    int at = -1;
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            int y = oy * sh - ph + i * dh;
                            int xx = ox * sw - pw + j * dw;
                            if (y < 0 || y >= h || xx < 0 || xx >= w) {
                                continue;
                            }
                            float val = x[(p * h + y) * w + xx];
                            if (at < 0 || val > best || Float.isNaN(val)) {
                                best = val;
                                at = y * w + xx;
                            }
                        }
                    }
                    int o = (p * oh + oy) * ow + ox;
                    v[o] = best;
                    ix[o] = at;
                }
            }
        }
        return new Object[] {v, ix};
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToIntBits(v[i]);
        }
        return b;
    }

    static float[] floats(NDArray x) {
        double[] d = TestArrays.values(x);
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    static long[] longs(NDArray x) {
        double[] d = TestArrays.values(x);
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
        }
        return l;
    }

    static void checkMax(long seed, int n, int c, int h, int w, int[] k, int[] s, int[] p, int[] d, boolean ceil,
            boolean specials) {
        float[] data = awkward(seed, n * c * h * w, specials);
        NDArray x = NDArray.of(data, n, c, h, w);
        String what = "seed " + seed + " " + h + "x" + w + " k" + k[0] + k[1] + " s" + s[0] + s[1] + " p" + p[0]
                + p[1] + " d" + d[0] + d[1] + " ceil " + ceil;
        for (NDArray xl : TestArrays.layouts(x)) {
            ValuesIndices r = NNOps.maxPool2d(xl, k, s, p, d, ceil);
            int oh = r.values().size(2);
            int ow = r.values().size(3);
            assertEquals(PoolTest.outLen(h, k[0], s[0], p[0], d[0], ceil), oh, what);
            assertEquals(PoolTest.outLen(w, k[1], s[1], p[1], d[1], ceil), ow, what);
            Object[] ref = naiveMax(data, n, c, h, w, k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1], oh, ow);
            assertArrayEquals(bits((float[]) ref[0]), bits(floats(r.values())), what);
            assertArrayEquals((long[]) ref[1], longs(r.indices()), what);
        }
    }

    @Test
    void maxPool2d_float32TwoByTwoStrideTwo_matchesScanWithTiesZerosInfAndNaN() {
        int[] two = {2, 2};
        int[] zero = {0, 0};
        int[] one = {1, 1};
        long seed = 1;
        for (int[] hw : new int[][] {{6, 8}, {7, 9}, {5, 4}, {2, 2}, {3, 3}, {28, 28}}) {
            for (boolean ceil : new boolean[] {false, true}) {
                for (boolean specials : new boolean[] {false, true}) {
                    checkMax(seed++, 2, 3, hw[0], hw[1], two, two, zero, one, ceil, specials);
                }
            }
        }
    }

    @Test
    void maxPool2d_float32GeneralWindows_matchesScanWithTiesZerosInfAndNaN() {
        long seed = 100;
        int[][][] geos = {
            // kernel, stride, padding, dilation
            {{3, 3}, {2, 2}, {1, 1}, {1, 1}},
            {{2, 2}, {2, 2}, {1, 1}, {1, 1}},
            {{2, 2}, {1, 1}, {0, 0}, {1, 1}},
            {{2, 2}, {2, 2}, {0, 0}, {2, 2}},
            {{3, 2}, {2, 3}, {1, 0}, {2, 1}},
            {{2, 3}, {2, 2}, {0, 1}, {1, 1}},
        };
        for (int[][] g : geos) {
            for (boolean ceil : new boolean[] {false, true}) {
                checkMax(seed++, 2, 2, 7, 8, g[0], g[1], g[2], g[3], ceil, true);
            }
        }
    }

    @Test
    void maxPool2d_handWorkedNaNAndSignedZero_matchPyTorchRules() {
        // Window 1: NaN at position 1 wins; window 2: a later NaN replaces an earlier one (PyTorch's CPU rule);
        // window 3: -0 before +0 ties, the first (-0) is kept; window 4: -inf everywhere keeps the first tap.
        float nan2 = Float.intBitsToFloat(0x7fc00002);
        float ninf = Float.NEGATIVE_INFINITY;
        float[] x = {
            1, Float.NaN, Float.NaN, 5, -0f, 0f, ninf, ninf,
            3, 2, nan2, 1, 0f, -0f, ninf, ninf};
        ValuesIndices r = NNOps.maxPool2d(NDArray.of(x, 1, 1, 2, 8), new int[] {2}, null, null, null, false);
        assertArrayEquals(new long[] {1, 10, 4, 6}, longs(r.indices()));
        float[] v = floats(r.values());
        assertEquals(Float.floatToRawIntBits(Float.NaN), Float.floatToIntBits(v[0]));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(v[2]));
        assertEquals(ninf, v[3]);
        // Equal infinities tie (first kept): [inf, inf; 1, 2], [5, inf; inf, 1], [1, 2; inf, inf], [-inf, 3; 3, -inf].
        float inf = Float.POSITIVE_INFINITY;
        float[] y = {
            inf, inf, 5, inf, 1, 2, ninf, 3,
            1, 2, inf, 1, inf, inf, 3, ninf};
        ValuesIndices q = NNOps.maxPool2d(NDArray.of(y, 1, 1, 2, 8), new int[] {2}, null, null, null, false);
        assertArrayEquals(new long[] {0, 3, 12, 7}, longs(q.indices()));
        assertArrayEquals(new int[] {Float.floatToIntBits(inf), Float.floatToIntBits(inf), Float.floatToIntBits(inf),
            Float.floatToIntBits(3f)}, bits(floats(q.values())));
    }

    @Test
    void maxPool2dBackward_float32TwoByTwo_scattersAtIndices() {
        float[] data = awkward(7, 2 * 3 * 7 * 9, false);
        NDArray x = NDArray.of(data, 2, 3, 7, 9);
        ValuesIndices r = NNOps.maxPool2d(x, new int[] {2, 2}, null, null, null, true);
        Object[] ref = naiveMax(data, 2, 3, 7, 9, 2, 2, 2, 2, 0, 0, 1, 1, 4, 5);
        NDArray g = TestArrays.random(8, DType.FLOAT32, 2, 3, 4, 5);
        double[] gv = TestArrays.values(g);
        double[] expected = new double[data.length];
        long[] idx = (long[]) ref[1];
        for (int i = 0; i < idx.length; i++) {
            expected[(i / 20) * 63 + (int) idx[i]] += gv[i];
        }
        assertArrayEquals(expected, TestArrays.values(NNOps.maxPool2dBackward(g, r.indices(), new int[] {2, 3, 7, 9})),
                1e-6);
    }

    @Test
    void reluBackward_float32SpecialOutputs_matchSelect() {
        float[] specials = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, Float.intBitsToFloat(0x7f800001),
            Float.intBitsToFloat(0x7fffffff), Float.intBitsToFloat(0xffc00000), Float.intBitsToFloat(0xff800001),
            1f, -1f, 3.5f, -2.25f};
        int n = 70_001; // above the parallel grain, odd
        Random r = new Random(11);
        float[] y = new float[n + 3];
        float[] g = new float[n + 5];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 3 == 0 ? specials[r.nextInt(specials.length)] : (float) r.nextGaussian();
        }
        for (int i = 0; i < g.length; i++) {
            g[i] = i % 5 == 0 ? specials[r.nextInt(specials.length)] : (float) r.nextGaussian();
        }
        // Contiguous views at non-zero offsets.
        NDArray yv = NDArray.of(y, y.length).narrow(0, 3, n);
        NDArray gv = NDArray.of(g, g.length).narrow(0, 5, n);
        float[] out = floats(NNOps.reluBackward(gv, yv));
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) {
            expected[i] = Float.floatToIntBits(y[i + 3] > 0f ? g[i + 5] : 0f);
        }
        assertArrayEquals(expected, bits(out));
        // Every special output against every special gradient, one by one.
        for (float ys : specials) {
            for (float gs : specials) {
                float o = (float) NNOps.reluBackward(NDArray.of(new float[] {gs}, 1), NDArray.of(new float[] {ys}, 1))
                        .getDouble(0);
                assertEquals(Float.floatToIntBits(ys > 0f ? gs : 0f), Float.floatToIntBits(o), ys + " " + gs);
            }
        }
    }
}
