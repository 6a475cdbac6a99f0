package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** conv2d and its backward kernels against direct loops written here, and finite differences. */
class ConvTest {

    /** One convolution configuration. */
    record Case(int n, int c, int h, int w, int o, int kh, int kw, int sh, int sw, int ph, int pw, int dh, int dw,
            int groups, boolean bias) {
        int oh() {
            return (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
        }

        int ow() {
            return (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
        }

        int[] inShape() {
            return new int[] {n, c, h, w};
        }

        int[] wShape() {
            return new int[] {o, c / groups, kh, kw};
        }

        int[] outShape() {
            return new int[] {n, o, oh(), ow()};
        }

        int[] stride() {
            return new int[] {sh, sw};
        }

        int[] pad() {
            return new int[] {ph, pw};
        }

        int[] dil() {
            return new int[] {dh, dw};
        }
    }

    static final List<Case> CASES = List.of(
            new Case(1, 1, 5, 5, 1, 3, 3, 1, 1, 0, 0, 1, 1, 1, false),
            new Case(2, 3, 7, 6, 4, 3, 2, 2, 1, 1, 0, 1, 1, 1, true),
            new Case(3, 4, 8, 8, 6, 3, 3, 1, 2, 2, 1, 2, 2, 2, true),
            new Case(2, 4, 6, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1, 4, false),
            new Case(2, 6, 5, 5, 8, 1, 1, 1, 1, 0, 0, 1, 1, 2, true),
            new Case(2, 3, 7, 7, 2, 1, 1, 2, 2, 1, 0, 1, 1, 1, false),
            new Case(3, 3, 9, 10, 5, 5, 4, 2, 3, 2, 1, 1, 2, 1, true),
            new Case(1, 2, 1, 4, 3, 1, 3, 1, 1, 0, 1, 1, 1, 1, true));

    // ------------------------------------------------------------------ references

    static double[] naiveConv(Case k, double[] x, double[] w, double[] b) {
        int oh = k.oh(), ow = k.ow(), cg = k.c / k.groups, og = k.o / k.groups;
        double[] out = new double[k.n * k.o * oh * ow];
        for (int n = 0; n < k.n; n++) {
            for (int o = 0; o < k.o; o++) {
                int grp = o / og;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double acc = b == null ? 0 : b[o];
                        for (int ci = 0; ci < cg; ci++) {
                            int c = grp * cg + ci;
                            for (int ki = 0; ki < k.kh; ki++) {
                                for (int kj = 0; kj < k.kw; kj++) {
                                    int iy = oy * k.sh - k.ph + ki * k.dh;
                                    int ix = ox * k.sw - k.pw + kj * k.dw;
                                    if (iy >= 0 && iy < k.h && ix >= 0 && ix < k.w) {
                                        acc += x[((n * k.c + c) * k.h + iy) * k.w + ix]
                                                * w[((o * cg + ci) * k.kh + ki) * k.kw + kj];
                                    }
                                }
                            }
                        }
                        out[((n * k.o + o) * oh + oy) * ow + ox] = acc;
                    }
                }
            }
        }
        return out;
    }

    /** The adjoint of naiveConv: gradients of sum(out * g) for input (which=0) or weight (which=1). */
    static double[] naiveAdjoint(Case k, double[] x, double[] w, double[] g, int which) {
        int oh = k.oh(), ow = k.ow(), cg = k.c / k.groups, og = k.o / k.groups;
        double[] r = new double[which == 0 ? x.length : w.length];
        for (int n = 0; n < k.n; n++) {
            for (int o = 0; o < k.o; o++) {
                int grp = o / og;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double gv = g[((n * k.o + o) * oh + oy) * ow + ox];
                        for (int ci = 0; ci < cg; ci++) {
                            int c = grp * cg + ci;
                            for (int ki = 0; ki < k.kh; ki++) {
                                for (int kj = 0; kj < k.kw; kj++) {
                                    int iy = oy * k.sh - k.ph + ki * k.dh;
                                    int ix = ox * k.sw - k.pw + kj * k.dw;
                                    if (iy >= 0 && iy < k.h && ix >= 0 && ix < k.w) {
                                        int xi = ((n * k.c + c) * k.h + iy) * k.w + ix;
                                        int wi = ((o * cg + ci) * k.kh + ki) * k.kw + kj;
                                        if (which == 0) {
                                            r[xi] += gv * w[wi];
                                        } else {
                                            r[wi] += gv * x[xi];
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return r;
    }

    static void assertClose(double[] expected, NDArray actual, double tol) {
        double[] a = TestArrays.values(actual);
        assertEquals(expected.length, a.length, "length");
        for (int i = 0; i < a.length; i++) {
            double e = expected[i];
            assertTrue(Math.abs(e - a[i]) <= tol * (1 + Math.abs(e)), "element " + i + ": expected " + e + ", got " + a[i]);
        }
    }

    static double tol(DType t) {
        return t == DType.FLOAT32 ? 1e-4 : 1e-10;
    }

    // ------------------------------------------------------------------ forward

    @Test
    void conv2d_allCases_matchesDirectLoops() {
        int seed = 1;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case k : CASES) {
                NDArray x = TestArrays.random(seed++, t, k.inShape());
                NDArray w = TestArrays.random(seed++, t, k.wShape());
                NDArray b = k.bias ? TestArrays.random(seed++, t, k.o) : null;
                NDArray out = NNOps.conv2d(x, w, b, k.stride(), k.pad(), k.dil(), k.groups);
                assertArrayEquals(k.outShape(), out.shape().toArray(), k.toString());
                assertEquals(t, out.dtype());
                double[] ref = naiveConv(k, TestArrays.values(x), TestArrays.values(w),
                        b == null ? null : TestArrays.values(b));
                assertClose(ref, out, tol(t));
            }
        }
    }

    @Test
    void conv2d_nonContiguousInputs_matchesDirectLoops() {
        Case k = CASES.get(2);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            NDArray x = TestArrays.random(11, t, k.inShape());
            NDArray w = TestArrays.random(12, t, k.wShape());
            NDArray b = TestArrays.random(13, t, k.o);
            double[] ref = naiveConv(k, TestArrays.values(x), TestArrays.values(w), TestArrays.values(b));
            for (NDArray xl : TestArrays.layouts(x)) {
                assertClose(ref, NNOps.conv2d(xl, w, b, k.stride(), k.pad(), k.dil(), k.groups), tol(t));
            }
            for (NDArray wl : TestArrays.layouts(w)) {
                for (NDArray bl : TestArrays.layouts(b)) {
                    assertClose(ref, NNOps.conv2d(x, wl, bl, k.stride(), k.pad(), k.dil(), k.groups), tol(t));
                }
            }
        }
    }

    @Test
    void conv2d_convenienceOverload_isStrideOnePadZero() {
        Case k = new Case(2, 2, 4, 5, 3, 2, 3, 1, 1, 0, 0, 1, 1, 1, true);
        NDArray x = TestArrays.random(21, DType.FLOAT32, k.inShape());
        NDArray w = TestArrays.random(22, DType.FLOAT32, k.wShape());
        NDArray b = TestArrays.random(23, DType.FLOAT32, 3);
        double[] ref = naiveConv(k, TestArrays.values(x), TestArrays.values(w), TestArrays.values(b));
        assertClose(ref, NNOps.conv2d(x, w, b), 1e-5);
    }

    @Test
    void conv2d_handWorkedExample_matches() {
        // 1x1x3x3 input 1..9, 2x2 kernel of ones, bias 10: each output is the sum of a 2x2 block + 10.
        NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3);
        NDArray w = NDArray.ones(1, 1, 2, 2);
        NDArray b = NDArray.of(new float[] {10}, 1);
        NDArray out = NNOps.conv2d(x, w, b);
        assertArrayEquals(new double[] {22, 26, 34, 38}, TestArrays.values(out), 1e-6);
    }

    @Test
    void conv2d_mixedAndIntegerDtypes_promote() {
        Case k = CASES.get(1);
        NDArray x = TestArrays.random(31, DType.FLOAT32, k.inShape());
        NDArray w = TestArrays.random(32, DType.FLOAT64, k.wShape());
        NDArray out = NNOps.conv2d(x, w, null, k.stride(), k.pad(), k.dil(), k.groups);
        assertEquals(DType.FLOAT64, out.dtype());
        assertClose(naiveConv(k, TestArrays.values(x), TestArrays.values(w), null), out, 1e-10);
        NDArray xi = TestArrays.random(33, DType.INT64, k.inShape());
        NDArray wi = TestArrays.random(34, DType.INT64, k.wShape());
        NDArray outi = NNOps.conv2d(xi, wi, null, k.stride(), k.pad(), k.dil(), k.groups);
        assertEquals(DType.FLOAT32, outi.dtype());
        assertClose(naiveConv(k, TestArrays.values(xi), TestArrays.values(wi), null), outi, 1e-6);
    }

    @Test
    void conv2d_manyThreads_matchesDirectLoops() {
        int saved = Threads.get();
        try {
            Threads.set(4);
            Case k = new Case(5, 4, 6, 6, 4, 3, 3, 1, 1, 1, 1, 1, 1, 2, true);
            NDArray x = TestArrays.random(41, DType.FLOAT32, k.inShape());
            NDArray w = TestArrays.random(42, DType.FLOAT32, k.wShape());
            NDArray b = TestArrays.random(43, DType.FLOAT32, k.o);
            NDArray g = TestArrays.random(44, DType.FLOAT32, k.outShape());
            double[] xv = TestArrays.values(x), wv = TestArrays.values(w), gv = TestArrays.values(g);
            assertClose(naiveConv(k, xv, wv, TestArrays.values(b)),
                    NNOps.conv2d(x, w, b, k.stride(), k.pad(), k.dil(), k.groups), 1e-4);
            assertClose(naiveAdjoint(k, xv, wv, gv, 0),
                    NNOps.conv2dBackwardInput(g, w, k.inShape(), k.stride(), k.pad(), k.dil(), k.groups), 1e-4);
            assertClose(naiveAdjoint(k, xv, wv, gv, 1),
                    NNOps.conv2dBackwardWeight(g, x, k.wShape(), k.stride(), k.pad(), k.dil(), k.groups), 1e-4);
        } finally {
            Threads.set(saved);
        }
    }

    // ------------------------------------------------------------------ backward

    @Test
    void conv2dBackwardInput_allCases_matchesAdjointLoops() {
        int seed = 100;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case k : CASES) {
                NDArray x = TestArrays.random(seed++, t, k.inShape());
                NDArray w = TestArrays.random(seed++, t, k.wShape());
                NDArray g = TestArrays.random(seed++, t, k.outShape());
                double[] ref = naiveAdjoint(k, TestArrays.values(x), TestArrays.values(w), TestArrays.values(g), 0);
                for (NDArray gl : TestArrays.layouts(g)) {
                    NDArray gx = NNOps.conv2dBackwardInput(gl, w, k.inShape(), k.stride(), k.pad(), k.dil(),
                            k.groups);
                    assertArrayEquals(k.inShape(), gx.shape().toArray());
                    assertEquals(t, gx.dtype());
                    assertClose(ref, gx, tol(t));
                }
            }
        }
    }

    @Test
    void conv2dBackwardWeight_allCases_matchesAdjointLoops() {
        int seed = 200;
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Case k : CASES) {
                NDArray x = TestArrays.random(seed++, t, k.inShape());
                NDArray w = TestArrays.random(seed++, t, k.wShape());
                NDArray g = TestArrays.random(seed++, t, k.outShape());
                double[] ref = naiveAdjoint(k, TestArrays.values(x), TestArrays.values(w), TestArrays.values(g), 1);
                for (NDArray xl : TestArrays.layouts(x)) {
                    NDArray gw = NNOps.conv2dBackwardWeight(g, xl, k.wShape(), k.stride(), k.pad(), k.dil(),
                            k.groups);
                    assertArrayEquals(k.wShape(), gw.shape().toArray());
                    assertClose(ref, gw, tol(t));
                }
            }
        }
    }

    /** L = sum(conv(x, w, b) * r), from the direct loops. */
    static double loss(Case k, double[] x, double[] w, double[] b, double[] r) {
        double[] out = naiveConv(k, x, w, b);
        double s = 0;
        for (int i = 0; i < out.length; i++) {
            s += out[i] * r[i];
        }
        return s;
    }

    @Test
    void conv2dBackward_float64_matchesFiniteDifferences() {
        Random rnd = new Random(7);
        double eps = 1e-4;
        for (Case k : List.of(CASES.get(1), CASES.get(2), CASES.get(3), CASES.get(6))) {
            NDArray x = TestArrays.random(rnd.nextInt(), DType.FLOAT64, k.inShape());
            NDArray w = TestArrays.random(rnd.nextInt(), DType.FLOAT64, k.wShape());
            NDArray b = TestArrays.random(rnd.nextInt(), DType.FLOAT64, k.o);
            NDArray r = TestArrays.random(rnd.nextInt(), DType.FLOAT64, k.outShape());
            double[] xv = TestArrays.values(x), wv = TestArrays.values(w), bv = TestArrays.values(b);
            double[] rv = TestArrays.values(r);
            double[] gx = TestArrays.values(
                    NNOps.conv2dBackwardInput(r, w, k.inShape(), k.stride(), k.pad(), k.dil(), k.groups));
            double[] gw = TestArrays.values(
                    NNOps.conv2dBackwardWeight(r, x, k.wShape(), k.stride(), k.pad(), k.dil(), k.groups));
            double[] gb = TestArrays.values(NNOps.conv2dBackwardBias(r));
            for (int trial = 0; trial < 6; trial++) {
                int i = rnd.nextInt(xv.length);
                assertEquals(fd(xv, i, eps, v -> loss(k, v, wv, bv, rv)), gx[i], 1e-6, "dx " + k);
                int j = rnd.nextInt(wv.length);
                assertEquals(fd(wv, j, eps, v -> loss(k, xv, v, bv, rv)), gw[j], 1e-6, "dw " + k);
                int o = rnd.nextInt(bv.length);
                assertEquals(fd(bv, o, eps, v -> loss(k, xv, wv, v, rv)), gb[o], 1e-6, "db " + k);
            }
        }
    }

    static double fd(double[] v, int i, double eps, java.util.function.ToDoubleFunction<double[]> f) {
        double[] p = v.clone();
        p[i] += eps;
        double[] m = v.clone();
        m[i] -= eps;
        return (f.applyAsDouble(p) - f.applyAsDouble(m)) / (2 * eps);
    }

    @Test
    void conv2dBackwardBias_sumsOverBatchAndSpace() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            NDArray g = TestArrays.random(300, t, 3, 4, 2, 5);
            double[] ref = new double[4];
            TestArrays.forEachIndex(new int[] {3, 4, 2, 5}, idx -> ref[idx[1]] += g.getDouble(idx));
            for (NDArray gl : TestArrays.layouts(g)) {
                NDArray gb = NNOps.conv2dBackwardBias(gl);
                assertArrayEquals(new int[] {4}, gb.shape().toArray());
                assertEquals(t, gb.dtype());
                assertClose(ref, gb, tol(t));
            }
        }
    }

    // ------------------------------------------------------------------ errors

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void conv2d_channelMismatch_throwsNamingShapes() {
        NDArray x = NDArray.zeros(8, 3, 32, 32);
        NDArray w = NDArray.zeros(16, 3, 3, 3);
        assertEquals("conv2d: expected input [8, 3, 32, 32] to have 6 channels (weight [16, 3, 3, 3], groups 2), got 3",
                message(() -> NNOps.conv2d(x, w, null, null, null, null, 2)));
        assertTrue(message(() -> NNOps.conv2d(NDArray.zeros(1, 4, 5, 5), w, null)).contains("[1, 4, 5, 5]"));
    }

    @Test
    void conv2d_badArguments_throw() {
        NDArray x = NDArray.zeros(2, 4, 5, 5);
        String m = message(() -> NNOps.conv2d(x, NDArray.zeros(15, 2, 3, 3), null, null, null, null, 2));
        assertTrue(m.startsWith("conv2d:") && m.contains("[15, 2, 3, 3]") && m.contains("groups 2"), m);
        m = message(() -> NNOps.conv2d(x, NDArray.zeros(3, 4, 7, 3), null));
        assertTrue(m.startsWith("conv2d:") && m.contains("larger than the padded input [5, 5]"), m);
        m = message(() -> NNOps.conv2d(x, NDArray.zeros(3, 4, 5, 5), null, null, null, new int[] {2}, 1));
        assertTrue(m.contains("larger than the padded input"), m);
        m = message(() -> NNOps.conv2d(NDArray.zeros(4, 5, 5), NDArray.zeros(3, 4, 3, 3), null));
        assertTrue(m.startsWith("conv2d:") && m.contains("4-D") && m.contains("[4, 5, 5]"), m);
        m = message(() -> NNOps.conv2d(x, NDArray.zeros(3, 4, 3, 3), NDArray.zeros(4)));
        assertTrue(m.startsWith("conv2d:") && m.contains("bias") && m.contains("[4]"), m);
        m = message(() -> NNOps.conv2d(x, NDArray.zeros(3, 4, 3, 3), null, new int[] {0}, null, null, 1));
        assertTrue(m.startsWith("conv2d:") && m.contains("stride"), m);
        m = message(() -> NNOps.conv2d(x, NDArray.zeros(3, 4, 3, 3), null, null, new int[] {-1, 0}, null, 1));
        assertTrue(m.startsWith("conv2d:") && m.contains("padding"), m);
        m = message(() -> NNOps.conv2d(x, NDArray.zeros(4, 4, 3, 3), null, null, null, null, 0));
        assertTrue(m.startsWith("conv2d:") && m.contains("groups"), m);
        // padding makes an otherwise too-large kernel fit
        assertArrayEquals(new int[] {2, 3, 1, 1},
                NNOps.conv2d(x, NDArray.zeros(3, 4, 7, 7), null, null, new int[] {1}, null, 1).shape().toArray());
    }

    @Test
    void conv2dBackward_wrongGradOutShape_throws() {
        NDArray w = NDArray.zeros(3, 4, 3, 3);
        String m = message(() -> NNOps.conv2dBackwardInput(NDArray.zeros(2, 3, 4, 4), w, new int[] {2, 4, 5, 5},
                null, null, null, 1));
        assertTrue(m.startsWith("conv2dBackwardInput:") && m.contains("[2, 3, 3, 3]") && m.contains("[2, 3, 4, 4]"), m);
        m = message(() -> NNOps.conv2dBackwardWeight(NDArray.zeros(2, 3, 4, 4), NDArray.zeros(2, 4, 5, 5),
                new int[] {3, 4, 3, 3}, null, null, null, 1));
        assertTrue(m.startsWith("conv2dBackwardWeight:") && m.contains("[2, 3, 3, 3]"), m);
        m = message(() -> NNOps.conv2dBackwardBias(NDArray.zeros(2, 3)));
        assertTrue(m.startsWith("conv2dBackwardBias:") && m.contains("[2, 3]"), m);
    }

    @Test
    void conv2d_emptyBatch_givesEmptyOutput() {
        NDArray out = NNOps.conv2d(NDArray.zeros(0, 2, 4, 4), NDArray.ones(3, 2, 3, 3), NDArray.ones(3));
        assertArrayEquals(new int[] {0, 3, 2, 2}, out.shape().toArray());
        NDArray gw = NNOps.conv2dBackwardWeight(NDArray.zeros(0, 3, 2, 2), NDArray.zeros(0, 2, 4, 4),
                new int[] {3, 2, 3, 3}, null, null, null, 1);
        assertArrayEquals(new double[54], TestArrays.values(gw));
    }
}
