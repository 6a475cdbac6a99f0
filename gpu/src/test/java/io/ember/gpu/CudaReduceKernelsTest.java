package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import io.ember.tensor.spi.ReduceOp;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The reduction launchers without a GPU: kernel names against the committed PTX, dtype support, the values of
 * empty reductions, and argument errors (raised before anything touches a device, so CPU arrays show them).
 */
class CudaReduceKernelsTest {

    @Test
    void kernelNames_areExactlyTheEntriesOfThePtx() {
        List<String> names = CudaReduce.kernelNames();
        assertEquals(names.size(), new TreeSet<>(names).size(), "duplicate names");
        for (String n : names) {
            assertTrue(CudaElementwiseKernelsTest.entries(CudaReduce.MODULE).contains(n),
                    "no .visible .entry " + n + "( in reduce.ptx");
        }
        assertEquals(new TreeSet<>(names), CudaElementwiseKernelsTest.entries(CudaReduce.MODULE),
                "entries the launcher never asks for");
        assertTrue(names.contains("reduce_norm_neg_inf_f64"));
        assertTrue(names.contains("reduce_final_max_b8"));
        assertTrue(names.contains("softmax_cols_f32"));
    }

    @Test
    void kind_picksTheNormByItsOrder() {
        assertEquals("norm_inf", CudaReduce.kind(ReduceOp.NORM, Double.POSITIVE_INFINITY));
        assertEquals("norm_neg_inf", CudaReduce.kind(ReduceOp.NORM, Double.NEGATIVE_INFINITY));
        assertEquals("norm0", CudaReduce.kind(ReduceOp.NORM, 0));
        assertEquals("norm1", CudaReduce.kind(ReduceOp.NORM, 1));
        assertEquals("norm2", CudaReduce.kind(ReduceOp.NORM, 2));
        assertEquals("normp", CudaReduce.kind(ReduceOp.NORM, 3.5));
        assertEquals("normp", CudaReduce.kind(ReduceOp.NORM, Double.NaN));
        assertEquals("logsumexp", CudaReduce.kind(ReduceOp.LOGSUMEXP, 0));
    }

    @Test
    void supported_followsTheDtypesNDArrayPasses() {
        assertTrue(CudaReduce.supported(ReduceOp.SUM, DType.INT64));
        assertFalse(CudaReduce.supported(ReduceOp.SUM, DType.BOOL));
        assertFalse(CudaReduce.supported(ReduceOp.VAR, DType.INT64));
        assertTrue(CudaReduce.supported(ReduceOp.MAX, DType.BOOL));
        assertTrue(CudaReduce.supported(ReduceOp.ALL, DType.FLOAT64));
    }

    @Test
    void emptyValue_isTheCpusIdentity() {
        assertEquals(0.0, CudaReduce.emptyValue(ReduceOp.SUM));
        assertEquals(1.0, CudaReduce.emptyValue(ReduceOp.PROD));
        assertEquals(Double.NEGATIVE_INFINITY, CudaReduce.emptyValue(ReduceOp.LOGSUMEXP));
        assertTrue(Double.isNaN(CudaReduce.emptyValue(ReduceOp.VAR)));
        assertEquals(1.0, CudaReduce.emptyValue(ReduceOp.ALL));
        assertEquals(0.0, CudaReduce.emptyValue(ReduceOp.ANY));
    }

    @Test
    void reduce_badArgumentsFailClearly() {
        NDArray l = NDArray.of(new long[] {1, 2}, 2);
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> CudaReduce.reduce(ReduceOp.VAR, l, new int[] {0}, NDArray.zeros(DType.INT64, 1), null, 1));
        assertEquals("var: not defined for int64", u.getMessage());
        NDArray x = NDArray.of(new float[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaReduce.reduce(ReduceOp.SUM, x, new int[] {0}, NDArray.zeros(DType.FLOAT64, 1), null, 0));
        assertEquals("sum: out is float64, expected float32", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CudaReduce.reduce(ReduceOp.ANY, x, new int[] {0},
                NDArray.zeros(DType.FLOAT32, 1), null, 0));
        assertEquals("any: out is float32, expected bool", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CudaReduce.reduce(ReduceOp.SUM, x, new int[] {0},
                NDArray.zeros(1), NDArray.zeros(DType.INT64, 1), 0));
        assertTrue(e.getMessage().startsWith("sum: indices need max or min over one dim"), e.getMessage());
        NDArray empty = NDArray.zeros(0, 3);
        e = assertThrows(IllegalArgumentException.class, () -> CudaReduce.reduce(ReduceOp.MAX, empty, new int[] {0},
                NDArray.zeros(1, 3), null, 0));
        assertEquals("MAX: cannot reduce over an empty slice", e.getMessage());
    }

    @Test
    void softmax_badArgumentsFailClearly() {
        NDArray l = NDArray.of(new long[] {1, 2}, 2);
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> CudaReduce.softmax(l, 0, false, l));
        assertEquals("softmax: not defined for int64", u.getMessage());
        NDArray x = NDArray.of(new float[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaReduce.softmax(x, 0, true, NDArray.zeros(DType.FLOAT64, 2)));
        assertEquals("logSoftmax: out is float64, expected float32", e.getMessage());
    }
}
