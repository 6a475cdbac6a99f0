package io.ember.tensor;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexingTest {
    private static final DType[] ALL = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL};
    private static final DType[] NUMERIC = {DType.FLOAT32, DType.FLOAT64, DType.INT64};

    /** Asserts shape and every value (row-major). */
    static void assertArray(int[] shape, double[] expected, NDArray actual) {
        assertArrayEquals(shape, actual.shape().toArray(), "shape");
        assertArrayEquals(expected, TestArrays.values(actual), 1e-6);
    }

    static NDArray longs(int[] shape, long... v) {
        return NDArray.of(v, shape);
    }

    static NDArray randomIndex(long seed, int bound, int... shape) {
        Random r = new Random(seed);
        NDArray idx = NDArray.zeros(DType.INT64, shape);
        TestArrays.forEachIndex(shape, i -> idx.set(r.nextInt(bound), i));
        return idx;
    }

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    // ------------------------------------------------------------------ basic indexing (views)

    @Test
    void index_integersSlicesNewAxis_matchLoopAndShareStorage() {
        for (DType dt : ALL) {
            NDArray src = TestArrays.random(1, dt, 4, 5, 6);
            for (NDArray x : TestArrays.layouts(src)) {
                NDArray r = x.index(Index.at(1), Index.slice(1, 5, 2), Index.newAxis(), Index.from(-3));
                double[] exp = new double[2 * 3];
                for (int i = 0; i < 2; i++) {
                    for (int k = 0; k < 3; k++) {
                        exp[i * 3 + k] = src.getDouble(1, 1 + 2 * i, 3 + k);
                    }
                }
                assertArray(new int[] {2, 1, 3}, exp, r);
                assertTrue(r.sharesStorage(x));
            }
        }
    }

    @Test
    void index_ellipsisAndNegativeAt_matchLoop() {
        NDArray src = TestArrays.random(2, DType.FLOAT64, 3, 4, 5);
        for (NDArray x : TestArrays.layouts(src)) {
            NDArray r = x.index(Index.ellipsis(), Index.at(-1));
            double[] exp = new double[12];
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    exp[i * 4 + j] = src.getDouble(i, j, 4);
                }
            }
            assertArray(new int[] {3, 4}, exp, r);
            NDArray r2 = x.index(Index.at(2), Index.ellipsis(), Index.slice(-100, 100, 3));
            double[] exp2 = new double[4 * 2];
            for (int j = 0; j < 4; j++) {
                for (int k = 0; k < 2; k++) {
                    exp2[j * 2 + k] = src.getDouble(2, j, 3 * k);
                }
            }
            assertArray(new int[] {4, 2}, exp2, r2);
            assertArray(new int[] {3, 4, 5}, TestArrays.values(src), x.index());
        }
    }

    @Test
    void index_viewWrite_changesSource() {
        NDArray src = TestArrays.random(3, DType.FLOAT32, 3, 4);
        for (NDArray x : TestArrays.layouts(src)) {
            x.index(Index.at(1), Index.slice(0, 4, 2)).fillInPlace(9);
            assertEquals(9, x.getDouble(1, 0));
            assertEquals(9, x.getDouble(1, 2));
            assertEquals(src.getDouble(1, 1), x.getDouble(1, 1));
            assertEquals(src.getDouble(0, 0), x.getDouble(0, 0));
        }
    }

    @Test
    void index_errors_nameShapeAndIndex() {
        NDArray x = NDArray.zeros(4, 5, 6);
        String m = message(() -> x.index(Index.at(0), Index.at(0), Index.at(0), Index.at(0)));
        assertTrue(m.contains("index: too many indices") && m.contains("[4, 5, 6]"), m);
        m = message(() -> x.index(Index.all(), Index.at(7)));
        assertTrue(m.contains("index: index 7 is out of range for dim 1 of size 5"), m);
        m = message(() -> x.index(Index.of(0, -5)));
        assertTrue(m.contains("index: index -5 is out of range for dim 0 of size 4"), m);
        m = message(() -> x.index(Index.ellipsis(), Index.ellipsis()));
        assertTrue(m.contains("single ellipsis"), m);
        m = message(() -> x.index(Index.of(NDArray.ones(DType.BOOL, 4, 4))));
        assertTrue(m.contains("mask of shape [4, 4]") && m.contains("[4, 5, 6]"), m);
        m = message(() -> Index.of(NDArray.ones(3)));
        assertTrue(m.contains("Index.of") && m.contains("float32"), m);
        m = message(() -> Index.slice(0, 3, 0));
        assertTrue(m.contains("step must be positive"), m);
    }

    @Test
    void index_toString_describesComponents() {
        assertEquals("3", Index.at(3).toString());
        assertEquals("1:5:2", Index.slice(1, 5, 2).toString());
        assertEquals(":", Index.all().toString());
        assertEquals("2:", Index.from(2).toString());
        assertEquals("...", Index.ellipsis().toString());
        assertEquals("index[3]", Index.of(1, 2, 3).toString());
    }

    // ------------------------------------------------------------------ advanced indexing (copies)

    @Test
    void index_singleIntArray_matchesLoopAndCopies() {
        long[] idx = {4, -1, 0, 4};
        for (DType dt : ALL) {
            NDArray src = TestArrays.random(4, dt, 3, 5, 2);
            for (NDArray x : TestArrays.layouts(src)) {
                NDArray r = x.index(Index.all(), Index.of(idx));
                double[] exp = new double[3 * 4 * 2];
                int w = 0;
                for (int i = 0; i < 3; i++) {
                    for (long j : idx) {
                        for (int k = 0; k < 2; k++) {
                            exp[w++] = src.getDouble(i, (int) (j < 0 ? j + 5 : j), k);
                        }
                    }
                }
                assertArray(new int[] {3, 4, 2}, exp, r);
                assertFalse(r.sharesStorage(x));
            }
        }
    }

    @Test
    void index_multiDimIntArray_replacesDim() {
        NDArray src = TestArrays.random(5, DType.FLOAT32, 4, 3);
        NDArray idx = longs(new int[] {2, 2}, 3, 0, 1, 3);
        for (NDArray x : TestArrays.layouts(src)) {
            NDArray r = x.index(Index.of(idx));
            double[] exp = new double[2 * 2 * 3];
            int w = 0;
            for (int a = 0; a < 2; a++) {
                for (int b = 0; b < 2; b++) {
                    for (int k = 0; k < 3; k++) {
                        exp[w++] = src.getDouble((int) idx.getLong(a, b), k);
                    }
                }
            }
            assertArray(new int[] {2, 2, 3}, exp, r);
        }
    }

    @Test
    void index_singlePositionArray_keepsDim() {
        NDArray x = TestArrays.random(14, DType.FLOAT32, 3, 2);
        NDArray r = x.index(Index.of(2));
        assertArray(new int[] {1, 2}, new double[] {x.getDouble(2, 0), x.getDouble(2, 1)}, r);
        NDArray r0 = x.indexSelect(1, NDArray.scalar(DType.INT64, 1));
        assertArray(new int[] {3, 1}, new double[] {x.getDouble(0, 1), x.getDouble(1, 1), x.getDouble(2, 1)}, r0);
        NDArray r1 = x.index(Index.of(NDArray.scalar(DType.INT64, -1)));
        assertArray(new int[] {2}, new double[] {x.getDouble(2, 0), x.getDouble(2, 1)}, r1);
        NDArray p = x.index(Index.of(NDArray.scalar(DType.INT64, 1)), Index.of(NDArray.scalar(DType.INT64, 0)));
        assertArray(new int[0], new double[] {x.getDouble(1, 0)}, p);
        NDArray y = x.clone();
        y.indexPut(new Index[] {Index.of(NDArray.scalar(DType.INT64, 1)), Index.of(NDArray.scalar(DType.INT64, 0))},
                NDArray.scalar(8));
        assertEquals(8, y.getDouble(1, 0));
        assertEquals(x.getDouble(1, 1), y.getDouble(1, 1));
        NDArray s = NDArray.scalar(DType.FLOAT64, 3);
        assertArray(new int[] {1}, new double[] {3}, s.maskedSelect(NDArray.scalar(DType.BOOL, 1)));
        assertArray(new int[] {0}, new double[0], s.maskedSelect(NDArray.scalar(DType.BOOL, 0)));
    }

    @Test
    void emptyIndices_giveEmptyResults() {
        NDArray x = TestArrays.random(15, DType.FLOAT32, 3, 2);
        NDArray none = NDArray.zeros(DType.INT64, 0);
        assertArrayEquals(new int[] {0, 2}, x.index(Index.of(new long[0])).shape().toArray());
        assertArrayEquals(new int[] {3, 0}, x.indexSelect(1, none).shape().toArray());
        NDArray y = x.clone().indexAddInPlace(0, none, NDArray.zeros(0, 2));
        assertArrayEquals(TestArrays.values(x), TestArrays.values(y));
        NDArray z = x.scatterAdd(0, NDArray.zeros(DType.INT64, 0, 2), NDArray.zeros(0, 2));
        assertArrayEquals(TestArrays.values(x), TestArrays.values(z));
        assertArrayEquals(new int[] {0}, x.maskedSelect(NDArray.zeros(DType.BOOL, 3, 2)).shape().toArray());
        NDArray e = NDArray.zeros(0, 4);
        assertArrayEquals(new int[] {0, 4}, e.index(Index.of(NDArray.zeros(DType.BOOL, 0)), Index.all()).shape().toArray());
        assertArrayEquals(new int[] {0, 2}, e.nonzero().shape().toArray());
    }

    @Test
    void index_pairwiseArrays_pickPoints() {
        NDArray x = NDArray.of(new float[] {0, 1, 2, 3, 4, 5}, 2, 3);
        NDArray r = x.index(Index.of(0, 1), Index.of(2, 0));
        assertArray(new int[] {2}, new double[] {2, 3}, r);
    }

    @Test
    void index_nonAdjacentArrays_putBroadcastDimsFirst() {
        NDArray src = TestArrays.random(6, DType.FLOAT64, 4, 5, 3);
        long[] a = {0, 3, 3};
        long[] c = {1, 2, -3};
        for (NDArray x : TestArrays.layouts(src)) {
            NDArray r = x.index(Index.of(a), Index.all(), Index.of(c));
            double[] exp = new double[3 * 5];
            for (int b = 0; b < 3; b++) {
                for (int j = 0; j < 5; j++) {
                    exp[b * 5 + j] = src.getDouble((int) a[b], j, (int) (c[b] < 0 ? c[b] + 3 : c[b]));
                }
            }
            assertArray(new int[] {3, 5}, exp, r);
        }
    }

    @Test
    void index_adjacentArraysAfterSlice_stayInPlaceAndBroadcast() {
        NDArray src = TestArrays.random(7, DType.INT64, 3, 4, 5, 2);
        NDArray rowsIdx = longs(new int[] {2, 1}, 0, 3);
        NDArray colsIdx = longs(new int[] {3}, 4, 0, 2);
        for (NDArray x : TestArrays.layouts(src)) {
            NDArray r = x.index(Index.all(), Index.of(rowsIdx), Index.of(colsIdx));
            double[] exp = new double[3 * 2 * 3 * 2];
            int w = 0;
            for (int i = 0; i < 3; i++) {
                for (int p = 0; p < 2; p++) {
                    for (int q = 0; q < 3; q++) {
                        for (int k = 0; k < 2; k++) {
                            exp[w++] = src.getDouble(i, (int) rowsIdx.getLong(p, 0), (int) colsIdx.getLong(q), k);
                        }
                    }
                }
            }
            assertArray(new int[] {3, 2, 3, 2}, exp, r);
        }
    }

    @Test
    void index_boolMask_selectsRowMajor() {
        NDArray src = TestArrays.random(8, DType.FLOAT32, 4, 3, 2);
        NDArray mask = TestArrays.random(9, DType.BOOL, 4, 3);
        NDArray rowMask = NDArray.of(new boolean[] {true, false, true, true});
        for (NDArray x : TestArrays.layouts(src)) {
            for (NDArray m : TestArrays.layouts(mask)) {
                NDArray r = x.index(Index.of(m));
                int count = 0;
                double[] exp = new double[4 * 3 * 2];
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 3; j++) {
                        if (mask.getBoolean(i, j)) {
                            for (int k = 0; k < 2; k++) {
                                exp[count * 2 + k] = src.getDouble(i, j, k);
                            }
                            count++;
                        }
                    }
                }
                assertArray(new int[] {count, 2}, Arrays.copyOf(exp, count * 2), r);
            }
            NDArray r = x.index(Index.of(rowMask), Index.at(1));
            assertArray(new int[] {3, 2}, new double[] {src.getDouble(0, 1, 0), src.getDouble(0, 1, 1),
                    src.getDouble(2, 1, 0), src.getDouble(2, 1, 1), src.getDouble(3, 1, 0), src.getDouble(3, 1, 1)}, r);
        }
    }

    // ------------------------------------------------------------------ indexPut

    @Test
    void indexPut_viewIndices_writesBroadcastValues() {
        NDArray src = TestArrays.random(10, DType.FLOAT64, 3, 4);
        NDArray row = NDArray.of(new double[] {7, 8});
        for (NDArray x : TestArrays.layouts(src)) {
            NDArray ret = x.indexPut(new Index[] {Index.slice(0, 3, 2), Index.slice(1, 3)}, row);
            assertTrue(ret == x);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    boolean hit = (i == 0 || i == 2) && (j == 1 || j == 2);
                    assertEquals(hit ? (j == 1 ? 7 : 8) : src.getDouble(i, j), x.getDouble(i, j));
                }
            }
        }
    }

    @Test
    void indexPut_intArray_writesSelectedSlices() {
        for (DType dt : NUMERIC) {
            NDArray src = TestArrays.random(11, dt, 3, 5);
            NDArray vals = TestArrays.random(12, dt, 3, 2);
            for (NDArray x : TestArrays.layouts(src)) {
                x.indexPut(new Index[] {Index.all(), Index.of(-1, 1)}, vals);
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 5; j++) {
                        double e = j == 4 ? vals.getDouble(i, 0) : j == 1 ? vals.getDouble(i, 1) : src.getDouble(i, j);
                        assertEquals(e, x.getDouble(i, j), 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void indexPut_pointsAndMask_writeValues() {
        NDArray src = TestArrays.random(13, DType.FLOAT32, 3, 4);
        for (NDArray x : TestArrays.layouts(src)) {
            x.indexPut(new Index[] {Index.of(0, 2), Index.of(3, 1)}, NDArray.of(new float[] {10, 20}));
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    double e = i == 0 && j == 3 ? 10 : i == 2 && j == 1 ? 20 : src.getDouble(i, j);
                    assertEquals(e, x.getDouble(i, j), 1e-6);
                }
            }
        }
        for (NDArray x : TestArrays.layouts(src)) {
            NDArray mask = src.gt(0);
            x.indexPut(new Index[] {Index.of(mask)}, NDArray.scalar(-1));
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    double s = src.getDouble(i, j);
                    assertEquals(s > 0 ? -1 : s, x.getDouble(i, j), 1e-6);
                }
            }
        }
    }

    @Test
    void indexPut_badValuesShape_fails() {
        NDArray x = NDArray.zeros(3, 4);
        String m = message(() -> x.indexPut(new Index[] {Index.of(0, 1)}, NDArray.zeros(3, 4)));
        assertTrue(m.contains("indexPut") && m.contains("[3, 4]") && m.contains("[2, 4]"), m);
    }

    // ------------------------------------------------------------------ indexSelect / gather

    @Test
    void indexSelect_everyDim_matchesLoop() {
        int[] shape = {3, 4, 5};
        for (DType dt : ALL) {
            NDArray src = TestArrays.random(20, dt, shape);
            for (int dim = -3; dim < 3; dim++) {
                int d = dim < 0 ? dim + 3 : dim;
                NDArray idx = randomIndex(21 + d, shape[d], 6);
                for (NDArray x : TestArrays.layouts(src)) {
                    for (NDArray ix : TestArrays.layouts(idx)) {
                        NDArray r = x.indexSelect(dim, ix);
                        int[] rs = shape.clone();
                        rs[d] = 6;
                        double[] exp = new double[Shape.numel(rs)];
                        int[] w = {0};
                        TestArrays.forEachIndex(rs, p -> {
                            int[] q = p.clone();
                            q[d] = (int) idx.getLong(p[d]);
                            exp[w[0]++] = src.getDouble(q);
                        });
                        assertArray(rs, exp, r);
                    }
                }
            }
        }
    }

    @Test
    void indexSelect_largeRows_matchesLoop() {
        NDArray table = TestArrays.random(22, DType.FLOAT32, 50, 700);
        NDArray idx = randomIndex(23, 50, 120);
        NDArray r = table.indexSelect(0, idx);
        for (int j = 0; j < 120; j += 7) {
            for (int k = 0; k < 700; k += 13) {
                assertEquals(table.getDouble((int) idx.getLong(j), k), r.getDouble(j, k));
            }
        }
    }

    @Test
    void indexSelect_errors_nameOpDimAndSize() {
        NDArray x = NDArray.zeros(5, 2);
        String m = message(() -> x.indexSelect(0, NDArray.of(new long[] {1, 7})));
        assertEquals("indexSelect: index 7 is out of range for dim 0 of size 5", m);
        m = message(() -> x.indexSelect(0, NDArray.of(new long[] {-1})));
        assertTrue(m.contains("index -1 is out of range"), m);
        m = message(() -> x.indexSelect(0, NDArray.of(new float[] {1})));
        assertTrue(m.contains("indexSelect: index must be int64, got float32"), m);
        m = message(() -> x.indexSelect(0, NDArray.zeros(DType.INT64, 2, 2)));
        assertTrue(m.contains("1-D") && m.contains("[2, 2]"), m);
        m = message(() -> x.indexSelect(2, NDArray.zeros(DType.INT64, 2)));
        assertTrue(m.contains("indexSelect: dim 2 out of range"), m);
    }

    @Test
    void gather_alongEachDim_matchesLoop() {
        int[] xs = {3, 4, 5};
        int[] is = {2, 3, 4};
        for (DType dt : ALL) {
            NDArray src = TestArrays.random(30, dt, xs);
            for (int d = 0; d < 3; d++) {
                int[] ishape = is.clone();
                ishape[d] = 6;
                NDArray idx = randomIndex(31 + d, xs[d], ishape);
                int dd = d;
                for (NDArray x : TestArrays.layouts(src)) {
                    for (NDArray ix : TestArrays.layouts(idx)) {
                        NDArray r = x.gather(d - 3, ix);
                        double[] exp = new double[Shape.numel(ishape)];
                        int[] w = {0};
                        TestArrays.forEachIndex(ishape, p -> {
                            int[] q = p.clone();
                            q[dd] = (int) idx.getLong(p);
                            exp[w[0]++] = src.getDouble(q);
                        });
                        assertArray(ishape, exp, r);
                    }
                }
            }
        }
    }

    @Test
    void gather_zeroD_andErrors() {
        NDArray s = NDArray.scalar(DType.FLOAT64, 4.5);
        assertArray(new int[0], new double[] {4.5}, s.gather(0, NDArray.scalar(DType.INT64, 0)));
        NDArray x = NDArray.zeros(3, 4);
        String m = message(() -> x.gather(1, NDArray.zeros(DType.INT64, 4, 2)));
        assertTrue(m.contains("gather") && m.contains("[4, 2]") && m.contains("[3, 4]"), m);
        m = message(() -> x.gather(1, NDArray.zeros(DType.INT64, 3)));
        assertTrue(m.contains("gather") && m.contains("rank"), m);
        m = message(() -> x.gather(1, NDArray.full(DType.INT64, 4, 3, 1)));
        assertEquals("gather: index 4 is out of range for dim 1 of size 4", m);
    }

    // ------------------------------------------------------------------ scatter / indexAdd

    @Test
    void scatter_uniquePositions_matchesLoop() {
        int[] xs = {3, 4, 5};
        for (DType dt : ALL) {
            NDArray base = TestArrays.random(40, dt, xs);
            NDArray srcVals = TestArrays.random(41, dt, 3, 4, 5);
            for (int d = 0; d < 3; d++) {
                int[] ishape = {2, 3, 4};
                ishape[d] = Math.min(3, xs[d]);
                int dd = d;
                NDArray idx = NDArray.zeros(DType.INT64, ishape);
                TestArrays.forEachIndex(ishape, p -> idx.set((p[dd] + p[(dd + 1) % 3] + 2 * p[(dd + 2) % 3]) % xs[dd], p));
                for (NDArray x : TestArrays.layouts(base)) {
                    for (NDArray sv : TestArrays.layouts(srcVals)) {
                        NDArray r = x.scatter(d, idx, sv);
                        double[][] exp = {TestArrays.values(base)};
                        int[] strides = {20, 5, 1};
                        TestArrays.forEachIndex(ishape, p -> {
                            int[] q = p.clone();
                            q[dd] = (int) idx.getLong(p);
                            exp[0][q[0] * strides[0] + q[1] * strides[1] + q[2]] = srcVals.getDouble(p);
                        });
                        assertArray(xs, exp[0], r);
                        assertArrayEquals(TestArrays.values(base), TestArrays.values(x), "scatter must not modify input");
                    }
                }
            }
        }
    }

    @Test
    void scatterValue_writesScalar() {
        NDArray x = TestArrays.random(42, DType.FLOAT32, 2, 4);
        NDArray idx = longs(new int[] {2, 1}, 3, 0);
        NDArray r = x.scatter(1, idx, 5.0);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 4; j++) {
                boolean hit = (i == 0 && j == 3) || (i == 1 && j == 0);
                assertEquals(hit ? 5 : x.getDouble(i, j), r.getDouble(i, j), 1e-6);
            }
        }
    }

    @Test
    void scatterAdd_duplicates_accumulate() {
        for (DType dt : NUMERIC) {
            NDArray base = TestArrays.random(50, dt, 4, 3);
            NDArray vals = TestArrays.random(51, dt, 6, 3);
            NDArray idx = randomIndex(52, 4, 6, 3);
            for (int li = 0; li < 4; li++) {
                for (NDArray ix : TestArrays.layouts(idx)) {
                    NDArray x = TestArrays.layouts(base).get(li);
                    NDArray r = x.scatterAdd(0, ix, vals);
                    double[] exp = TestArrays.values(base);
                    for (int j = 0; j < 6; j++) {
                        for (int k = 0; k < 3; k++) {
                            exp[(int) idx.getLong(j, k) * 3 + k] += vals.getDouble(j, k);
                        }
                    }
                    assertArray(new int[] {4, 3}, exp, r);
                    x.scatterAddInPlace(-2, ix, vals);
                    assertArray(new int[] {4, 3}, exp, x);
                }
            }
        }
    }

    @Test
    void scatter_errors_nameShapes() {
        NDArray x = NDArray.zeros(3, 4);
        String m = message(() -> x.scatter(0, NDArray.zeros(DType.INT64, 2, 4), NDArray.zeros(2, 3)));
        assertTrue(m.contains("scatter") && m.contains("[2, 4]") && m.contains("[2, 3]"), m);
        m = message(() -> x.scatterAdd(0, NDArray.full(DType.INT64, 3, 1, 1), NDArray.zeros(1, 1)));
        assertEquals("scatterAdd: index 3 is out of range for dim 0 of size 3", m);
        m = message(() -> NDArray.zeros(1, 4).expand(3, 4).scatterAddInPlace(0, NDArray.zeros(DType.INT64, 1, 1),
                NDArray.zeros(1, 1)));
        assertTrue(m.contains("expanded view"), m);
    }

    @Test
    void indexAdd_duplicates_accumulateOnEveryDim() {
        int[] shape = {3, 4, 2};
        for (DType dt : NUMERIC) {
            NDArray base = TestArrays.random(60, dt, shape);
            for (int d = 0; d < 3; d++) {
                int dd = d;
                NDArray idx = randomIndex(61 + d, shape[d], 7);
                int[] ss = shape.clone();
                ss[d] = 7;
                NDArray vals = TestArrays.random(62, dt, ss);
                double[] exp = TestArrays.values(base);
                TestArrays.forEachIndex(ss, p -> {
                    int[] q = p.clone();
                    q[dd] = (int) idx.getLong(p[dd]);
                    exp[q[0] * 8 + q[1] * 2 + q[2]] += vals.getDouble(p);
                });
                for (NDArray x : TestArrays.layouts(base)) {
                    for (NDArray sv : TestArrays.layouts(vals)) {
                        NDArray r = x.indexAdd(d - 3, idx, sv);
                        assertArray(shape, exp, r);
                        assertArrayEquals(TestArrays.values(base), TestArrays.values(x));
                        NDArray x2 = x.clone();
                        assertTrue(x2.indexAddInPlace(d, idx, sv) == x2);
                        assertArray(shape, exp, x2);
                    }
                }
                NDArray view = TestArrays.layouts(base).get(2);
                view.indexAddInPlace(d, idx, vals);
                assertArray(shape, exp, view);
            }
        }
    }

    @Test
    void indexAdd_largeEmbeddingBackward_matchesLoop() {
        int rows = 40;
        int cols = 600;
        int n = 300;
        NDArray grad = TestArrays.random(63, DType.FLOAT32, n, cols);
        NDArray idx = randomIndex(64, rows, n);
        NDArray table = NDArray.zeros(rows, cols);
        table.indexAddInPlace(0, idx, grad);
        double[] exp = new double[rows * cols];
        float[] g = grad.toFloatArray();
        for (int j = 0; j < n; j++) {
            int r = (int) idx.getLong(j);
            for (int k = 0; k < cols; k++) {
                exp[r * cols + k] += g[j * cols + k];
            }
        }
        float[] got = table.toFloatArray();
        for (int i = 0; i < exp.length; i++) {
            assertEquals(exp[i], got[i], 1e-4);
        }
    }

    @Test
    void largeOuter_parallelPaths_matchLoop() {
        int saved = Threads.get();
        Threads.set(3);
        try {
            int a = 48;
            int b = 30;
            int c = 40;
            NDArray x = TestArrays.random(65, DType.FLOAT64, a, b, c);
            NDArray xt = TestArrays.layouts(x).get(1);
            NDArray idx = randomIndex(66, b, 45);
            NDArray sel = xt.indexSelect(1, idx);
            NDArray src = TestArrays.random(67, DType.FLOAT64, a, 45, c);
            NDArray added = xt.indexAdd(1, idx, src);
            double[] xv = TestArrays.values(x);
            double[] sv = TestArrays.values(src);
            double[] expAdd = xv.clone();
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < 45; j++) {
                    int t = (int) idx.getLong(j);
                    for (int k = 0; k < c; k++) {
                        assertEquals(xv[(i * b + t) * c + k], sel.getDouble(i, j, k));
                        expAdd[(i * b + t) * c + k] += sv[(i * 45 + j) * c + k];
                    }
                }
            }
            assertArray(new int[] {a, b, c}, expAdd, added);
            NDArray gidx = randomIndex(68, b, a, 45, c);
            NDArray gathered = xt.gather(1, gidx);
            NDArray scattered = xt.scatterAdd(1, gidx, src);
            double[] expScatter = xv.clone();
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < 45; j++) {
                    for (int k = 0; k < c; k++) {
                        int t = (int) gidx.getLong(i, j, k);
                        assertEquals(xv[(i * b + t) * c + k], gathered.getDouble(i, j, k));
                        expScatter[(i * b + t) * c + k] += sv[(i * 45 + j) * c + k];
                    }
                }
            }
            assertArray(new int[] {a, b, c}, expScatter, scattered);
        } finally {
            Threads.set(saved);
        }
    }

    @Test
    void indexAdd_errors_nameShapes() {
        NDArray x = NDArray.zeros(5, 3);
        String m = message(() -> x.indexAdd(0, NDArray.of(new long[] {0, 1}), NDArray.zeros(3, 3)));
        assertTrue(m.contains("indexAdd: source shape [3, 3] must be [2, 3]"), m);
        m = message(() -> x.indexAdd(1, NDArray.of(new long[] {3}), NDArray.zeros(5, 1)));
        assertEquals("indexAdd: index 3 is out of range for dim 1 of size 3", m);
        m = message(() -> x.indexAdd(0, NDArray.of(new double[] {0}), NDArray.zeros(1, 3)));
        assertTrue(m.contains("indexAdd: index must be int64, got float64"), m);
    }

    // ------------------------------------------------------------------ masks and nonzero

    @Test
    void maskedSelect_broadcastMask_matchesLoop() {
        for (DType dt : ALL) {
            NDArray src = TestArrays.random(70, dt, 4, 5);
            NDArray mask = TestArrays.random(71, DType.BOOL, 1, 5);
            for (NDArray x : TestArrays.layouts(src)) {
                for (NDArray m : TestArrays.layouts(mask)) {
                    NDArray r = x.maskedSelect(m);
                    double[] exp = new double[20];
                    int c = 0;
                    for (int i = 0; i < 4; i++) {
                        for (int j = 0; j < 5; j++) {
                            if (mask.getBoolean(0, j)) {
                                exp[c++] = src.getDouble(i, j);
                            }
                        }
                    }
                    assertArray(new int[] {c}, Arrays.copyOf(exp, c), r);
                }
            }
        }
        String m = message(() -> NDArray.zeros(2).maskedSelect(NDArray.zeros(2)));
        assertTrue(m.contains("maskedSelect: mask must be bool, got float32"), m);
    }

    @Test
    void maskedFill_inPlaceAndCopy_matchLoop() {
        for (DType dt : NUMERIC) {
            NDArray src = TestArrays.random(72, dt, 3, 4);
            NDArray mask = TestArrays.random(73, DType.BOOL, 3, 1);
            for (NDArray x : TestArrays.layouts(src)) {
                NDArray r = x.maskedFill(mask, 3);
                assertArrayEquals(TestArrays.values(src), TestArrays.values(x));
                NDArray same = x.maskedFillInPlace(mask, 3);
                assertTrue(same == x);
                double[] exp = new double[12];
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 4; j++) {
                        exp[i * 4 + j] = mask.getBoolean(i, 0) ? 3 : src.getDouble(i, j);
                    }
                }
                assertArray(new int[] {3, 4}, exp, r);
                assertArray(new int[] {3, 4}, exp, x);
            }
        }
        String m = message(() -> NDArray.zeros(3).maskedFill(NDArray.zeros(DType.BOOL, 4), 1));
        assertTrue(m.contains("maskedFill") && m.contains("[4]") && m.contains("[3]"), m);
    }

    @Test
    void nonzero_anyLayout_matchesLoop() {
        for (DType dt : ALL) {
            NDArray src = TestArrays.random(80, dt, 3, 2, 4);
            for (NDArray x : TestArrays.layouts(src)) {
                NDArray r = x.nonzero();
                double[] exp = new double[24 * 3];
                int[] c = {0};
                TestArrays.forEachIndex(new int[] {3, 2, 4}, p -> {
                    if (src.getDouble(p) != 0) {
                        for (int d = 0; d < 3; d++) {
                            exp[c[0] * 3 + d] = p[d];
                        }
                        c[0]++;
                    }
                });
                assertEquals(DType.INT64, r.dtype());
                assertArray(new int[] {c[0], 3}, Arrays.copyOf(exp, c[0] * 3), r);
            }
        }
        assertArray(new int[] {1, 0}, new double[0], NDArray.scalar(2).nonzero());
        assertArray(new int[] {0, 0}, new double[0], NDArray.scalar(0).nonzero());
        assertArray(new int[] {0, 2}, new double[0], NDArray.zeros(3, 0).nonzero());
    }
}
