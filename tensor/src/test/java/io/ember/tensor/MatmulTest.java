package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MatmulTest {

    /** C[i][j] = sum_k A[i][k] * B[k][j] in double, with 2-D arrays read by getDouble. */
    private static double[][] ref2d(NDArray a, NDArray b) {
        int m = a.size(0);
        int k = a.size(1);
        int n = b.size(1);
        double[][] c = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a.getDouble(i, p) * b.getDouble(p, j);
                }
                c[i][j] = s;
            }
        }
        return c;
    }

    private static void assertMatrix(double[][] expected, NDArray got, double tol, String what) {
        assertEquals(Shape.of(expected.length, expected.length == 0 ? 0 : expected[0].length), got.shape(), what);
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], got.getDouble(i, j), tol * Math.max(1, Math.abs(expected[i][j])),
                        what + " at " + i + "," + j);
            }
        }
    }

    private static double tol(DType t) {
        return t == DType.FLOAT32 ? 1e-4 : t == DType.FLOAT64 ? 1e-12 : 0;
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage() + " should contain " + p);
        }
    }

    private static void check2d(int m, int k, int n, DType t, long seed) {
        NDArray a = TestArrays.random(seed, t, m, k);
        NDArray b = TestArrays.random(seed + 1, t, k, n);
        double[][] expected = ref2d(a, b);
        List<NDArray> al = TestArrays.layouts(a);
        List<NDArray> bl = TestArrays.layouts(b);
        for (int i = 0; i < al.size(); i++) {
            for (int j = 0; j < bl.size(); j++) {
                NDArray c = al.get(i).matmul(bl.get(j));
                assertEquals(t, c.dtype());
                assertMatrix(expected, c, tol(t), t + " " + m + "x" + k + "x" + n + " layouts " + i + "," + j);
            }
        }
        assertMatrix(expected, a.mm(b), tol(t), "mm");
    }

    @Test
    void matmul2d_smallJavaPath_allLayoutsBothFloatTypes() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            check2d(3, 4, 5, t, 1);
            check2d(1, 7, 1, t, 2);
            check2d(6, 1, 2, t, 3);
        }
    }

    @Test
    void matmul2d_largeBlasPath_allLayoutsBothFloatTypes() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            check2d(64, 70, 80, t, 4);
        }
    }

    @Test
    void matmul_transposedInputs_matchReference() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int size : new int[] {5, 48}) {
                NDArray at = TestArrays.random(5, t, size + 3, size); // used transposed: [size, size + 3]
                NDArray bt = TestArrays.random(6, t, size + 1, size + 3); // transposed: [size + 3, size + 1]
                NDArray a = at.t();
                NDArray b = bt.t();
                assertMatrix(ref2d(a, b), a.matmul(b), tol(t), "t x t " + size);
                NDArray stepped = TestArrays.random(7, t, size + 3, 2 * (size + 1)).slice(1, 0, 2 * (size + 1), 2);
                assertMatrix(ref2d(a, stepped), a.matmul(stepped), tol(t), "t x stepped " + size);
            }
        }
    }

    @Test
    void matmul_int64_exact() {
        NDArray a = TestArrays.random(8, DType.INT64, 4, 6);
        NDArray b = TestArrays.random(9, DType.INT64, 6, 3);
        for (NDArray al : TestArrays.layouts(a)) {
            NDArray c = al.matmul(b);
            assertEquals(DType.INT64, c.dtype());
            assertMatrix(ref2d(a, b), c, 0, "int64");
        }
        NDArray bools = NDArray.of(new boolean[] {true, false, true, true}, 2, 2);
        NDArray bb = bools.matmul(bools);
        assertEquals(DType.INT64, bb.dtype());
        assertMatrix(new double[][] {{1, 0}, {2, 1}}, bb, 0, "bool");
    }

    @Test
    void matmul_mixedDtypes_promote() {
        NDArray a = TestArrays.random(10, DType.INT64, 3, 4);
        NDArray b = TestArrays.random(11, DType.FLOAT64, 4, 2);
        NDArray c = a.matmul(b);
        assertEquals(DType.FLOAT64, c.dtype());
        assertMatrix(ref2d(a, b), c, 1e-12, "int64 x float64");
        assertEquals(DType.FLOAT64, b.t().matmul(a.t().to(DType.FLOAT32)).dtype());
    }

    @Test
    void matmul_vectorCases() {
        NDArray v = TestArrays.random(12, DType.FLOAT64, 4);
        NDArray w = TestArrays.random(13, DType.FLOAT64, 4);
        NDArray m = TestArrays.random(14, DType.FLOAT64, 3, 4);
        NDArray m2 = TestArrays.random(15, DType.FLOAT64, 4, 5);
        double dot = 0;
        for (int i = 0; i < 4; i++) {
            dot += v.getDouble(i) * w.getDouble(i);
        }
        for (NDArray vl : TestArrays.layouts(v)) {
            NDArray d = vl.matmul(w);
            assertEquals(0, d.dim());
            assertEquals(dot, d.item(), 1e-12);
            assertEquals(dot, vl.dot(w).item(), 1e-12);
            NDArray mv = m.matmul(vl);
            assertEquals(Shape.of(3), mv.shape());
            NDArray vm = vl.matmul(m2);
            assertEquals(Shape.of(5), vm.shape());
            for (int i = 0; i < 3; i++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += m.getDouble(i, k) * v.getDouble(k);
                }
                assertEquals(s, mv.getDouble(i), 1e-12);
                assertEquals(s, m.mv(vl).getDouble(i), 1e-12);
            }
            for (int j = 0; j < 5; j++) {
                double s = 0;
                for (int k = 0; k < 4; k++) {
                    s += v.getDouble(k) * m2.getDouble(k, j);
                }
                assertEquals(s, vm.getDouble(j), 1e-12);
            }
        }
        NDArray o = v.outer(TestArrays.random(16, DType.FLOAT64, 3));
        assertEquals(Shape.of(4, 3), o.shape());
        NDArray u = TestArrays.random(16, DType.FLOAT64, 3);
        TestArrays.forEachIndex(new int[] {4, 3}, i -> assertEquals(v.getDouble(i[0]) * u.getDouble(i[1]), o.getDouble(i)));
    }

    @Test
    void matmul_batchedBroadcast() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            NDArray a = TestArrays.random(17, t, 2, 1, 3, 4);
            NDArray b = TestArrays.random(18, t, 5, 4, 2);
            for (NDArray al : TestArrays.layouts(a)) {
                for (NDArray bl : TestArrays.layouts(b)) {
                    NDArray c = al.matmul(bl);
                    assertEquals(Shape.of(2, 5, 3, 2), c.shape());
                    for (int i = 0; i < 2; i++) {
                        for (int j = 0; j < 5; j++) {
                            double[][] e = ref2d(a.select(0, i).select(0, 0), b.select(0, j));
                            assertMatrix(e, c.select(0, i).select(0, j), tol(t), "batch " + i + "," + j);
                        }
                    }
                }
            }
        }
    }

    @Test
    void matmul_batchTimesMatrix_BTD_by_DE() {
        NDArray x = TestArrays.random(19, DType.FLOAT32, 3, 7, 6);
        NDArray w = TestArrays.random(20, DType.FLOAT32, 6, 4);
        for (NDArray xl : TestArrays.layouts(x)) {
            for (NDArray wl : TestArrays.layouts(w)) {
                NDArray c = xl.matmul(wl);
                assertEquals(Shape.of(3, 7, 4), c.shape());
                for (int b = 0; b < 3; b++) {
                    assertMatrix(ref2d(x.select(0, b), w), c.select(0, b), 1e-5, "BTD x DE");
                }
            }
        }
        NDArray v = TestArrays.random(21, DType.FLOAT64, 6);
        NDArray xv = x.to(DType.FLOAT64).matmul(v);
        assertEquals(Shape.of(3, 7), xv.shape());
        NDArray vx = TestArrays.random(22, DType.FLOAT64, 7).matmul(x.to(DType.FLOAT64));
        assertEquals(Shape.of(3, 6), vx.shape());
    }

    @Test
    void bmm_matchesPerBatch() {
        NDArray a = TestArrays.random(23, DType.FLOAT64, 4, 3, 5);
        NDArray b = TestArrays.random(24, DType.FLOAT64, 4, 5, 2);
        for (NDArray al : TestArrays.layouts(a)) {
            NDArray c = al.bmm(b);
            assertEquals(Shape.of(4, 3, 2), c.shape());
            for (int i = 0; i < 4; i++) {
                assertMatrix(ref2d(a.select(0, i), b.select(0, i)), c.select(0, i), 1e-12, "bmm " + i);
            }
        }
    }

    @Test
    void matmul_emptyInnerDim_givesZeros() {
        NDArray c = NDArray.zeros(3, 0).matmul(NDArray.zeros(0, 2));
        assertMatrix(new double[3][2], c, 0, "k = 0");
        assertEquals(Shape.of(0, 2), NDArray.zeros(0, 4).matmul(NDArray.zeros(4, 2)).shape());
    }

    @Test
    void errors_exactMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(64, 784).matmul(NDArray.zeros(256, 10)));
        assertEquals("matmul: cannot multiply [64, 784] by [256, 10] (784 != 256)", e.getMessage());
        assertEquals("matmul: cannot multiply [3] by [4] (3 != 4)", assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(3).matmul(NDArray.zeros(4))).getMessage());
        assertEquals("mm: cannot multiply [2, 3] by [2, 3] (3 != 2)", assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(2, 3).mm(NDArray.zeros(2, 3))).getMessage());
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(2, 3, 4).matmul(NDArray.zeros(3, 4, 5))), "matmul", "[2]", "[3]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.scalar(1).matmul(NDArray.zeros(3))), "matmul", "[]", "[3]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(3).mm(NDArray.zeros(3, 1))), "mm", "[3]", "[3, 1]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(2, 3, 4).bmm(NDArray.zeros(3, 4, 5))), "bmm", "[2, 3, 4]", "[3, 4, 5]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(3).dot(NDArray.zeros(4))), "dot", "[3]", "[4]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(3, 2).mv(NDArray.zeros(3))), "mv", "[3, 2]", "[3]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(3, 2).outer(NDArray.zeros(3))), "outer", "[3, 2]");
    }

    @Test
    void matmul_expandedStrideZeroInputs_largePath() {
        NDArray row = TestArrays.random(25, DType.FLOAT32, 1, 80);
        NDArray a = row.expand(64, 80);
        NDArray b = TestArrays.random(26, DType.FLOAT32, 80, 70);
        assertMatrix(ref2d(a, b), a.matmul(b), 1e-4, "expanded rows");
        NDArray col = TestArrays.random(27, DType.FLOAT64, 80, 1).expand(80, 70);
        NDArray a2 = TestArrays.random(28, DType.FLOAT64, 64, 80);
        assertMatrix(ref2d(a2, col), a2.matmul(col), 1e-12, "expanded cols");
        NDArray aa = TestArrays.random(29, DType.FLOAT32, 3, 80, 64).transpose(1, 2);
        NDArray cc = aa.matmul(b.expand(3, 80, 70));
        for (int i = 0; i < 3; i++) {
            assertMatrix(ref2d(aa.select(0, i), b), cc.select(0, i), 1e-4, "batched expanded " + i);
        }
    }

    @Test
    void backendMatmul_outAtOffsetHoldingValues_isOverwritten() {
        for (int n : new int[] {3, 64}) { // 3: the Java loop for small products; 64: OpenBLAS
            NDArray a = NDArray.rand(new Generator(5), 1, n, n);
            NDArray b = NDArray.rand(new Generator(6), 1, n, n);
            NDArray big = NDArray.full(7.0, 2 * n * n + 5);
            NDArray out = big.narrow(0, 5, n * n).view(1, n, n);
            a.backend().matmul(a, b, out);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double ref = 0;
                    for (int p = 0; p < n; p++) {
                        ref += a.getDouble(0, i, p) * b.getDouble(0, p, j);
                    }
                    assertEquals(ref, out.getDouble(0, i, j), 1e-4, "n=" + n + " at " + i + "," + j);
                }
            }
            assertEquals(7.0, big.getDouble(4));
            assertEquals(7.0, big.getDouble(5 + n * n));
        }
    }
}
