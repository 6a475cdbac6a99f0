package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** maxPool2d and avgPool2d, forward and backward, against direct loops written here. */
class PoolTest {

    /** One pooling configuration (avg pooling ignores the dilation). */
    record Case(int n, int c, int h, int w, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
            boolean ceil) {
        int[] inShape() {
            return new int[] {n, c, h, w};
        }

        int[] k() {
            return new int[] {kh, kw};
        }

        int[] s() {
            return new int[] {sh, sw};
        }

        int[] p() {
            return new int[] {ph, pw};
        }

        int[] d() {
            return new int[] {dh, dw};
        }
    }

    static final List<Case> CASES = List.of(
            new Case(2, 3, 6, 6, 2, 2, 2, 2, 0, 0, 1, 1, false),
            new Case(1, 2, 7, 5, 3, 2, 2, 1, 1, 1, 1, 1, true),
            new Case(2, 2, 8, 9, 3, 3, 2, 3, 1, 0, 2, 2, false),
            new Case(1, 3, 5, 5, 3, 3, 2, 2, 1, 1, 1, 1, true),
            new Case(2, 1, 6, 7, 2, 3, 3, 2, 1, 1, 2, 1, true),
            new Case(1, 1, 1, 4, 1, 2, 1, 2, 0, 1, 1, 1, false),
            new Case(3, 2, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, false));

    /** Output length, written from the definition: count window starts, ceil keeps partial windows. */
    static int outLen(int in, int k, int s, int p, int d, boolean ceil) {
        double span = in + 2.0 * p - d * (k - 1) - 1;
        int out = (int) (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
        if (ceil && (out - 1) * s >= in + p) {
            out--; // the last window would start in the right padding
        }
        return out;
    }

    static int[] outShape(Case k, boolean avg) {
        return new int[] {k.n, k.c, outLen(k.h, k.kh, k.sh, k.ph, avg ? 1 : k.dh, k.ceil),
            outLen(k.w, k.kw, k.sw, k.pw, avg ? 1 : k.dw, k.ceil)};
    }

    /** {values, indices} of max pooling by direct loops. */
    static double[][] naiveMax(Case k, double[] x) {
        int[] os = outShape(k, false);
        int oh = os[2], ow = os[3];
        double[] v = new double[k.n * k.c * oh * ow];
        double[] ix = new double[v.length];
        for (int p = 0; p < k.n * k.c; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double best = Double.NEGATIVE_INFINITY;
                    int at = -1;
                    for (int i = 0; i < k.kh; i++) {
                        for (int j = 0; j < k.kw; j++) {
                            int y = oy * k.sh - k.ph + i * k.dh;
                            int xx = ox * k.sw - k.pw + j * k.dw;
                            if (y < 0 || y >= k.h || xx < 0 || xx >= k.w) {
                                continue;
                            }
                            double val = x[(p * k.h + y) * k.w + xx];
                            if (at < 0 || val > best) {
                                best = val;
                                at = y * k.w + xx;
                            }
                        }
                    }
                    int o = (p * oh + oy) * ow + ox;
                    v[o] = best;
                    ix[o] = at;
                }
            }
        }
        return new double[][] {v, ix};
    }

    /** Average pooling by direct loops; with a gradient g, returns instead the input gradient. */
    static double[] naiveAvg(Case k, double[] x, boolean includePad, int divisor, double[] g) {
        int[] os = outShape(k, true);
        int oh = os[2], ow = os[3];
        double[] out = g == null ? new double[k.n * k.c * oh * ow] : new double[x.length];
        for (int p = 0; p < k.n * k.c; p++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    // taps inside the padded input [-p, in + p) count for countIncludePad
                    int padded = 0;
                    int valid = 0;
                    double sum = 0;
                    for (int i = 0; i < k.kh; i++) {
                        for (int j = 0; j < k.kw; j++) {
                            int y = oy * k.sh - k.ph + i;
                            int xx = ox * k.sw - k.pw + j;
                            if (y < k.h + k.ph && xx < k.w + k.pw) {
                                padded++;
                            }
                            if (y >= 0 && y < k.h && xx >= 0 && xx < k.w) {
                                valid++;
                                sum += x[(p * k.h + y) * k.w + xx];
                            }
                        }
                    }
                    int div = divisor != 0 ? divisor : includePad ? padded : valid;
                    int o = (p * oh + oy) * ow + ox;
                    if (g == null) {
                        out[o] = valid == 0 ? 0 : sum / div;
                        continue;
                    }
                    for (int i = 0; i < k.kh; i++) {
                        for (int j = 0; j < k.kw; j++) {
                            int y = oy * k.sh - k.ph + i;
                            int xx = ox * k.sw - k.pw + j;
                            if (y >= 0 && y < k.h && xx >= 0 && xx < k.w) {
                                out[(p * k.h + y) * k.w + xx] += g[o] / div;
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    static void assertClose(double[] expected, NDArray actual, double tol) {
        ConvTest.assertClose(expected, actual, tol);
    }

    // ------------------------------------------------------------------ max pooling

    @Test
    void maxPool2d_allCases_matchesDirectLoops() {
        int seed = 1;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case k : CASES) {
                NDArray x = TestArrays.random(seed++, t, k.inShape());
                double[][] ref = naiveMax(k, TestArrays.values(x));
                for (NDArray xl : TestArrays.layouts(x)) {
                    ValuesIndices r = NNOps.maxPool2d(xl, k.k(), k.s(), k.p(), k.d(), k.ceil);
                    assertArrayEquals(outShape(k, false), r.values().shape().toArray(), k.toString());
                    assertEquals(t, r.values().dtype());
                    assertEquals(DType.INT64, r.indices().dtype());
                    assertArrayEquals(ref[0], TestArrays.values(r.values()), 0.0, k.toString());
                    assertArrayEquals(ref[1], TestArrays.values(r.indices()), 0.0, k.toString());
                }
            }
        }
    }

    @Test
    void maxPool2d_ties_pickFirstOccurrence() {
        // All equal: each window's index is its first in-bounds tap (row-major).
        NDArray x = NDArray.full(1.5, 1, 1, 4, 4);
        ValuesIndices r = NNOps.maxPool2d(x, new int[] {2}, new int[] {2}, new int[] {1}, null, false);
        assertArrayEquals(new double[] {0, 1, 3, 4, 5, 7, 12, 13, 15}, TestArrays.values(r.indices()), 0.0);
        assertArrayEquals(new double[] {1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5},
                TestArrays.values(r.values()), 0.0);
    }

    @Test
    void maxPool2d_handWorkedCeilMode_keepsPartialWindow() {
        NDArray x = NDArray.of(new float[] {1, 9, 3, 4, 5, 6, 7, 8, 2}, 1, 1, 3, 3);
        ValuesIndices floor = NNOps.maxPool2d(x, new int[] {2}, null, null, null, false);
        assertArrayEquals(new double[] {9}, TestArrays.values(floor.values()), 0.0);
        assertArrayEquals(new double[] {1}, TestArrays.values(floor.indices()), 0.0);
        ValuesIndices ceil = NNOps.maxPool2d(x, new int[] {2}, null, null, null, true);
        assertArrayEquals(new int[] {1, 1, 2, 2}, ceil.values().shape().toArray());
        assertArrayEquals(new double[] {9, 6, 8, 2}, TestArrays.values(ceil.values()), 0.0);
        assertArrayEquals(new double[] {1, 5, 7, 8}, TestArrays.values(ceil.indices()), 0.0);
    }

    @Test
    void maxPool2dBackward_allCases_scattersAtArgmax() {
        int seed = 50;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case k : CASES) {
                NDArray x = TestArrays.random(seed++, t, k.inShape());
                ValuesIndices r = NNOps.maxPool2d(x, k.k(), k.s(), k.p(), k.d(), k.ceil);
                NDArray g = TestArrays.random(seed++, t, outShape(k, false));
                double[][] ref = naiveMax(k, TestArrays.values(x));
                double[] gv = TestArrays.values(g);
                double[] expected = new double[x.numel()];
                int plane = k.h * k.w;
                int oplane = gv.length / (k.n * k.c);
                for (int o = 0; o < gv.length; o++) {
                    expected[(o / oplane) * plane + (int) ref[1][o]] += gv[o];
                }
                for (NDArray gl : TestArrays.layouts(g)) {
                    NDArray gx = NNOps.maxPool2dBackward(gl, r.indices(), k.inShape());
                    assertArrayEquals(k.inShape(), gx.shape().toArray());
                    assertEquals(t, gx.dtype());
                    assertClose(expected, gx, 1e-6);
                }
            }
        }
    }

    @Test
    void maxPool2dBackward_overlappingTies_accumulate() {
        // Stride 1 windows over a constant plane all pick their first tap; shared taps add up.
        NDArray x = NDArray.zeros(DType.FLOAT64, 1, 1, 3, 3);
        ValuesIndices r = NNOps.maxPool2d(x, new int[] {2}, new int[] {1}, null, null, false);
        NDArray g = NDArray.of(new double[] {1, 2, 3, 4}, 1, 1, 2, 2);
        NDArray gx = NNOps.maxPool2dBackward(g, r.indices(), new int[] {1, 1, 3, 3});
        assertArrayEquals(new double[] {1, 2, 0, 3, 4, 0, 0, 0, 0}, TestArrays.values(gx), 0.0);
    }

    @Test
    void maxPool2d_manyThreads_matchesDirectLoops() {
        int saved = Threads.get();
        try {
            Threads.set(4);
            Case k = new Case(4, 5, 6, 6, 3, 3, 2, 2, 1, 1, 1, 1, true);
            NDArray x = TestArrays.random(77, DType.FLOAT32, k.inShape());
            double[][] ref = naiveMax(k, TestArrays.values(x));
            ValuesIndices r = NNOps.maxPool2d(x, k.k(), k.s(), k.p(), k.d(), k.ceil);
            assertArrayEquals(ref[0], TestArrays.values(r.values()), 0.0);
            assertArrayEquals(ref[1], TestArrays.values(r.indices()), 0.0);
            double[] avg = naiveAvg(k, TestArrays.values(x), true, 0, null);
            assertClose(avg, NNOps.avgPool2d(x, k.k(), k.s(), k.p(), k.ceil, true, 0), 1e-6);
        } finally {
            Threads.set(saved);
        }
    }

    // ------------------------------------------------------------------ average pooling

    @Test
    void avgPool2d_allCasesAndDivisorModes_matchesDirectLoops() {
        int seed = 100;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case k : CASES) {
                NDArray x = TestArrays.random(seed++, t, k.inShape());
                double[] xv = TestArrays.values(x);
                for (boolean include : new boolean[] {true, false}) {
                    for (int div : new int[] {0, 3}) {
                        double[] ref = naiveAvg(k, xv, include, div, null);
                        for (NDArray xl : TestArrays.layouts(x)) {
                            NDArray out = NNOps.avgPool2d(xl, k.k(), k.s(), k.p(), k.ceil, include, div);
                            assertArrayEquals(outShape(k, true), out.shape().toArray(), k.toString());
                            assertEquals(t, out.dtype());
                            assertClose(ref, out, t == DType.FLOAT32 ? 1e-6 : 1e-12);
                        }
                    }
                }
            }
        }
    }

    @Test
    void avgPool2d_handWorkedExamples_match() {
        NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        // ceil mode keeps the partial windows, which divide by their in-bounds size
        assertArrayEquals(new double[] {3, 4.5, 7.5, 9},
                TestArrays.values(NNOps.avgPool2d(x, new int[] {2}, null, null, true, true, 0)), 1e-6);
        // padding 1, stride 2: corner windows see one element; count_include_pad divides by 4
        assertArrayEquals(new double[] {0.25, 1.25, 2.75, 7},
                TestArrays.values(NNOps.avgPool2d(x, new int[] {2}, null, new int[] {1}, false, true, 0)), 1e-6);
        assertArrayEquals(new double[] {1, 2.5, 5.5, 7},
                TestArrays.values(NNOps.avgPool2d(x, new int[] {2}, null, new int[] {1}, false, false, 0)), 1e-6);
        assertArrayEquals(new double[] {0.5, 2.5, 5.5, 14},
                TestArrays.values(NNOps.avgPool2d(x, new int[] {2}, null, new int[] {1}, false, true, 2)), 1e-6);
    }

    @Test
    void avgPool2dBackward_allCases_matchesAdjointLoops() {
        int seed = 200;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case k : CASES) {
                NDArray x = NDArray.zeros(t, k.inShape());
                NDArray g = TestArrays.random(seed++, t, outShape(k, true));
                for (boolean include : new boolean[] {true, false}) {
                    for (int div : new int[] {0, 5}) {
                        double[] ref = naiveAvg(k, TestArrays.values(x), include, div, TestArrays.values(g));
                        for (NDArray gl : TestArrays.layouts(g)) {
                            NDArray gx = NNOps.avgPool2dBackward(gl, k.inShape(), k.k(), k.s(), k.p(), k.ceil,
                                    include, div);
                            assertArrayEquals(k.inShape(), gx.shape().toArray());
                            assertClose(ref, gx, t == DType.FLOAT32 ? 1e-6 : 1e-12);
                        }
                    }
                }
            }
        }
    }

    @Test
    void avgPool2dBackward_float64_matchesFiniteDifferences() {
        Random rnd = new Random(3);
        for (Case k : List.of(CASES.get(1), CASES.get(3), CASES.get(4))) {
            double[] xv = TestArrays.values(TestArrays.random(rnd.nextInt(), DType.FLOAT64, k.inShape()));
            NDArray r = TestArrays.random(rnd.nextInt(), DType.FLOAT64, outShape(k, true));
            double[] rv = TestArrays.values(r);
            double[] gx = TestArrays.values(NNOps.avgPool2dBackward(r, k.inShape(), k.k(), k.s(), k.p(), k.ceil,
                    false, 0));
            for (int trial = 0; trial < 8; trial++) {
                int i = rnd.nextInt(xv.length);
                double fd = ConvTest.fd(xv, i, 1e-4, v -> {
                    double[] out = naiveAvg(k, v, false, 0, null);
                    double s = 0;
                    for (int j = 0; j < out.length; j++) {
                        s += out[j] * rv[j];
                    }
                    return s;
                });
                assertEquals(fd, gx[i], 1e-7, k.toString());
            }
        }
    }

    // ------------------------------------------------------------------ errors

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void pools_badArguments_throwNamingTheOp() {
        NDArray x = NDArray.zeros(1, 2, 5, 5);
        String m = message(() -> NNOps.maxPool2d(x, new int[] {3}, null, new int[] {2}, null, false));
        assertTrue(m.startsWith("maxPool2d:") && m.contains("half") && m.contains("[2, 2]") && m.contains("[3, 3]"), m);
        m = message(() -> NNOps.avgPool2d(x, new int[] {2, 4}, null, new int[] {1, 3}, false, true, 0));
        assertTrue(m.startsWith("avgPool2d:") && m.contains("half"), m);
        m = message(() -> NNOps.maxPool2d(x, new int[] {3}, null, null, new int[] {3}, false));
        assertTrue(m.startsWith("maxPool2d:") && m.contains("[1, 2, 5, 5]") && m.contains("too small"), m);
        m = message(() -> NNOps.maxPool2d(NDArray.zeros(2, 5, 5), new int[] {2}, null, null, null, false));
        assertTrue(m.startsWith("maxPool2d:") && m.contains("4-D") && m.contains("[2, 5, 5]"), m);
        m = message(() -> NNOps.maxPool2d(x, new int[] {0}, null, null, null, false));
        assertTrue(m.startsWith("maxPool2d:") && m.contains("kernel"), m);
        m = message(() -> NNOps.avgPool2d(x, new int[] {2}, null, null, false, true, -1));
        assertTrue(m.startsWith("avgPool2d:") && m.contains("divisorOverride"), m);
        m = message(() -> NNOps.avgPool2dBackward(NDArray.zeros(1, 2, 3, 3), new int[] {1, 2, 5, 5}, new int[] {2},
                null, null, false, true, 0));
        assertTrue(m.startsWith("avgPool2dBackward:") && m.contains("[1, 2, 2, 2]") && m.contains("[1, 2, 3, 3]"), m);
        NDArray idx = NDArray.zeros(DType.INT64, 1, 2, 2, 2);
        m = message(() -> NNOps.maxPool2dBackward(NDArray.zeros(1, 2, 2, 3), idx, new int[] {1, 2, 5, 5}));
        assertTrue(m.startsWith("maxPool2dBackward:") && m.contains("[1, 2, 2, 3]") && m.contains("[1, 2, 2, 2]"), m);
        m = message(() -> NNOps.maxPool2dBackward(NDArray.zeros(1, 2, 2, 2), NDArray.zeros(1, 2, 2, 2),
                new int[] {1, 2, 5, 5}));
        assertTrue(m.startsWith("maxPool2dBackward:") && m.contains("int64"), m);
    }
}
