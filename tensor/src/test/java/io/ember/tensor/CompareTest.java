package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CompareTest {

    @Test
    void equal_sameValuesAllLayouts_true() {
        for (DType t : DType.values()) {
            NDArray x = TestArrays.random(1, t, 3, 4, 5);
            for (NDArray a : TestArrays.layouts(x)) {
                for (NDArray b : TestArrays.layouts(x)) {
                    assertTrue(a.equals(b), t + " " + a.shape());
                }
            }
        }
    }

    @Test
    void equal_oneElementDiffers_falseOnEveryLayout() {
        NDArray x = TestArrays.random(2, DType.FLOAT32, 3, 4);
        NDArray y = x.clone();
        y.set(y.getDouble(2, 3) + 1e-3, 2, 3);
        for (NDArray a : TestArrays.layouts(x)) {
            for (NDArray b : TestArrays.layouts(y)) {
                assertFalse(a.equals(b));
            }
        }
    }

    @Test
    void equal_differentDtypeOrShape_false() {
        NDArray x = NDArray.of(new float[] {1, 2, 3, 4});
        assertNotEquals(x, x.to(DType.FLOAT64));
        assertNotEquals(x, x.reshape(2, 2));
        assertNotEquals(x, NDArray.of(new float[] {1, 2, 3}));
        assertEquals(x, NDArray.of(new float[] {1, 2, 3, 4}));
    }

    @Test
    void equal_nan_notEqualEvenToItself() {
        NDArray x = NDArray.of(new double[] {1, Double.NaN});
        assertFalse(x.equals(x.clone()));
        assertFalse(x.equals(x));
    }

    @Test
    void equal_int64BeyondDoublePrecision_distinguished() {
        long big = (1L << 60) + 1;
        assertNotEquals(NDArray.of(new long[] {big}), NDArray.of(new long[] {big - 1}));
        assertEquals(NDArray.of(new long[] {big}), NDArray.of(new long[] {big}));
    }

    @Test
    void equal_zeroDimAndEmpty() {
        assertEquals(NDArray.scalar(2), NDArray.scalar(2));
        assertNotEquals(NDArray.scalar(2), NDArray.scalar(3));
        assertEquals(NDArray.zeros(0, 3), NDArray.zeros(0, 3));
        assertNotEquals(NDArray.zeros(0, 3), NDArray.zeros(3, 0));
    }

    @Test
    void allClose_withinTolerance_true() {
        NDArray a = NDArray.of(new double[] {1.0, 100.0, 0.0});
        NDArray b = NDArray.of(new double[] {1.0 + 0.9e-5, 100.0 + 0.9e-3, 0.9e-8});
        // |a - b| <= atol + rtol * |b|
        assertTrue(a.allClose(b));
        NDArray c = NDArray.of(new double[] {1.0 + 2e-5, 100.0, 0.0});
        assertFalse(a.allClose(c));
        assertTrue(a.allClose(c, 1e-4, 0));
    }

    @Test
    void allClose_asymmetricInB() {
        // |a - b| = 1, rtol * |b|: 0.5 * 2 = 1 passes; 0.5 * 1 = 0.5 fails
        NDArray one = NDArray.of(new double[] {1});
        NDArray two = NDArray.of(new double[] {2});
        assertTrue(one.allClose(two, 0.5, 0));
        assertFalse(two.allClose(one, 0.5, 0));
    }

    @Test
    void allClose_broadcasts() {
        NDArray a = NDArray.full(3, 2, 3);
        assertTrue(a.allClose(NDArray.scalar(3)));
        assertTrue(a.allClose(NDArray.full(3, 1, 3)));
        assertFalse(a.allClose(NDArray.of(new float[] {3, 3, 4})));
    }

    @Test
    void allClose_nonBroadcastable_throwsNamingShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(2, 3).allClose(NDArray.zeros(4)));
        assertTrue(e.getMessage().contains("allClose"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
    }

    @Test
    void allClose_nanAndInfinities() {
        NDArray a = NDArray.of(new double[] {Double.NaN, Double.POSITIVE_INFINITY});
        NDArray b = NDArray.of(new double[] {Double.NaN, Double.POSITIVE_INFINITY});
        assertFalse(a.allClose(b));
        assertTrue(a.allClose(b, 1e-5, 1e-8, true));
        NDArray inf = NDArray.of(new double[] {Double.POSITIVE_INFINITY});
        assertFalse(inf.allClose(NDArray.of(new double[] {Double.NEGATIVE_INFINITY}), 1, 1));
        assertFalse(inf.allClose(NDArray.of(new double[] {1e300}), 1, 1));
    }

    @Test
    void allClose_nonContiguousLayouts() {
        NDArray x = TestArrays.random(5, DType.FLOAT32, 4, 3);
        for (NDArray a : TestArrays.layouts(x)) {
            assertTrue(a.allClose(x.add(1e-7)));
            assertFalse(a.allClose(x.add(1e-2)));
        }
    }

    @Test
    void hashCode_equalArrays_sameHash() {
        NDArray x = TestArrays.random(3, DType.FLOAT64, 2, 3);
        assertEquals(x.hashCode(), TestArrays.layouts(x).get(1).hashCode());
    }
}
