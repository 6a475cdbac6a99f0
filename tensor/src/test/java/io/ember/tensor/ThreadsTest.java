package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ThreadsTest {

    private static float[] elementwise(NDArray x, NDArray y) {
        return x.mul(y).add(x.t().t()).sigmoid().sub(y.exp()).toFloatArray();
    }

    @Test
    void set1VsSet2_identicalResults() {
        int original = Threads.get();
        try {
            NDArray x = NDArray.randn(new Generator(1), 1100, 1000);
            NDArray y = NDArray.randn(new Generator(2), 1100, 1000);
            NDArray xt = NDArray.randn(new Generator(3), 1000, 1100).t(); // strided input
            NDArray a = NDArray.randn(new Generator(4), 200, 150);
            NDArray b = NDArray.randn(new Generator(5), 150, 120);
            Threads.set(1);
            assertEquals(1, Threads.get());
            float[] e1 = elementwise(x, y);
            float[] s1 = xt.add(y).toFloatArray();
            float[] m1 = a.matmul(b).toFloatArray();
            double[] d1 = a.to(DType.FLOAT64).matmul(b.to(DType.FLOAT64)).toDoubleArray();
            Threads.set(2);
            assertEquals(2, Threads.get());
            assertArrayEquals(e1, elementwise(x, y));
            assertArrayEquals(s1, xt.add(y).toFloatArray());
            // OpenBLAS's SGEMM is not bitwise reproducible across thread counts (its single-thread
            // path for small sizes accumulates in another order), so float32 matmul agrees to rounding;
            // DGEMM and Ember's own loops are identical.
            float[] m2 = a.matmul(b).toFloatArray();
            for (int i = 0; i < m1.length; i++) {
                assertEquals(m1[i], m2[i], 1e-5 * Math.max(1, Math.abs(m1[i])), "float32 matmul at " + i);
            }
            assertArrayEquals(d1, a.to(DType.FLOAT64).matmul(b.to(DType.FLOAT64)).toDoubleArray());
            // and the single-thread result is right
            int[] probes = {0, 12345, 1_099_999};
            for (int p : probes) {
                int i = p / 1000;
                int j = p % 1000;
                double xv = x.getDouble(i, j);
                double yv = y.getDouble(i, j);
                double expected = 1 / (1 + Math.exp(-(float) ((float) (xv * yv) + xv))) - (float) Math.exp(yv);
                assertEquals(expected, e1[p], 1e-5);
            }
        } finally {
            Threads.set(original);
        }
        assertEquals(original, Threads.get());
    }

    @Test
    void set_zeroOrNegative_throws() {
        int original = Threads.get();
        try {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Threads.set(0));
            assertTrue(e.getMessage().contains("Threads.set") && e.getMessage().contains("0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Threads.set(-2));
            assertEquals(original, Threads.get());
        } finally {
            Threads.set(original);
        }
    }
}
