package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CreationTest {

    private static void assertAll(NDArray x, double v) {
        for (double d : TestArrays.values(x)) {
            assertEquals(v, d);
        }
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage() + " should contain " + p);
        }
    }

    @Test
    void zerosOnesFull_everyDtype_shapeDtypeAndValues() {
        for (DType t : DType.values()) {
            NDArray z = NDArray.zeros(t, 2, 3);
            assertEquals(Shape.of(2, 3), z.shape());
            assertEquals(t, z.dtype());
            assertTrue(z.isContiguous());
            assertAll(z, 0);
            assertAll(NDArray.ones(t, 4), 1);
            assertAll(NDArray.empty(t, 3, 0), 0);
        }
        assertEquals(DType.FLOAT32, NDArray.zeros(2).dtype());
        assertEquals(DType.FLOAT32, NDArray.ones(2).dtype());
        assertAll(NDArray.full(2.5, 2, 2), 2.5);
        assertAll(NDArray.full(DType.FLOAT64, -1.25, 3), -1.25);
        assertAll(NDArray.full(DType.INT64, 7, 3), 7);
        assertAll(NDArray.full(DType.BOOL, 3, 2), 1);
        assertEquals(DType.FLOAT32, NDArray.empty(5).dtype());
    }

    @Test
    void zeros_zeroDimAndEmpty_shapes() {
        NDArray s = NDArray.zeros();
        assertEquals(0, s.dim());
        assertEquals(1, s.numel());
        assertEquals(0, NDArray.zeros(3, 0, 2).numel());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(2, -1));
        assertMessage(e, "[2, -1]");
    }

    @Test
    void likeFunctions_copyShapeAndDtype() {
        NDArray x = TestArrays.random(1, DType.FLOAT64, 2, 3).t();
        NDArray z = NDArray.zerosLike(x);
        assertEquals(x.shape(), z.shape());
        assertEquals(DType.FLOAT64, z.dtype());
        assertAll(z, 0);
        assertAll(NDArray.onesLike(x), 1);
        assertAll(NDArray.fullLike(x, 4.5), 4.5);
    }

    @Test
    void arange_long_positiveNegativeSteps() {
        NDArray a = NDArray.arange(5);
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, TestArrays.values(a));
        assertArrayEquals(new double[] {2, 5, 8}, TestArrays.values(NDArray.arange(2, 10, 3)));
        assertArrayEquals(new double[] {2, 5, 8}, TestArrays.values(NDArray.arange(2, 9, 3)));
        assertArrayEquals(new double[] {10, 7, 4}, TestArrays.values(NDArray.arange(10, 2, -3)));
        assertArrayEquals(new double[] {10, 7, 4, 1}, TestArrays.values(NDArray.arange(10, 0, -3)));
        assertEquals(0, NDArray.arange(5, 5, 1).numel());
        assertEquals(0, NDArray.arange(5, 1, 1).numel());
        assertEquals(0, NDArray.arange(0).numel());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0, 5, 0)), "arange");
    }

    @Test
    void arange_double_float32Values() {
        NDArray a = NDArray.arange(0.0, 1.0, 0.25);
        assertEquals(DType.FLOAT32, a.dtype());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, TestArrays.values(a));
        NDArray b = NDArray.arange(1.0, -0.5, -0.5);
        assertArrayEquals(new double[] {1, 0.5, 0}, TestArrays.values(b));
        // ceil((1 - 0) / 0.3) = 4 elements: 0, 0.3, 0.6, 0.9
        double[] c = TestArrays.values(NDArray.arange(0.0, 1.0, 0.3));
        assertEquals(4, c.length);
        for (int i = 0; i < 4; i++) {
            assertEquals((float) (0.3 * i), c[i], 0);
        }
        assertEquals(0, NDArray.arange(1.0, 0.0, 0.5).numel());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> NDArray.arange(0.0, 1.0, 0.0)), "arange");
    }

    @Test
    void linspace_exactEndpointsAndEvenSpacing() {
        NDArray x = NDArray.linspace(-1, 3, 9);
        assertEquals(DType.FLOAT32, x.dtype());
        double[] v = TestArrays.values(x);
        assertEquals(9, v.length);
        for (int i = 0; i < 9; i++) {
            assertEquals(-1 + 0.5 * i, v[i], 1e-6);
        }
        NDArray y = NDArray.linspace(0.1, 0.7, 7);
        assertEquals((float) 0.1, y.getFloat(0));
        assertEquals((float) 0.7, y.getFloat(6));
        assertArrayEquals(new double[] {5}, TestArrays.values(NDArray.linspace(5, 9, 1)));
        assertEquals(0, NDArray.linspace(0, 1, 0).numel());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> NDArray.linspace(0, 1, -1)), "linspace");
    }

    @Test
    void eye_squareAndRectangular() {
        NDArray e = NDArray.eye(3, 4);
        assertEquals(Shape.of(3, 4), e.shape());
        TestArrays.forEachIndex(new int[] {3, 4}, idx -> assertEquals(idx[0] == idx[1] ? 1 : 0, e.getDouble(idx)));
        assertEquals(Shape.of(2, 2), NDArray.eye(2).shape());
        assertEquals(1, NDArray.eye(2).getDouble(1, 1));
    }

    @Test
    void of_arraysCopyDataAndCheckShape() {
        float[] data = {1, 2, 3, 4, 5, 6};
        NDArray x = NDArray.of(data, 2, 3);
        data[0] = 100;
        assertEquals(1, x.getDouble(0, 0));
        assertEquals(6, x.getDouble(1, 2));
        assertEquals(Shape.of(6), NDArray.of(data).shape());
        assertEquals(Shape.of(1), NDArray.of(new float[] {3}).shape());
        assertEquals(Shape.of(0), NDArray.of(new long[0]).shape());
        assertEquals(1, NDArray.of(new double[] {3}, new int[0]).dim(), "no shape means 1-D");
        assertEquals(DType.FLOAT64, NDArray.of(new double[] {1}).dtype());
        assertEquals(DType.INT64, NDArray.of(new long[] {1, 2}).dtype());
        assertEquals(DType.BOOL, NDArray.of(new boolean[] {true}).dtype());
        assertEquals(-3, NDArray.of(new long[] {1, -3}).getLong(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NDArray.of(new float[5], 2, 3));
        assertMessage(e, "of", "[2, 3]", "5");
    }

    @Test
    void of2d_rowsAndRaggedError() {
        NDArray x = NDArray.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertEquals(Shape.of(2, 3), x.shape());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, TestArrays.values(x));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.of(new float[][] {{1, 2}, {3}}));
        assertMessage(e, "of", "row 1");
    }

    @Test
    void scalar_zeroDim() {
        NDArray s = NDArray.scalar(2.5);
        assertEquals(0, s.dim());
        assertEquals(DType.FLOAT32, s.dtype());
        assertEquals(2.5, s.item());
        NDArray l = NDArray.scalar(DType.INT64, 9);
        assertEquals(DType.INT64, l.dtype());
        assertEquals(9, l.getLong());
    }

    @Test
    void rand_inUnitIntervalAndSeeded() {
        NDArray a = NDArray.rand(new Generator(42), 1000);
        assertEquals(DType.FLOAT32, a.dtype());
        double[] v = TestArrays.values(a);
        double mean = 0;
        for (double d : v) {
            assertTrue(d >= 0 && d < 1, "value " + d);
            mean += d / v.length;
        }
        assertEquals(0.5, mean, 0.05);
        assertArrayEquals(v, TestArrays.values(NDArray.rand(new Generator(42), 1000)));
        assertFalse(Arrays.equals(v, TestArrays.values(NDArray.rand(new Generator(43), 1000))));
    }

    @Test
    void uniform_rangeAndMoments() {
        double[] v = TestArrays.values(NDArray.uniform(new Generator(3), -2, 6, 20000));
        double mean = 0;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double d : v) {
            assertTrue(d >= -2 && d < 6, "value " + d);
            mean += d / v.length;
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertEquals(2, mean, 0.1);
        assertTrue(min < -1.9 && max > 5.9);
        assertThrows(IllegalArgumentException.class, () -> NDArray.uniform(new Generator(1), 2, 1, 3));
    }

    @Test
    void normal_100kMeanAndStdWithinTolerance() {
        double[] v = TestArrays.values(NDArray.normal(new Generator(7), 3, 2, 100_000));
        double mean = 0;
        for (double d : v) {
            mean += d;
        }
        mean /= v.length;
        double var = 0;
        for (double d : v) {
            var += (d - mean) * (d - mean);
        }
        double std = Math.sqrt(var / (v.length - 1));
        // standard error of the mean: 2 / sqrt(1e5) ~ 0.0063
        assertEquals(3, mean, 0.03);
        assertEquals(2, std, 0.03);
        // roughly 68% within one std
        int inside = 0;
        for (double d : v) {
            inside += Math.abs(d - 3) < 2 ? 1 : 0;
        }
        assertEquals(0.6827, inside / (double) v.length, 0.01);
        assertThrows(IllegalArgumentException.class, () -> NDArray.normal(new Generator(1), 0, -1, 3));
    }

    @Test
    void randn_standardNormalSeeded() {
        NDArray a = NDArray.randn(new Generator(5), 100, 100);
        assertEquals(DType.FLOAT32, a.dtype());
        assertEquals(Shape.of(100, 100), a.shape());
        double[] v = TestArrays.values(a);
        double mean = 0;
        double sq = 0;
        for (double d : v) {
            mean += d / v.length;
            sq += d * d / v.length;
        }
        assertEquals(0, mean, 0.05);
        assertEquals(1, sq, 0.05);
        assertArrayEquals(v, TestArrays.values(NDArray.randn(new Generator(5), 100, 100)));
        assertFalse(Arrays.equals(v, TestArrays.values(NDArray.randn(new Generator(6), 100, 100))));
    }

    @Test
    void randint_rangeCoversAllValues() {
        NDArray a = NDArray.randint(new Generator(9), -3, 4, 5000);
        assertEquals(DType.INT64, a.dtype());
        int[] counts = new int[7];
        for (double d : TestArrays.values(a)) {
            assertTrue(d >= -3 && d < 4 && d == Math.rint(d), "value " + d);
            counts[(int) d + 3]++;
        }
        for (int c : counts) {
            assertTrue(c > 5000 / 7 * 0.8, Arrays.toString(counts));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.randint(new Generator(1), 4, 4, 2));
        assertMessage(e, "randint");
    }

    @Test
    void randperm_isPermutation() {
        NDArray p = NDArray.randperm(50, new Generator(11));
        assertEquals(DType.INT64, p.dtype());
        double[] v = TestArrays.values(p);
        boolean[] seen = new boolean[50];
        boolean moved = false;
        for (int i = 0; i < v.length; i++) {
            int k = (int) v[i];
            assertFalse(seen[k]);
            seen[k] = true;
            moved |= k != i;
        }
        assertTrue(moved);
        assertArrayEquals(v, TestArrays.values(NDArray.randperm(50, new Generator(11))));
        assertEquals(0, NDArray.randperm(0, new Generator(1)).numel());
        assertThrows(IllegalArgumentException.class, () -> NDArray.randperm(-1, new Generator(1)));
    }

    @Test
    void globalGenerator_manualSeedReproduces() {
        Generator.manualSeed(123);
        double[] a = TestArrays.values(NDArray.rand(10));
        double[] b = TestArrays.values(NDArray.randn(10));
        Generator.manualSeed(123);
        assertArrayEquals(a, TestArrays.values(NDArray.rand(10)));
        assertArrayEquals(b, TestArrays.values(NDArray.randn(10)));
    }

    @Test
    void uniformInPlaceAndNormalInPlace_keepDtypeAndWriteThroughViews() {
        NDArray base = NDArray.zeros(DType.FLOAT64, 4, 6);
        NDArray view = base.slice(1, 0, 6, 2);
        view.uniformInPlace(new Generator(1), 10, 11);
        assertEquals(DType.FLOAT64, base.dtype());
        TestArrays.forEachIndex(new int[] {4, 6}, idx -> {
            double d = base.getDouble(idx);
            assertTrue(idx[1] % 2 == 0 ? d >= 10 && d < 11 : d == 0, Arrays.toString(idx) + " " + d);
        });
        NDArray n = NDArray.zeros(1000).normalInPlace(new Generator(2), 5, 0.01);
        for (double d : TestArrays.values(n)) {
            assertEquals(5, d, 0.1);
        }
    }
}
