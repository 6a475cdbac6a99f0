package io.ember.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.tensor.NDArray;
import io.ember.tensor.NNOps;
import io.ember.tensor.Threads;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batched FLOAT32 convolution ({@link ConvF32}) against direct loops in double written here: many
 * geometries (same-width stride 1, stride 2, dilation, groups, odd sizes, padding wider than the kernel),
 * several images per chunk and several chunks, 1 and 2 threads, and inputs at offsets or strided.
 */
class ConvF32Test {
    private final int savedBudget = ConvF32.colsBudget;
    private final int savedThreads = Threads.get();

    @AfterEach
    void restore() {
        ConvF32.colsBudget = savedBudget;
        Threads.set(savedThreads);
    }

    /** n, c, h, w, o, kh, kw, sh, sw, ph, pw, dh, dw, groups. */
    static final int[][] CASES = {
        {5, 3, 6, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1}, // same width, square
        {4, 2, 5, 7, 3, 3, 3, 1, 1, 0, 1, 1, 1, 1}, // same width, oh < h
        {3, 2, 7, 6, 4, 3, 3, 1, 1, 2, 2, 2, 2, 2}, // same width with dilation 2, groups
        {3, 1, 5, 5, 2, 5, 5, 1, 1, 2, 2, 1, 1, 1}, // 5x5 same
        {3, 2, 4, 3, 2, 1, 3, 1, 1, 3, 1, 1, 1, 1}, // padding rows taller than the kernel
        {4, 3, 9, 8, 6, 3, 2, 2, 2, 1, 0, 1, 1, 3}, // stride 2, groups
        {3, 4, 7, 9, 2, 2, 3, 2, 3, 1, 2, 2, 1, 2}, // mixed strides, dilation
        {2, 2, 3, 3, 2, 1, 1, 1, 1, 0, 0, 1, 1, 1}, // 1x1
        {3, 2, 6, 5, 3, 3, 3, 1, 2, 1, 1, 1, 1, 1}, // stride 1 rows, 2 columns
        {2, 1, 1, 6, 2, 1, 3, 1, 1, 0, 4, 1, 1, 1}, // padding wider than the input: empty taps
        // more output channels than column rows: one GEMM per image, in place
        {5, 1, 6, 6, 12, 3, 3, 1, 1, 1, 1, 1, 1, 1}, // first-layer shape
        {3, 2, 5, 7, 8, 1, 2, 2, 1, 0, 1, 1, 1, 1}, // stride 2 rows
        {3, 4, 5, 5, 8, 1, 1, 1, 1, 0, 0, 1, 1, 2}, // 1x1, groups
    };

    static int outLen(int in, int k, int s, int p, int d) {
        return (in + 2 * p - d * (k - 1) - 1) / s + 1;
    }

    static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    /** out, gradInput and gradWeight by direct loops over every (image, out channel, position, tap). */
    static double[][] naive(int[] k, float[] x, float[] wt, float[] b, float[] gy) {
        int n = k[0], c = k[1], h = k[2], w = k[3], o = k[4], kh = k[5], kw = k[6], sh = k[7], sw = k[8];
        int ph = k[9], pw = k[10], dh = k[11], dw = k[12], groups = k[13];
        int oh = outLen(h, kh, sh, ph, dh), ow = outLen(w, kw, sw, pw, dw);
        int cg = c / groups, og = o / groups;
        double[] out = new double[n * o * oh * ow];
        double[] gx = new double[x.length];
        double[] gw = new double[wt.length];
        for (int im = 0; im < n; im++) {
            for (int oc = 0; oc < o; oc++) {
                int grp = oc / og;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int oi = ((im * o + oc) * oh + oy) * ow + ox;
                        double s = b == null ? 0 : b[oc];
                        for (int ci = 0; ci < cg; ci++) {
                            for (int i = 0; i < kh; i++) {
                                for (int j = 0; j < kw; j++) {
                                    int iy = oy * sh - ph + i * dh;
                                    int ix = ox * sw - pw + j * dw;
                                    if (iy < 0 || iy >= h || ix < 0 || ix >= w) {
                                        continue;
                                    }
                                    int xi = ((im * c + grp * cg + ci) * h + iy) * w + ix;
                                    int wi = ((oc * cg + ci) * kh + i) * kw + j;
                                    s += (double) x[xi] * wt[wi];
                                    gx[xi] += (double) gy[oi] * wt[wi];
                                    gw[wi] += (double) gy[oi] * x[xi];
                                }
                            }
                        }
                        out[oi] = s;
                    }
                }
            }
        }
        return new double[][] {out, gx, gw};
    }

    static void assertClose(double[] expected, NDArray actual, String what) {
        float[] a = new float[actual.numel()];
        NDArray flat = actual.contiguous().reshape(actual.numel());
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) flat.getDouble(i);
        }
        assertEquals(expected.length, a.length, what);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], 1e-4 * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }

    /** A copy of v as [shape] stored at an offset inside a larger array (contiguous view). */
    static NDArray atOffset(float[] v, int... shape) {
        float[] big = new float[v.length + 7];
        System.arraycopy(v, 0, big, 7, v.length);
        return NDArray.of(big, big.length).narrow(0, 7, v.length).view(shape);
    }

    /** A copy of v as [shape] seen through a transposed layout (non-contiguous view). */
    static NDArray strided(float[] v, int... shape) {
        NDArray x = NDArray.of(v, shape);
        return x.transpose(2, 3).contiguous().transpose(2, 3);
    }

    void check(int[] k, int budget, int threads, boolean layouts, long seed) {
        ConvF32.colsBudget = budget;
        Threads.set(threads);
        Random r = new Random(seed);
        int n = k[0], c = k[1], h = k[2], w = k[3], o = k[4], kh = k[5], kw = k[6];
        int oh = outLen(h, kh, k[7], k[9], k[11]), ow = outLen(w, kw, k[8], k[10], k[12]);
        int[] xs = {n, c, h, w};
        int[] ws = {o, c / k[13], kh, kw};
        int[] ys = {n, o, oh, ow};
        float[] x = random(r, n * c * h * w);
        float[] wt = random(r, o * (c / k[13]) * kh * kw);
        float[] b = random(r, o);
        float[] gy = random(r, n * o * oh * ow);
        double[][] ref = naive(k, x, wt, b, gy);
        int[] st = {k[7], k[8]}, pd = {k[9], k[10]}, dl = {k[11], k[12]};
        String what = java.util.Arrays.toString(k) + " budget " + budget + " threads " + threads;
        NDArray xa = layouts ? atOffset(x, xs) : NDArray.of(x, xs);
        NDArray wa = layouts ? strided(wt, ws) : NDArray.of(wt, ws);
        NDArray ga = layouts ? strided(gy, ys) : NDArray.of(gy, ys);
        assertClose(ref[0], NNOps.conv2d(xa, wa, NDArray.of(b, o), st, pd, dl, k[13]), what + " out");
        assertClose(ref[1], NNOps.conv2dBackwardInput(ga, wa, xs, st, pd, dl, k[13]), what + " gradInput");
        assertClose(ref[2], NNOps.conv2dBackwardWeight(ga, xa, ws, st, pd, dl, k[13]), what + " gradWeight");
    }

    @Test
    void convF32_manyGeometriesAndChunkings_matchDirectLoops() {
        long seed = 1;
        for (int[] k : CASES) {
            int perImage = Math.max(k[1] / k[13] * k[5] * k[6], k[4] / k[13])
                    * outLen(k[2], k[5], k[7], k[9], k[11]) * outLen(k[3], k[6], k[8], k[10], k[12]);
            // one image per chunk, two per chunk (a ragged last chunk for odd n), the whole batch
            for (int budget : new int[] {1, 2 * perImage, 1 << 20}) {
                for (int threads : new int[] {1, 2}) {
                    check(k, budget, threads, false, seed++);
                }
            }
        }
    }

    @Test
    void convF32_offsetAndStridedInputs_matchDirectLoops() {
        check(CASES[0], 1 << 20, 2, true, 99);
        check(CASES[5], 1, 1, true, 98);
        check(CASES[10], 1 << 20, 2, true, 97);
    }

    @Test
    void convF32_withoutBias_matchesDirectLoops() {
        int[] k = CASES[2];
        Random r = new Random(5);
        int oh = outLen(k[2], k[5], k[7], k[9], k[11]), ow = outLen(k[3], k[6], k[8], k[10], k[12]);
        float[] x = random(r, k[0] * k[1] * k[2] * k[3]);
        float[] wt = random(r, k[4] * (k[1] / k[13]) * k[5] * k[6]);
        double[][] ref = naive(k, x, wt, null, new float[k[0] * k[4] * oh * ow]);
        NDArray out = NNOps.conv2d(NDArray.of(x, k[0], k[1], k[2], k[3]), NDArray.of(wt, k[4], k[1] / k[13], k[5], k[6]),
                null, new int[] {k[7], k[8]}, new int[] {k[9], k[10]}, new int[] {k[11], k[12]}, k[13]);
        assertClose(ref[0], out, "no bias");
    }

    @Test
    void convF32_resultsDoNotDependOnThreads() {
        int[] k = {9, 4, 10, 10, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1};
        Random r = new Random(7);
        NDArray x = NDArray.of(random(r, 9 * 4 * 100), 9, 4, 10, 10);
        NDArray gy = NDArray.of(random(r, 9 * 8 * 100), 9, 8, 10, 10);
        int[] one = {1, 1};
        ConvF32.colsBudget = 3 * 36 * 100;
        Threads.set(1);
        NDArray w1 = NNOps.conv2dBackwardWeight(gy, x, new int[] {8, 4, 3, 3}, one, one, one, 1);
        Threads.set(2);
        NDArray w2 = NNOps.conv2dBackwardWeight(gy, x, new int[] {8, 4, 3, 3}, one, one, one, 1);
        for (int i = 0; i < w1.numel(); i++) {
            assertEquals(Float.floatToIntBits((float) w1.reshape(-1).getDouble(i)),
                    Float.floatToIntBits((float) w2.reshape(-1).getDouble(i)), "element " + i);
        }
    }
}
