package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ViewsTest {

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage() + " should contain " + p);
        }
    }

    /** Flat row-major position of an index in a shape. */
    private static int flat(int[] shape, int[] idx) {
        int p = 0;
        for (int i = 0; i < shape.length; i++) {
            p = p * shape[i] + idx[i];
        }
        return p;
    }

    @Test
    void reshape_allLayouts_rowMajorOrderKept() {
        for (DType t : DType.values()) {
            NDArray x = TestArrays.random(1, t, 2, 3, 4);
            double[] ref = TestArrays.values(x);
            for (NDArray a : TestArrays.layouts(x)) {
                assertArrayEquals(ref, TestArrays.values(a.reshape(4, 6)));
                assertArrayEquals(ref, TestArrays.values(a.reshape(-1, 2)));
                assertEquals(Shape.of(3, 2, 4), a.reshape(3, -1, 4).shape());
                assertArrayEquals(ref, TestArrays.values(a.reshape(24)));
                assertArrayEquals(ref, TestArrays.values(a.flatten()));
            }
        }
    }

    @Test
    void view_contiguous_sharesStorage() {
        NDArray x = NDArray.arange(12).to(DType.FLOAT32);
        NDArray v = x.view(3, 4);
        assertTrue(v.sharesStorage(x));
        v.set(100, 2, 1);
        assertEquals(100, x.getDouble(9));
        NDArray r = x.reshape(2, -1);
        assertTrue(r.sharesStorage(x));
        assertEquals(Shape.of(2, 6), r.shape());
    }

    @Test
    void view_transposed_errorSaysUseReshape() {
        NDArray x = NDArray.zeros(3, 4).t();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.view(12));
        assertMessage(e, "view", "[12]", "[4, 3]", "reshape");
        NDArray r = x.reshape(12);
        assertFalse(r.sharesStorage(x));
    }

    @Test
    void view_badSizes_errors() {
        NDArray x = NDArray.zeros(2, 3);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.view(4, 2)), "view", "[4, 2]", "6");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, -1)), "reshape", "-1");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.reshape(-1, 4)), "reshape", "[-1, 4]");
        assertEquals(0, NDArray.zeros(0, 3).reshape(3, 0, 5).numel());
        assertEquals(0, NDArray.scalar(1).reshape(1, 1).reshape().dim());
    }

    @Test
    void flatten_startEnd_shapesAndValues() {
        NDArray x = TestArrays.random(2, DType.FLOAT64, 2, 3, 4, 5);
        double[] ref = TestArrays.values(x);
        for (NDArray a : TestArrays.layouts(x)) {
            assertEquals(Shape.of(2, 12, 5), a.flatten(1, 2).shape());
            assertEquals(Shape.of(2, 3, 20), a.flatten(-2, -1).shape());
            assertEquals(Shape.of(2, 3, 4, 5), a.flatten(1, 1).shape());
            assertArrayEquals(ref, TestArrays.values(a.flatten(0, 2)));
        }
        assertEquals(Shape.of(1), NDArray.scalar(3).flatten(0, 0).shape());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.flatten(2, 1)), "flatten");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.flatten(0, 4)), "flatten", "4");
    }

    @Test
    void permute_valuesMoveAndShareStorage() {
        NDArray x = TestArrays.random(3, DType.FLOAT32, 2, 3, 4);
        for (NDArray a : TestArrays.layouts(x)) {
            NDArray p = a.permute(2, 0, -2);
            assertEquals(Shape.of(4, 2, 3), p.shape());
            assertTrue(p.sharesStorage(a));
            TestArrays.forEachIndex(new int[] {2, 3, 4}, i -> assertEquals(x.getDouble(i), p.getDouble(i[2], i[0], i[1])));
        }
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.permute(0, 0, 1)), "permute", "repeated");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.permute(0, 1)), "permute", "[2, 3, 4]");
    }

    @Test
    void transposeAndT_swapIndices() {
        NDArray x = TestArrays.random(4, DType.INT64, 3, 5);
        for (NDArray a : TestArrays.layouts(x)) {
            NDArray t = a.t();
            assertEquals(Shape.of(5, 3), t.shape());
            TestArrays.forEachIndex(new int[] {3, 5}, i -> assertEquals(x.getDouble(i), t.getDouble(i[1], i[0])));
            assertArrayEquals(TestArrays.values(t), TestArrays.values(a.transpose(-1, 0)));
        }
        NDArray v = NDArray.arange(3);
        assertSame(v, v.t());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(2, 2, 2).t()), "t", "[2, 2, 2]");
        NDArray y = NDArray.zeros(2, 3, 4);
        assertEquals(Shape.of(4, 3, 2), y.transpose(0, 2).shape());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> y.transpose(0, 3)), "transpose", "3");
    }

    @Test
    void squeezeUnsqueeze_shapesAndValues() {
        NDArray x = TestArrays.random(5, DType.FLOAT32, 1, 3, 1, 2);
        double[] ref = TestArrays.values(x);
        for (NDArray a : TestArrays.layouts(x)) {
            assertEquals(Shape.of(3, 2), a.squeeze().shape());
            assertArrayEquals(ref, TestArrays.values(a.squeeze()));
            assertEquals(Shape.of(1, 3, 2), a.squeeze(2).shape());
            assertEquals(Shape.of(1, 3, 1, 2), a.squeeze(1).shape());
            assertEquals(Shape.of(1, 3, 1, 2, 1), a.unsqueeze(4).shape());
            assertEquals(Shape.of(1, 3, 1, 2, 1), a.unsqueeze(-1).shape());
            NDArray u = a.unsqueeze(1);
            assertEquals(Shape.of(1, 1, 3, 1, 2), u.shape());
            assertArrayEquals(ref, TestArrays.values(u));
            assertTrue(u.sharesStorage(a));
        }
        assertEquals(Shape.of(1), NDArray.scalar(1).unsqueeze(0).shape());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.unsqueeze(6)), "unsqueeze", "6");
    }

    @Test
    void expand_broadcastsWithZeroStrideAndSharesStorage() {
        NDArray x = NDArray.of(new float[] {1, 2, 3}, 3, 1);
        NDArray e = x.expand(2, 3, 4);
        assertEquals(Shape.of(2, 3, 4), e.shape());
        assertTrue(e.sharesStorage(x));
        TestArrays.forEachIndex(new int[] {2, 3, 4}, i -> assertEquals(i[1] + 1, e.getDouble(i)));
        assertEquals(Shape.of(3, 5), x.expand(-1, 5).shape());
        assertEquals(Shape.of(2, 3, 5), x.broadcastTo(2, 3, 5).shape());
        assertEquals(Shape.of(3, 0), x.expand(3, 0).shape());
        x.set(9, 1, 0);
        assertEquals(9, e.getDouble(1, 1, 3));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.expand(4, 4)), "expand", "[3, 1]", "[4, 4]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.expand(4)), "expand", "[3, 1]");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.expand(-1, 3, 4)), "expand", "-1");
        assertEquals(Shape.of(2, 3, 4), NDArray.broadcastShapes(Shape.of(3, 1), Shape.of(2, 1, 4)));
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.broadcastShapes(Shape.of(3, 2), Shape.of(4, 2))), "[3, 2]", "[4, 2]");
    }

    @Test
    void narrow_viewWritesThrough() {
        NDArray x = TestArrays.random(6, DType.FLOAT64, 4, 5);
        for (NDArray a : TestArrays.layouts(x)) {
            NDArray n = a.narrow(1, 1, 3);
            assertEquals(Shape.of(4, 3), n.shape());
            TestArrays.forEachIndex(new int[] {4, 3}, i -> assertEquals(x.getDouble(i[0], i[1] + 1), n.getDouble(i)));
            assertEquals(x.getDouble(2, 0), a.narrow(0, -2, 1).getDouble(0, 0));
            n.set(55, 0, 0);
            assertEquals(55, a.getDouble(0, 1));
        }
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.narrow(1, 3, 3)), "narrow", "[4, 5]");
    }

    @Test
    void slice_negativeClampedAndStepped_matchPythonSlicing() {
        NDArray x = NDArray.arange(10).to(DType.FLOAT32);
        int[][] cases = {{2, 8, 3}, {-3, 100, 1}, {-100, 4, 2}, {5, 2, 1}, {0, 10, 4}, {-1, -1, 1}, {7, -1, 1}};
        for (int[] c : cases) {
            // Python reference: range(start', end', step) with clamping
            int s = c[0] < 0 ? Math.max(0, c[0] + 10) : Math.min(c[0], 10);
            int e = c[1] < 0 ? Math.max(0, c[1] + 10) : Math.min(c[1], 10);
            java.util.List<Double> ref = new java.util.ArrayList<>();
            for (int i = s; i < e; i += c[2]) {
                ref.add((double) i);
            }
            for (NDArray a : TestArrays.layouts(x)) {
                double[] got = TestArrays.values(a.slice(0, c[0], c[1], c[2]));
                assertArrayEquals(ref.stream().mapToDouble(Double::doubleValue).toArray(), got,
                        java.util.Arrays.toString(c));
            }
        }
        assertArrayEquals(new double[] {3, 4}, TestArrays.values(x.slice(0, 3, 5)));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.slice(0, 0, 5, 0)), "slice", "step");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> x.slice(0, 0, 5, -1)), "slice", "step");
    }

    @Test
    void slice_2dStepped_writesThroughToSource() {
        NDArray x = NDArray.zeros(DType.INT64, 4, 6);
        NDArray s = x.slice(1, 1, 6, 2).slice(0, 0, 4, 3);
        assertEquals(Shape.of(2, 3), s.shape());
        s.fillInPlace(1);
        TestArrays.forEachIndex(new int[] {4, 6}, i ->
                assertEquals(i[0] % 3 == 0 && i[1] % 2 == 1 ? 1 : 0, x.getLong(i), java.util.Arrays.toString(i)));
    }

    @Test
    void select_removesDim() {
        NDArray x = TestArrays.random(7, DType.FLOAT32, 3, 4, 2);
        for (NDArray a : TestArrays.layouts(x)) {
            NDArray s = a.select(1, -1);
            assertEquals(Shape.of(3, 2), s.shape());
            TestArrays.forEachIndex(new int[] {3, 2}, i -> assertEquals(x.getDouble(i[0], 3, i[1]), s.getDouble(i)));
            assertTrue(s.sharesStorage(a));
        }
        NDArray v = NDArray.arange(5).select(0, 2);
        assertEquals(0, v.dim());
        assertEquals(2, v.item());
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> x.select(1, 4));
        assertMessage(e, "select", "4");
    }

    @Test
    void contiguousAndClone_copyWhenNeeded() {
        NDArray x = TestArrays.random(8, DType.FLOAT32, 3, 4);
        assertSame(x, x.contiguous());
        for (NDArray a : TestArrays.layouts(x)) {
            NDArray c = a.contiguous();
            assertTrue(c.isContiguous());
            assertArrayEquals(TestArrays.values(x), TestArrays.values(c));
            NDArray k = a.clone();
            assertFalse(k.sharesStorage(a));
            assertArrayEquals(TestArrays.values(x), TestArrays.values(k));
            k.set(99, 0, 0);
            assertEquals(x.getDouble(0, 0), a.getDouble(0, 0));
        }
        assertFalse(x.t().isContiguous());
        assertTrue(NDArray.zeros(3, 1).expand(3, 1).isContiguous());
    }

    @Test
    void copyFrom_broadcastAndDtypeConversion() {
        NDArray dst = NDArray.zeros(DType.FLOAT64, 3, 4);
        NDArray view = dst.t(); // [4, 3]
        view.copyFrom(NDArray.of(new long[] {1, 2, 3}));
        TestArrays.forEachIndex(new int[] {3, 4}, i -> assertEquals(i[0] + 1, dst.getDouble(i)));
        NDArray ints = NDArray.zeros(DType.INT64, 2, 2);
        ints.copyFrom(NDArray.of(new float[] {1.9f, -1.9f}, 2, 1));
        assertArrayEquals(new double[] {1, 1, -1, -1}, TestArrays.values(ints)); // truncation toward zero
        NDArray bools = NDArray.zeros(DType.BOOL, 3);
        bools.copyFrom(NDArray.of(new double[] {0, 0.5, -2}));
        assertArrayEquals(new double[] {0, 1, 1}, TestArrays.values(bools));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dst.copyFrom(NDArray.zeros(3)));
        assertMessage(e, "copyFrom", "[3]", "[3, 4]");
        IllegalArgumentException w = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(1, 3).expand(2, 3).copyFrom(NDArray.ones(2, 3)));
        assertMessage(w, "copyFrom", "expanded");
    }

    @Test
    void copyFrom_allLayoutsBothDirections() {
        NDArray x = TestArrays.random(9, DType.FLOAT32, 3, 5);
        for (NDArray src : TestArrays.layouts(x)) {
            for (NDArray dst : TestArrays.layouts(NDArray.zeros(3, 5))) {
                dst.copyFrom(src);
                assertArrayEquals(TestArrays.values(x), TestArrays.values(dst));
            }
        }
    }

    @Test
    void toDtype_convertsAndReturnsSelfWhenSame() {
        NDArray x = NDArray.of(new double[] {1.5, -2.7, 0, 3e10});
        assertSame(x, x.to(DType.FLOAT64));
        NDArray f = x.to(DType.FLOAT32);
        assertFalse(f.sharesStorage(x));
        assertArrayEquals(new double[] {1.5, (float) -2.7, 0, (float) 3e10}, TestArrays.values(f));
        assertArrayEquals(new double[] {1, -2, 0, 30000000000.0}, TestArrays.values(x.to(DType.INT64)));
        assertArrayEquals(new double[] {1, 1, 0, 1}, TestArrays.values(x.to(DType.BOOL)));
        NDArray nonContig = TestArrays.layouts(TestArrays.random(1, DType.INT64, 3, 4)).get(2);
        assertArrayEquals(TestArrays.values(nonContig), TestArrays.values(nonContig.to(DType.FLOAT64)));
    }

    @Test
    void randomShapes_reshapeOfPermuted_matchesLoop() {
        Random r = new Random(10);
        for (int trial = 0; trial < 20; trial++) {
            int[] shape = {1 + r.nextInt(4), 1 + r.nextInt(4), 1 + r.nextInt(4)};
            NDArray x = TestArrays.random(trial, DType.FLOAT32, shape);
            NDArray p = x.permute(1, 2, 0);
            int[] ps = {shape[1], shape[2], shape[0]};
            double[] ref = new double[x.numel()];
            TestArrays.forEachIndex(ps, i -> ref[flat(ps, i)] = x.getDouble(i[2], i[0], i[1]));
            assertArrayEquals(ref, TestArrays.values(p.reshape(-1)));
        }
    }

    @Test
    void itemAndToArrays_onViews() {
        assertEquals(7, NDArray.arange(10).slice(0, 7, 8).item());
        assertArrayEquals(new float[] {1, 3}, NDArray.of(new float[] {0, 1, 2, 3}).slice(0, 1, 4, 2).toFloatArray());
        NDArray t = NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).t();
        assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, t.toDoubleArray());
        assertArrayEquals(new long[] {1, 4, 2, 5, 3, 6}, t.toLongArray());
        assertArrayEquals(new boolean[] {true, true, true, true, true, true}, t.toBooleanArray());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(2).item()), "item", "[2]");
        assertEquals(0, NDArray.zeros(0, 3).t().contiguous().numel());
    }
}
