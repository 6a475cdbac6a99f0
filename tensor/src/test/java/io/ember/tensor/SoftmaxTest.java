package io.ember.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SoftmaxTest {

    /** Reference softmax (or log-softmax) at one index: a plain loop over the slice along dim. */
    private static double refAt(NDArray x, int[] idx, int dim, boolean log) {
        int n = x.size(dim);
        int[] j = idx.clone();
        double[] row = new double[n];
        double mx = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            j[dim] = k;
            row[k] = x.getDouble(j);
            mx = Math.max(mx, row[k]);
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(row[k] - mx);
        }
        double v = x.getDouble(idx);
        return log ? v - mx - Math.log(sum) : Math.exp(v - mx) / sum;
    }

    private static void check(NDArray x, int dim, boolean log, double tol) {
        int rank = x.dim();
        int d = dim < 0 ? dim + rank : dim;
        DType expected = x.dtype().toFloating();
        for (NDArray v : TestArrays.layouts(x)) {
            NDArray r = log ? v.logSoftmax(dim) : v.softmax(dim);
            assertEquals(expected, r.dtype());
            assertArrayEquals(x.shape().toArray(), r.shape().toArray());
            TestArrays.forEachIndex(x.shape().toArray(), idx -> assertEquals(refAt(x, idx, d, log), r.getDouble(idx),
                    tol, (log ? "logSoftmax" : "softmax") + " dim " + dim + " at " + java.util.Arrays.toString(idx)
                            + " contiguous=" + v.isContiguous()));
        }
    }

    @Test
    void softmax_randomShapesEveryDim_matchesLoop() {
        Random r = new Random(8);
        for (int trial = 0; trial < 8; trial++) {
            DType t = trial % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int rank = 1 + r.nextInt(3);
            int[] shape = new int[rank];
            for (int i = 0; i < rank; i++) {
                shape[i] = 1 + r.nextInt(5);
            }
            NDArray x = TestArrays.random(50 + trial, t, shape).mul(3);
            int dim = r.nextInt(rank) - (r.nextBoolean() ? rank : 0);
            double tol = t == DType.FLOAT32 ? 1e-6 : 1e-13;
            check(x, dim, false, tol);
            check(x, dim, true, t == DType.FLOAT32 ? 1e-5 : 1e-12);
        }
    }

    @Test
    void softmax_int64_computesInFloat32() {
        NDArray x = TestArrays.random(4, DType.INT64, 3, 4);
        check(x, 1, false, 1e-6);
        check(x, 0, true, 1e-5);
    }

    @Test
    void softmax_largeValues_doNotOverflow() {
        NDArray x = NDArray.of(new float[] {1000, 1001}, 2);
        double e = Math.exp(-1);
        assertArrayEquals(new float[] {(float) (e / (1 + e)), (float) (1 / (1 + e))}, x.softmax(0).toFloatArray(),
                1e-6f);
        NDArray l = x.logSoftmax(0);
        assertEquals(-1 - Math.log1p(e), l.getDouble(0), 1e-5);
        assertEquals(-Math.log1p(e), l.getDouble(1), 1e-5);
        NDArray neg = NDArray.of(new double[] {-1000, -1001}, 2).softmax(-1);
        assertEquals(1 / (1 + e), neg.getDouble(0), 1e-12);
    }

    @Test
    void softmax_permutedView_matchesLoop() {
        NDArray base = TestArrays.random(12, DType.FLOAT32, 3, 5, 4);
        NDArray p = base.permute(2, 0, 1);
        for (int dim = 0; dim < 3; dim++) {
            NDArray r = p.softmax(dim);
            final int d = dim;
            TestArrays.forEachIndex(p.shape().toArray(),
                    idx -> assertEquals(refAt(p, idx, d, false), r.getDouble(idx), 1e-6));
            NDArray sums = r.sum(dim);
            for (double s : TestArrays.values(sums)) {
                assertEquals(1, s, 1e-5);
            }
        }
    }

    @Test
    void softmax_allNegInfRow_givesNaN() {
        float ninf = Float.NEGATIVE_INFINITY;
        NDArray x = NDArray.of(new float[] {ninf, ninf, 0, ninf}, 2, 2);
        NDArray r = x.softmax(1);
        assertTrue(Float.isNaN(r.getFloat(0, 0)) && Float.isNaN(r.getFloat(0, 1)));
        assertEquals(1f, r.getFloat(1, 0));
        assertEquals(0f, r.getFloat(1, 1));
        NDArray l = x.logSoftmax(1);
        assertTrue(Float.isNaN(l.getFloat(0, 0)));
        assertEquals(0f, l.getFloat(1, 0));
        assertEquals(ninf, l.getFloat(1, 1));
    }

    @Test
    void softmax_zeroDimAndSizeOneAndEmpty() {
        NDArray s = NDArray.scalar(DType.FLOAT64, 5);
        assertEquals(1.0, s.softmax(0).item());
        assertEquals(0, s.softmax(-1).dim());
        assertEquals(0.0, s.logSoftmax(0).item());
        NDArray one = TestArrays.random(2, DType.FLOAT32, 3, 1);
        assertArrayEquals(new float[] {1, 1, 1}, one.softmax(1).toFloatArray());
        assertArrayEquals(new int[] {0, 3}, NDArray.zeros(0, 3).softmax(1).shape().toArray());
    }

    @Test
    void softmax_largeBatch_parallelRows_matchesLoop() {
        int before = Threads.get();
        Threads.set(4);
        try {
            NDArray x = TestArrays.random(77, DType.FLOAT32, 512, 64);
            NDArray r = x.t().softmax(0);
            for (int i = 0; i < 512; i += 37) {
                for (int k = 0; k < 64; k += 9) {
                    assertEquals(refAt(x, new int[] {i, k}, 1, false), r.getDouble(k, i), 1e-6);
                }
            }
        } finally {
            Threads.set(before);
        }
    }

    @Test
    void softmax_badDim_throwsNamingOp() {
        NDArray x = NDArray.zeros(2, 3);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> x.softmax(2));
        assertTrue(ex.getMessage().startsWith("softmax: dim 2 out of range"), ex.getMessage());
        ex = assertThrows(IllegalArgumentException.class, () -> x.logSoftmax(-3));
        assertTrue(ex.getMessage().startsWith("logSoftmax: dim -3 out of range"), ex.getMessage());
    }
}
