package io.ember.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JoiningTest {
    private static final DType[] ALL = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL};

    static void assertArray(int[] shape, double[] expected, NDArray actual) {
        assertArrayEquals(shape, actual.shape().toArray(), "shape");
        assertArrayEquals(expected, TestArrays.values(actual), 1e-6);
    }

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    /** Reference cat of three arrays by reading each output position from the right input. */
    static double[] catReference(NDArray[] xs, int d, int[] outShape) {
        double[] exp = new double[Shape.numel(outShape)];
        int[] w = {0};
        TestArrays.forEachIndex(outShape, p -> {
            int[] q = p.clone();
            int k = 0;
            while (q[d] >= xs[k].size(d)) {
                q[d] -= xs[k].size(d);
                k++;
            }
            exp[w[0]++] = xs[k].getDouble(q);
        });
        return exp;
    }

    @Test
    void cat_everyDimAndLayout_matchesLoop() {
        for (DType dt : ALL) {
            for (int dim = -3; dim < 3; dim++) {
                int d = dim < 0 ? dim + 3 : dim;
                int[] sa = {2, 3, 4};
                int[] sb = sa.clone();
                sb[d] = 1;
                int[] sc = sa.clone();
                sc[d] = 3;
                NDArray a = TestArrays.random(1 + d, dt, sa);
                NDArray b = TestArrays.random(5 + d, dt, sb);
                NDArray c = TestArrays.random(9 + d, dt, sc);
                int[] out = sa.clone();
                out[d] = sa[d] + 1 + 3;
                double[] exp = catReference(new NDArray[] {a, b, c}, d, out);
                List<NDArray> la = TestArrays.layouts(a);
                List<NDArray> lb = TestArrays.layouts(b);
                List<NDArray> lc = TestArrays.layouts(c);
                for (int i = 0; i < la.size(); i++) {
                    NDArray r = NDArray.cat(dim, la.get(i), lb.get((i + 1) % lb.size()), lc.get((i + 2) % lc.size()));
                    assertEquals(dt, r.dtype());
                    assertArray(out, exp, r);
                }
            }
        }
    }

    @Test
    void cat_mixedDtypes_promote() {
        NDArray a = NDArray.of(new long[] {1, 2});
        NDArray b = NDArray.of(new float[] {0.5f}, 1);
        NDArray r = NDArray.cat(0, a, b);
        assertEquals(DType.FLOAT32, r.dtype());
        assertArray(new int[] {3}, new double[] {1, 2, 0.5}, r);
        NDArray r2 = NDArray.cat(List.of(NDArray.of(new boolean[] {true}, 1), a), 0);
        assertEquals(DType.INT64, r2.dtype());
        assertArray(new int[] {3}, new double[] {1, 1, 2}, r2);
    }

    @Test
    void cat_legacyEmptyAndZeroSized_skippedOrKept() {
        NDArray x = TestArrays.random(3, DType.FLOAT32, 2, 3);
        NDArray r = NDArray.cat(0, NDArray.zeros(0), x, NDArray.zeros(0, 3));
        assertArray(new int[] {2, 3}, TestArrays.values(x), r);
        NDArray r1 = NDArray.cat(0, NDArray.zeros(0), NDArray.of(new float[] {4}, 1));
        assertArray(new int[] {1}, new double[] {4}, r1);
    }

    @Test
    void cat_errors_nameArrayAndShapes() {
        String m = message(() -> NDArray.cat(1, NDArray.zeros(2, 3), NDArray.zeros(2, 4), NDArray.zeros(3, 1)));
        assertEquals("cat: array 2 has shape [3, 1] but array 0 has shape [2, 3] (sizes must match except in dim 1)", m);
        m = message(() -> NDArray.cat(0, NDArray.zeros(2, 3), NDArray.zeros(6)));
        assertTrue(m.contains("array 1 has shape [6]"), m);
        m = message(() -> NDArray.cat(0, NDArray.zeros(2), NDArray.scalar(1)));
        assertTrue(m.contains("cat: zero-dimensional array 1"), m);
        m = message(() -> NDArray.cat(List.of(), 0));
        assertTrue(m.contains("cat: expected a non-empty list"), m);
        m = message(() -> NDArray.cat(2, NDArray.zeros(2, 3)));
        assertTrue(m.contains("cat: dim 2 out of range"), m);
    }

    @Test
    void stack_everyDim_matchesLoop() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            NDArray[] xs = {TestArrays.random(20, dt, 2, 3), TestArrays.random(21, dt, 2, 3),
                    TestArrays.random(22, dt, 2, 3)};
            for (int dim = -3; dim < 3; dim++) {
                int d = dim < 0 ? dim + 3 : dim;
                int[] out = new int[3];
                for (int i = 0, k = 0; i < 3; i++) {
                    out[i] = i == d ? 3 : (k++ == 0 ? 2 : 3);
                }
                double[] exp = new double[18];
                int[] w = {0};
                TestArrays.forEachIndex(out, p -> {
                    int[] q = new int[2];
                    for (int i = 0, k = 0; i < 3; i++) {
                        if (i != d) {
                            q[k++] = p[i];
                        }
                    }
                    exp[w[0]++] = xs[p[d]].getDouble(q);
                });
                NDArray r = NDArray.stack(dim, TestArrays.layouts(xs[0]).get(1), TestArrays.layouts(xs[1]).get(2),
                        TestArrays.layouts(xs[2]).get(3));
                assertArray(out, exp, r);
            }
        }
        String m = message(() -> NDArray.stack(0, NDArray.zeros(2, 3), NDArray.zeros(3, 2)));
        assertTrue(m.contains("stack") && m.contains("array 1 has shape [3, 2]") && m.contains("[2, 3]"), m);
        assertArray(new int[] {2}, new double[] {1, 2}, NDArray.stack(0, NDArray.scalar(1), NDArray.scalar(2)));
    }

    @Test
    void split_bySize_givesViews() {
        NDArray src = TestArrays.random(30, DType.FLOAT64, 7, 2);
        for (NDArray x : TestArrays.layouts(src)) {
            List<NDArray> parts = x.split(3, 0);
            assertEquals(3, parts.size());
            int[] sizes = {3, 3, 1};
            int start = 0;
            for (int i = 0; i < 3; i++) {
                NDArray p = parts.get(i);
                assertArrayEquals(new int[] {sizes[i], 2}, p.shape().toArray());
                assertTrue(p.sharesStorage(x));
                for (int r = 0; r < sizes[i]; r++) {
                    for (int c = 0; c < 2; c++) {
                        assertEquals(src.getDouble(start + r, c), p.getDouble(r, c));
                    }
                }
                start += sizes[i];
            }
            parts.get(2).set(42, 0, 1);
            assertEquals(42, x.getDouble(6, 1));
        }
        assertEquals(1, NDArray.zeros(0, 3).split(2, 0).size());
        String m = message(() -> NDArray.zeros(4).split(0, 0));
        assertTrue(m.contains("split: split size must be positive"), m);
    }

    @Test
    void split_bySizes_matchesLoopAndChecksSum() {
        NDArray src = TestArrays.random(31, DType.INT64, 2, 6);
        for (NDArray x : TestArrays.layouts(src)) {
            List<NDArray> parts = x.split(new int[] {1, 0, 5}, -1);
            assertEquals(3, parts.size());
            assertArrayEquals(new int[] {2, 0}, parts.get(1).shape().toArray());
            assertArray(new int[] {2, 1}, new double[] {src.getDouble(0, 0), src.getDouble(1, 0)}, parts.get(0));
            double[] exp = new double[10];
            for (int r = 0; r < 2; r++) {
                for (int c = 0; c < 5; c++) {
                    exp[r * 5 + c] = src.getDouble(r, c + 1);
                }
            }
            assertArray(new int[] {2, 5}, exp, parts.get(2));
        }
        String m = message(() -> NDArray.zeros(2, 6).split(new int[] {2, 2}, 1));
        assertEquals("split: sizes [2, 2] sum to 4 but dim 1 has size 6 (shape [2, 6])", m);
        m = message(() -> NDArray.zeros(2, 6).split(new int[] {7, -1}, 1));
        assertTrue(m.contains("non-negative"), m);
    }

    @Test
    void chunk_torchSemantics() {
        NDArray x = NDArray.arange(5);
        List<NDArray> c = x.chunk(3, 0);
        assertEquals(3, c.size());
        assertArray(new int[] {2}, new double[] {0, 1}, c.get(0));
        assertArray(new int[] {2}, new double[] {2, 3}, c.get(1));
        assertArray(new int[] {1}, new double[] {4}, c.get(2));
        List<NDArray> c6 = NDArray.arange(6).chunk(4, -1);
        assertEquals(3, c6.size());
        assertArray(new int[] {2}, new double[] {4, 5}, c6.get(2));
        List<NDArray> many = NDArray.arange(2).chunk(5, 0);
        assertEquals(2, many.size());
        String m = message(() -> x.chunk(0, 0));
        assertTrue(m.contains("chunk: number of chunks must be positive, got 0"), m);
    }

    @Test
    void unbind_everyDim_selectsViews() {
        NDArray src = TestArrays.random(40, DType.FLOAT32, 2, 3, 4);
        for (NDArray x : TestArrays.layouts(src)) {
            for (int dim = -3; dim < 3; dim++) {
                int d = dim < 0 ? dim + 3 : dim;
                List<NDArray> parts = x.unbind(dim);
                assertEquals(src.size(d), parts.size());
                for (int i = 0; i < parts.size(); i++) {
                    NDArray p = parts.get(i);
                    assertTrue(p.sharesStorage(x));
                    int fi = i;
                    TestArrays.forEachIndex(p.shape().toArray(), q -> {
                        int[] full = new int[3];
                        for (int a = 0, k = 0; a < 3; a++) {
                            full[a] = a == d ? fi : q[k++];
                        }
                        assertEquals(src.getDouble(full), p.getDouble(q));
                    });
                }
            }
        }
        String m = message(() -> NDArray.scalar(1).unbind(0));
        assertTrue(m.contains("unbind"), m);
    }
}
