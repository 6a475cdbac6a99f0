package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PromotionTest {
    private static final NDArray I = NDArray.of(new long[] {1, 2, 3});
    private static final NDArray F = NDArray.of(new float[] {0.5f, 1.5f, 2.5f});
    private static final NDArray D = NDArray.of(new double[] {0.25, 0.5, 0.75});
    private static final NDArray B = NDArray.of(new boolean[] {true, false, true});

    @Test
    void int64PlusFloat32_float32() {
        NDArray r = I.add(F);
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new double[] {1.5, 3.5, 5.5}, TestArrays.values(r));
        assertEquals(DType.FLOAT32, F.mul(I).dtype());
    }

    @Test
    void float32PlusFloat64_float64() {
        NDArray r = F.add(D);
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[] {0.75, 2, 3.25}, TestArrays.values(r));
        assertEquals(DType.FLOAT64, I.sub(D).dtype());
    }

    @Test
    void boolPlusBool_int64() {
        NDArray r = B.add(B);
        assertEquals(DType.INT64, r.dtype());
        assertArrayEquals(new double[] {2, 0, 2}, TestArrays.values(r));
        assertEquals(DType.INT64, B.mul(B).dtype());
        assertEquals(DType.INT64, B.add(I).dtype());
        assertEquals(DType.FLOAT32, B.add(F).dtype());
    }

    @Test
    void int64DivInt64_float32TrueDivision() {
        NDArray r = I.div(NDArray.of(new long[] {2, 2, 2}));
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new double[] {0.5, 1, 1.5}, TestArrays.values(r));
        assertEquals(DType.FLOAT32, I.div(2).dtype());
        assertEquals(DType.FLOAT64, I.div(D).dtype());
    }

    @Test
    void comparisons_bool() {
        assertEquals(DType.BOOL, I.lt(F).dtype());
        assertArrayEquals(new double[] {0, 0, 0}, TestArrays.values(I.lt(F)));
        assertArrayEquals(new double[] {1, 1, 1}, TestArrays.values(I.gt(F)));
        assertEquals(DType.BOOL, D.eq(F).dtype());
        assertEquals(DType.BOOL, B.ne(B).dtype());
        assertEquals(DType.BOOL, I.ge(2).dtype());
        assertEquals(DType.BOOL, F.le(2.5).dtype());
    }

    @Test
    void int64PlusFractionalScalar_float32() {
        NDArray r = I.add(2.5);
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new double[] {3.5, 4.5, 5.5}, TestArrays.values(r));
        assertEquals(DType.INT64, I.add(2).dtype());
        assertArrayEquals(new double[] {3, 4, 5}, TestArrays.values(I.add(2)));
        assertEquals(DType.INT64, B.add(1).dtype());
    }

    @Test
    void floatPlusScalar_keepsArrayType() {
        assertEquals(DType.FLOAT32, F.add(2).dtype());
        assertEquals(DType.FLOAT32, F.mul(1e-3).dtype());
        assertEquals(DType.FLOAT64, D.add(2).dtype());
        assertArrayEquals(new double[] {2.5, 3.5, 4.5}, TestArrays.values(F.add(2)));
    }

    @Test
    void floatingFunctionsOfIntegers_float32() {
        NDArray r = I.exp();
        assertEquals(DType.FLOAT32, r.dtype());
        assertArrayEquals(new double[] {(float) Math.E, (float) Math.exp(2), (float) Math.exp(3)}, TestArrays.values(r));
        assertEquals(DType.FLOAT32, I.sqrt().dtype());
        assertEquals(DType.FLOAT32, B.sigmoid().dtype());
        assertEquals(DType.FLOAT64, D.exp().dtype());
        assertEquals(DType.INT64, I.neg().dtype());
        assertEquals(DType.INT64, B.neg().dtype());
        assertEquals(DType.INT64, I.abs().dtype());
    }

    @Test
    void promoteTable_isSymmetricAndOrdered() {
        DType[] order = {DType.BOOL, DType.INT64, DType.FLOAT32, DType.FLOAT64};
        for (int i = 0; i < order.length; i++) {
            for (int j = 0; j < order.length; j++) {
                DType expected = order[Math.max(i, j)];
                assertEquals(expected, DType.promote(order[i], order[j]));
            }
        }
        assertEquals(DType.FLOAT32, DType.INT64.toFloating());
        assertEquals(DType.FLOAT64, DType.FLOAT64.toFloating());
    }

    @Test
    void whereAndMatmul_promote() {
        assertEquals(DType.FLOAT64, NDArray.where(B, I, D).dtype());
        assertEquals(DType.FLOAT32, NDArray.where(B, I, F).dtype());
        assertEquals(DType.FLOAT32, I.unsqueeze(0).matmul(F.unsqueeze(1)).dtype());
    }
}
