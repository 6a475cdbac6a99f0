package io.ember.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReductionsTest {

    // ------------------------------------------------------------------ reference (plain loops)

    /** Groups x's values (row-major) by their keepdim output position; one list per output element. */
    private static List<double[]> groups(NDArray x, int[] dims) {
        int[] shape = x.shape().toArray();
        boolean[] red = new boolean[shape.length];
        for (int d : dims) {
            red[d < 0 ? d + shape.length : d] = true;
        }
        int[] kept = keptShape(shape, red);
        int outN = Shape.numel(kept);
        List<List<Double>> lists = new ArrayList<>();
        for (int i = 0; i < outN; i++) {
            lists.add(new ArrayList<>());
        }
        TestArrays.forEachIndex(shape, idx -> {
            int flat = 0;
            for (int d = 0; d < shape.length; d++) {
                flat = flat * kept[d] + (red[d] ? 0 : idx[d]);
            }
            lists.get(flat).add(x.getDouble(idx));
        });
        List<double[]> out = new ArrayList<>();
        for (List<Double> l : lists) {
            out.add(l.stream().mapToDouble(Double::doubleValue).toArray());
        }
        return out;
    }

    private static int[] keptShape(int[] shape, boolean[] red) {
        int[] kept = shape.clone();
        for (int d = 0; d < shape.length; d++) {
            if (red[d]) {
                kept[d] = 1;
            }
        }
        return kept;
    }

    private static int[] expectedShape(int[] shape, int[] dims, boolean keepdim) {
        boolean[] red = new boolean[shape.length];
        for (int d : dims) {
            red[d < 0 ? d + shape.length : d] = true;
        }
        List<Integer> s = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (!red[d]) {
                s.add(shape[d]);
            } else if (keepdim) {
                s.add(1);
            }
        }
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    static double refSum(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e;
        }
        return s;
    }

    static double refProd(double[] v) {
        double s = 1;
        for (double e : v) {
            s *= e;
        }
        return s;
    }

    static double refMax(double[] v) {
        double m = v[0];
        for (double e : v) {
            if (Double.isNaN(e)) {
                return e;
            }
            m = Math.max(m, e);
        }
        return m;
    }

    static double refMin(double[] v) {
        double m = v[0];
        for (double e : v) {
            if (Double.isNaN(e)) {
                return e;
            }
            m = Math.min(m, e);
        }
        return m;
    }

    static int refArgMax(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    static int refArgMin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }

    static double refVar(double[] v, int correction) {
        double mean = refSum(v) / v.length;
        double s = 0;
        for (double e : v) {
            s += (e - mean) * (e - mean);
        }
        return s / (v.length - correction);
    }

    static double refLogSumExp(double[] v) {
        double s = 0;
        for (double e : v) {
            s += Math.exp(e);
        }
        return Math.log(s);
    }

    static double refNorm(double[] v, double p) {
        if (p == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (double e : v) {
                m = Math.max(m, Math.abs(e));
            }
            return m;
        }
        if (p == 0) {
            int c = 0;
            for (double e : v) {
                c += e != 0 ? 1 : 0;
            }
            return c;
        }
        double s = 0;
        for (double e : v) {
            s += Math.pow(Math.abs(e), p);
        }
        return Math.pow(s, 1 / p);
    }

    private static void assertClose(double expected, double actual, double tol, String what) {
        if (Double.isNaN(expected)) {
            assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
            return;
        }
        if (Double.isInfinite(expected)) {
            assertEquals(expected, actual, what);
            return;
        }
        assertEquals(expected, actual, tol * Math.max(1, Math.abs(expected)), what);
    }

    /** Checks op(x, dims, keepdim) against ref over every layout of x. */
    private static void check(String what, NDArray x, int[] dims, boolean keepdim, DType expectedType,
            Function<NDArray, NDArray> op, ToDoubleFunction<double[]> ref, double tol) {
        List<double[]> g = groups(x, dims);
        int[] shape = expectedShape(x.shape().toArray(), dims, keepdim);
        for (NDArray view : TestArrays.layouts(x)) {
            NDArray r = op.apply(view);
            String msg = what + " of " + x.shape() + " over " + Arrays.toString(dims) + " keepdim=" + keepdim
                    + " contiguous=" + view.isContiguous();
            assertArrayEquals(shape, r.shape().toArray(), msg + " shape");
            assertEquals(expectedType, r.dtype(), msg + " dtype");
            double[] got = TestArrays.values(r);
            for (int i = 0; i < got.length; i++) {
                assertClose(ref.applyAsDouble(g.get(i)), got[i], tol, msg + " at " + i);
            }
        }
    }

    private static double tol(DType t) {
        return t == DType.FLOAT32 ? 2e-5 : 1e-12;
    }

    /** A random shape of rank 1..4 with sizes 1..5, and a random non-empty set of dims (some negative). */
    private static int[] randomShape(Random r) {
        int rank = 1 + r.nextInt(4);
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) {
            s[i] = 1 + r.nextInt(5);
        }
        return s;
    }

    private static int[] randomDims(Random r, int rank) {
        List<Integer> ds = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            if (r.nextBoolean()) {
                ds.add(r.nextBoolean() ? d : d - rank);
            }
        }
        if (ds.isEmpty()) {
            ds.add(r.nextInt(rank) - rank);
        }
        java.util.Collections.shuffle(ds, r);
        return ds.stream().mapToInt(Integer::intValue).toArray();
    }

    // ------------------------------------------------------------------ randomized floating ops

    @Test
    void floatingOps_randomShapesAndDims_matchLoops() {
        Random r = new Random(42);
        for (int trial = 0; trial < 12; trial++) {
            DType t = trial % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int[] shape = randomShape(r);
            int[] dims = randomDims(r, shape.length);
            boolean keep = r.nextBoolean();
            NDArray x = TestArrays.random(100 + trial, t, shape);
            double tl = tol(t);
            check("sum", x, dims, keep, t, v -> v.sum(dims, keep), ReductionsTest::refSum, tl);
            check("mean", x, dims, keep, t, v -> v.mean(dims, keep), g -> refSum(g) / g.length, tl);
            check("amax", x, dims, keep, t, v -> v.amax(dims, keep), ReductionsTest::refMax, 0);
            check("amin", x, dims, keep, t, v -> v.amin(dims, keep), ReductionsTest::refMin, 0);
            check("var", x, dims, keep, t, v -> v.var(dims, false, keep), g -> refVar(g, 0), tl);
            check("logSumExp", x, dims, keep, t, v -> v.logSumExp(dims, keep), ReductionsTest::refLogSumExp, tl);
            check("norm2", x, dims, keep, t, v -> v.norm(2, dims, keep), g -> refNorm(g, 2), tl);
            check("norm3", x, dims, keep, t, v -> v.norm(3, dims, keep), g -> refNorm(g, 3), tl);
        }
    }

    @Test
    void sumMean_overLeadingDims_matchLoop() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            NDArray x = TestArrays.random(31, t, 6, 3, 5);
            for (int[] dims : new int[][] {{0}, {0, 1}, {1}, {-3, -1}}) {
                for (boolean keep : new boolean[] {true, false}) {
                    check("sum", x, dims, keep, t, v -> v.sum(dims, keep), ReductionsTest::refSum, tol(t));
                    check("mean", x, dims, keep, t, v -> v.mean(dims, keep), g -> refSum(g) / g.length, tol(t));
                }
            }
        }
    }

    @Test
    void bool_maxMinWithIndices_firstTrueOrFalse() {
        NDArray x = NDArray.of(new boolean[] {false, true, true, true, true, false}, 2, 3);
        for (NDArray v : TestArrays.layouts(x)) {
            ValuesIndices mx = v.max(1, false);
            assertEquals(DType.BOOL, mx.values().dtype());
            assertArrayEquals(new boolean[] {true, true}, mx.values().toBooleanArray());
            assertArrayEquals(new long[] {1, 0}, mx.indices().toLongArray());
            ValuesIndices mn = v.min(1, true);
            assertArrayEquals(new boolean[] {false, false}, mn.values().toBooleanArray());
            assertArrayEquals(new long[] {0, 2}, mn.indices().toLongArray());
            assertArrayEquals(new int[] {2, 1}, mn.indices().shape().toArray());
        }
    }

    @Test
    void prod_overOneDim_matchesLoop() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            NDArray x = TestArrays.random(7, t, 3, 4, 2);
            for (int dim : new int[] {0, 1, -1}) {
                for (boolean keep : new boolean[] {true, false}) {
                    check("prod", x, new int[] {dim}, keep, t, v -> v.prod(dim, keep), ReductionsTest::refProd,
                            tol(t));
                }
            }
        }
    }

    @Test
    void varUnbiased_andStd_matchLoop() {
        NDArray x = TestArrays.random(3, DType.FLOAT64, 4, 5);
        int[] dims = {1};
        check("var", x, dims, false, DType.FLOAT64, v -> v.var(dims, true, false), g -> refVar(g, 1), 1e-12);
        check("std", x, dims, true, DType.FLOAT64, v -> v.std(dims, true, true), g -> Math.sqrt(refVar(g, 1)),
                1e-12);
        double[] all = TestArrays.values(x);
        assertEquals(refVar(all, 1), x.var(true).item(), 1e-12);
        assertEquals(Math.sqrt(refVar(all, 0)), x.std(false).item(), 1e-12);
        assertEquals(0, x.var(true).dim());
    }

    @Test
    void var_singleElementUnbiased_isNaN() {
        assertTrue(Double.isNaN(NDArray.of(new float[] {3}, 1).var(true).item()));
        assertEquals(0, NDArray.of(new float[] {3}, 1).var(false).item());
    }

    @Test
    void norm_specialOrders_matchLoop() {
        NDArray x = TestArrays.random(11, DType.FLOAT32, 3, 4);
        x.set(0, 1, 2);
        int[] dims = {0};
        for (double p : new double[] {1, 2, 0, Double.POSITIVE_INFINITY, 0.5, 4}) {
            check("norm" + p, x, dims, false, DType.FLOAT32, v -> v.norm(p, dims, false), g -> refNorm(g, p), 2e-5);
        }
        assertEquals(refNorm(TestArrays.values(x), 2), x.norm().item(), 1e-5);
        assertEquals(refNorm(TestArrays.values(x), 1), x.norm(1).item(), 1e-5);
        assertEquals(0.5, NDArray.of(new double[] {-0.5, 0.25}, 2).norm(Double.NEGATIVE_INFINITY).item() * 2, 1e-12);
    }

    // ------------------------------------------------------------------ integer and bool dtypes

    @Test
    void int64_sumProdMaxMin_exactAndInt64() {
        Random r = new Random(5);
        for (int trial = 0; trial < 6; trial++) {
            int[] shape = randomShape(r);
            int[] dims = randomDims(r, shape.length);
            boolean keep = r.nextBoolean();
            NDArray x = TestArrays.random(200 + trial, DType.INT64, shape);
            check("sum", x, dims, keep, DType.INT64, v -> v.sum(dims, keep), ReductionsTest::refSum, 0);
            check("amax", x, dims, keep, DType.INT64, v -> v.amax(dims, keep), ReductionsTest::refMax, 0);
            check("amin", x, dims, keep, DType.INT64, v -> v.amin(dims, keep), ReductionsTest::refMin, 0);
        }
    }

    @Test
    void int64_sum_largeValuesStayExact() {
        long big = (1L << 53) + 1;
        NDArray x = NDArray.of(new long[] {big, 1, 1}, 3);
        assertEquals(big + 2, x.sum().getLong());
        assertEquals(DType.INT64, x.sum().dtype());
    }

    @Test
    void bool_sumGivesInt64_meanGivesFloat32() {
        NDArray x = NDArray.of(new boolean[] {true, false, true, true, false, true}, 2, 3);
        for (NDArray v : TestArrays.layouts(x)) {
            NDArray s = v.sum(1);
            assertEquals(DType.INT64, s.dtype());
            assertArrayEquals(new long[] {2, 2}, s.toLongArray());
            NDArray m = v.mean(new int[] {0}, false);
            assertEquals(DType.FLOAT32, m.dtype());
            assertArrayEquals(new float[] {1f, 0f, 1f}, m.toFloatArray());
            assertEquals(DType.BOOL, v.amax(new int[] {1}, false).dtype());
            assertArrayEquals(new boolean[] {true, false, true}, v.amin(new int[] {0}, false).toBooleanArray());
        }
    }

    @Test
    void int64_meanVarNormLogSumExp_convertToFloat32() {
        NDArray x = NDArray.of(new long[] {1, 2, 3, 6}, 4);
        assertEquals(DType.FLOAT32, x.mean().dtype());
        assertEquals(3.0, x.mean().item(), 1e-6);
        assertEquals(DType.FLOAT32, x.var(false).dtype());
        assertEquals(3.5, x.var(false).item(), 1e-6);
        assertEquals(Math.sqrt(50), x.norm().item(), 1e-5);
        assertEquals(DType.FLOAT32, x.norm().dtype());
        assertEquals(refLogSumExp(new double[] {1, 2, 3, 6}), x.logSumExp(0, false).item(), 1e-5);
    }

    @Test
    void anyAll_boolFloatInt_matchLoops() {
        NDArray b = TestArrays.random(9, DType.BOOL, 4, 3);
        NDArray f = TestArrays.random(10, DType.INT64, 4, 3).to(DType.FLOAT64);
        for (NDArray x : new NDArray[] {b, f, f.to(DType.INT64)}) {
            for (int dim : new int[] {0, -1}) {
                check("any", x, new int[] {dim}, false, DType.BOOL, v -> v.any(dim, false),
                        g -> Arrays.stream(g).anyMatch(e -> e != 0) ? 1 : 0, 0);
                check("all", x, new int[] {dim}, true, DType.BOOL, v -> v.all(dim, true),
                        g -> Arrays.stream(g).allMatch(e -> e != 0) ? 1 : 0, 0);
            }
            double[] all = TestArrays.values(x);
            assertEquals(Arrays.stream(all).anyMatch(e -> e != 0), x.any().getBoolean());
            assertEquals(Arrays.stream(all).allMatch(e -> e != 0), x.all().getBoolean());
        }
        assertTrue(NDArray.of(new float[] {Float.NaN, 1}, 2).all().getBoolean());
    }

    // ------------------------------------------------------------------ values with indices

    @Test
    void maxMinWithIndices_randomInts_firstOccurrence() {
        Random r = new Random(17);
        for (int trial = 0; trial < 8; trial++) {
            DType t = new DType[] {DType.INT64, DType.FLOAT32, DType.FLOAT64}[trial % 3];
            int[] shape = randomShape(r);
            int dim = r.nextInt(shape.length) - (r.nextBoolean() ? shape.length : 0);
            boolean keep = r.nextBoolean();
            // small integer values make ties frequent
            NDArray x = TestArrays.random(300 + trial, DType.INT64, shape).to(t);
            int[] dims = {dim};
            check("max.values", x, dims, keep, t, v -> v.max(dim, keep).values(), ReductionsTest::refMax, 0);
            check("max.indices", x, dims, keep, DType.INT64, v -> v.max(dim, keep).indices(),
                    ReductionsTest::refArgMax, 0);
            check("min.values", x, dims, keep, t, v -> v.min(dim, keep).values(), ReductionsTest::refMin, 0);
            check("argmin", x, dims, keep, DType.INT64, v -> v.argmin(dim, keep), ReductionsTest::refArgMin, 0);
            check("argmax", x, dims, keep, DType.INT64, v -> v.argmax(dim, keep), ReductionsTest::refArgMax, 0);
        }
    }

    @Test
    void argmaxArgmin_flattened_firstOccurrence() {
        NDArray x = NDArray.of(new float[] {1, 5, 5, -2, 0, -2}, 2, 3);
        for (NDArray v : TestArrays.layouts(x)) {
            assertEquals(1, v.argmax().getLong());
            assertEquals(3, v.argmin().getLong());
            assertEquals(0, v.argmax().dim());
        }
        // transposed: flattened order is [1, -2, 5, 0, 5, -2]
        assertEquals(2, x.t().argmax().getLong());
        assertEquals(1, x.t().argmin().getLong());
    }

    @Test
    void max_withNaN_propagatesNaNAndItsIndex() {
        NDArray x = NDArray.of(new float[] {1, Float.NaN, 3, 2, 4, Float.NaN}, 2, 3);
        ValuesIndices vi = x.max(1, false);
        assertTrue(Float.isNaN(vi.values().getFloat(0)));
        assertTrue(Float.isNaN(vi.values().getFloat(1)));
        assertArrayEquals(new long[] {1, 2}, vi.indices().toLongArray());
        assertTrue(Double.isNaN(x.max().item()));
        assertTrue(Double.isNaN(x.min().item()));
        assertTrue(Double.isNaN(x.amin(new int[] {0}, false).getDouble(1)));
        NDArray cols = x.amin(new int[] {0}, false);
        assertEquals(1, cols.getDouble(0));
        assertTrue(Double.isNaN(cols.getDouble(2)));
    }

    @Test
    void withIndices_on0d_acceptsDim0AndMinus1() {
        NDArray s = NDArray.scalar(DType.FLOAT64, 2.5);
        for (int dim : new int[] {0, -1}) {
            ValuesIndices vi = s.max(dim, false);
            assertEquals(0, vi.values().dim());
            assertEquals(2.5, vi.values().item());
            assertEquals(0, vi.indices().getLong());
            assertEquals(0, s.argmin(dim, true).dim());
        }
        assertThrows(IllegalArgumentException.class, () -> s.max(1, false));
    }

    // ------------------------------------------------------------------ 0-d, size-1, empty, expanded

    @Test
    void fullReduction_gives0d() {
        NDArray x = TestArrays.random(1, DType.FLOAT32, 2, 3);
        double[] v = TestArrays.values(x);
        for (NDArray l : TestArrays.layouts(x)) {
            assertEquals(0, l.sum().dim());
            assertEquals(refSum(v), l.sum().item(), 1e-5);
            assertEquals(refSum(v) / 6, l.mean().item(), 1e-6);
            assertEquals(refProd(v), l.prod().item(), 1e-5);
            assertEquals(refMax(v), l.max().item());
            assertEquals(refMin(v), l.min().item());
            assertArrayEquals(new int[] {1, 1}, l.sum(new int[0], true).shape().toArray());
            assertEquals(0, l.amax(null, false).dim());
        }
    }

    @Test
    void zeroDim_reductions_returnTheValue() {
        NDArray s = NDArray.scalar(DType.FLOAT32, -3);
        assertEquals(-3, s.sum().item());
        assertEquals(0, s.sum(0).dim());
        assertEquals(-3, s.sum(-1, true).item());
        assertEquals(0, s.sum(-1, true).dim());
        assertEquals(-3, s.mean().item());
        assertEquals(-3, s.max().item());
        assertEquals(3, s.norm().item(), 1e-6);
        assertEquals(-3, s.logSumExp(0, false).item(), 1e-6);
        assertTrue(s.any().getBoolean());
        NDArray i = NDArray.scalar(DType.INT64, 4);
        assertEquals(DType.INT64, i.sum().dtype());
        assertEquals(4, i.prod().getLong());
    }

    @Test
    void emptyDims_giveIdentities() {
        NDArray e = NDArray.zeros(0, 3);
        NDArray s = e.sum(0);
        assertArrayEquals(new int[] {3}, s.shape().toArray());
        assertArrayEquals(new float[] {0, 0, 0}, s.toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, e.prod(0, false).toFloatArray());
        assertTrue(Double.isNaN(e.mean(0, false).getDouble(1)));
        assertEquals(Double.NEGATIVE_INFINITY, e.logSumExp(0, false).getDouble(2));
        assertEquals(0, e.norm().item());
        assertEquals(false, e.any().getBoolean());
        assertEquals(true, e.all().getBoolean());
        assertArrayEquals(new int[] {0}, e.sum(1).shape().toArray());
        assertArrayEquals(new int[] {0, 1}, e.amax(new int[] {1}, true).shape().toArray());
        assertEquals(0, NDArray.zeros(DType.INT64, 0).sum().getLong());
    }

    @Test
    void maxMin_emptySlice_throwsNamingShape() {
        NDArray e = NDArray.zeros(0, 3);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> e.max(0, false));
        assertEquals("max: cannot reduce over an empty dim 0 of shape [0, 3]", ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, e::min);
        assertTrue(ex.getMessage().startsWith("min: cannot reduce over an empty dim 0"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, e::argmax);
        assertTrue(ex.getMessage().contains("max") && ex.getMessage().contains("[0]"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> e.amin(new int[] {0}, false));
        assertTrue(ex.getMessage().contains("[0, 3]"), ex.getMessage());
    }

    @Test
    void expandedInput_stride0_matchesLoop() {
        NDArray base = TestArrays.random(21, DType.FLOAT64, 3, 1);
        NDArray x = base.expand(3, 4).unsqueeze(0).expand(2, 3, 4);
        for (int[] dims : new int[][] {{0}, {1}, {2}, {0, 2}, {0, 1, 2}}) {
            List<double[]> g = groups(x, dims);
            double[] got = TestArrays.values(x.sum(dims, true));
            for (int i = 0; i < got.length; i++) {
                assertEquals(refSum(g.get(i)), got[i], 1e-12);
            }
            double[] mx = TestArrays.values(x.amax(dims, false));
            for (int i = 0; i < mx.length; i++) {
                assertEquals(refMax(g.get(i)), mx[i]);
            }
        }
    }

    // ------------------------------------------------------------------ logSumExp edge cases

    @Test
    void logSumExp_largeAndInfiniteInputs_stable() {
        NDArray x = NDArray.of(new float[] {1000, 1000, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}, 2, 2);
        NDArray r = x.logSumExp(1, false);
        assertEquals(1000 + Math.log(2), r.getDouble(0), 1e-3);
        assertEquals(Double.NEGATIVE_INFINITY, r.getDouble(1));
        NDArray d = NDArray.of(new double[] {-1000, -1001}, 2);
        assertEquals(-1000 + Math.log1p(Math.exp(-1)), d.logSumExp(0, false).item(), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY,
                NDArray.of(new double[] {Double.POSITIVE_INFINITY, 1}, 2).logSumExp(0, false).item());
    }

    // ------------------------------------------------------------------ errors

    @Test
    void repeatedDims_throwNamingOpAndDims() {
        NDArray x = NDArray.zeros(2, 3, 4);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> x.sum(new int[] {1, -2}, false));
        assertEquals("sum: dim 1 appears multiple times in [1, -2]", ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> x.var(new int[] {0, 0}, true, false));
        assertTrue(ex.getMessage().startsWith("var: dim 0 appears multiple times"), ex.getMessage());
    }

    @Test
    void outOfRangeDims_throwNamingOp() {
        NDArray x = NDArray.zeros(2, 3);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> x.sum(2));
        assertTrue(ex.getMessage().startsWith("sum: dim 2 out of range"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> x.mean(-3, false));
        assertTrue(ex.getMessage().startsWith("mean: dim -3 out of range"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> x.max(5, true));
        assertTrue(ex.getMessage().startsWith("max: dim 5"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> x.norm(2, new int[] {7}, false));
        assertTrue(ex.getMessage().startsWith("norm: dim 7"), ex.getMessage());
    }

    // ------------------------------------------------------------------ parallel paths

    @Test
    void sum_largeFullReduction_matchesDoubleLoop() {
        int before = Threads.get();
        Threads.set(4);
        try {
            int n = 1 << 20;
            float[] data = new float[n];
            Random r = new Random(99);
            double ref = 0;
            double refAbsMax = 0;
            int argmax = 0;
            for (int i = 0; i < n; i++) {
                data[i] = (float) (r.nextDouble() * 2 - 0.5);
                ref += data[i];
                if (data[i] > data[argmax]) {
                    argmax = i;
                }
            }
            NDArray x = NDArray.of(data, n);
            assertEquals(ref, x.sum().item(), 1e-6 * Math.abs(ref));
            assertEquals(ref / n, x.mean().item(), 1e-6);
            assertEquals(argmax, x.argmax().getLong());
            assertEquals(data[argmax], x.max().item());
            // non-contiguous: the same values viewed as [1024, 1024] transposed
            NDArray t = x.view(1024, 1024).t();
            assertEquals(ref, t.sum().item(), 1e-6 * Math.abs(ref));
            // few outputs, long reduced range: [2, n/2] over dim 1 (and through a transposed view)
            NDArray two = x.view(2, n / 2);
            double ref0 = 0;
            for (int i = 0; i < n / 2; i++) {
                ref0 += data[i];
            }
            assertEquals(ref0, two.sum(1).getDouble(0), 1e-6 * Math.abs(ref0));
            assertEquals(ref0, two.t().sum(0).getDouble(0), 1e-6 * Math.abs(ref0));
            double refVar0 = 0;
            for (int i = 0; i < n / 2; i++) {
                refVar0 += (data[i] - ref0 / (n / 2)) * (data[i] - ref0 / (n / 2));
            }
            assertEquals(refVar0 / (n / 2 - 1), two.var(new int[] {1}, true, false).getDouble(0), 1e-6);
            // many outputs: sum over dim 0 of [1024, 1024]
            NDArray cols = x.view(1024, 1024).sum(0);
            for (int j = 0; j < 1024; j += 97) {
                double c = 0;
                for (int i = 0; i < 1024; i++) {
                    c += data[i * 1024 + j];
                }
                assertEquals(c, cols.getDouble(j), 1e-4);
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void argmax_largeWithTiesAcrossChunks_firstOccurrence() {
        int before = Threads.get();
        Threads.set(4);
        try {
            int n = 1 << 18;
            long[] data = new long[n];
            data[n / 2 + 5] = 7;
            data[n - 1] = 7;
            data[3] = -1;
            data[n - 2] = -1;
            NDArray x = NDArray.of(data, n);
            assertEquals(n / 2 + 5, x.argmax().getLong());
            assertEquals(3, x.argmin().getLong());
            assertEquals(7, x.max().getLong());
        } finally {
            Threads.set(before);
        }
    }
}
