package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.UnaryOp;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The elementwise launchers without a GPU: every kernel they can ask for is an entry of the committed PTX (and the
 * PTX has no entry they cannot reach), dtype support follows the CPU backend, and bad arguments fail with clear
 * messages before anything touches a device (CPU arrays are enough to see that).
 */
class CudaElementwiseKernelsTest {

    static Set<String> entries(String module) {
        String ptx = new String(Kernels.ptx(module), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\\.visible \\.entry (\\w+)\\(").matcher(ptx);
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void kernelNames_areExactlyTheEntriesOfThePtx() {
        List<String> names = CudaElementwise.kernelNames();
        Set<String> ptx = entries(CudaElementwise.MODULE);
        assertEquals(names.size(), new TreeSet<>(names).size(), "duplicate names");
        for (String n : names) {
            assertTrue(ptx.contains(n), "no .visible .entry " + n + "( in elementwise.ptx");
        }
        assertEquals(new TreeSet<>(names), ptx, "entries the launcher never asks for");
    }

    @Test
    void kernelNames_coverEveryConversionAndEveryOpOnTheFloatingTypes() {
        List<String> names = CudaElementwise.kernelNames();
        assertEquals(16, names.stream().filter(n -> n.startsWith("copy_")).count());
        for (UnaryOp op : UnaryOp.values()) {
            if (op != UnaryOp.LOGICAL_NOT) {
                assertTrue(names.contains("unary_" + op.opName() + "_f32"), op.opName());
                assertTrue(names.contains("unary_" + op.opName() + "_f64"), op.opName());
            }
        }
        for (BinaryOp op : BinaryOp.values()) {
            assertTrue(names.contains("binary_" + op.opName() + "_f32"), op.opName());
            assertTrue(names.contains("binary_" + op.opName() + "_f64"), op.opName());
        }
        assertTrue(names.contains("unary_logical_not_b8"));
        assertTrue(names.contains("unary_clamp_i64"));
        assertTrue(names.contains("binary_remainder_i64"));
        assertTrue(names.contains("binary_logical_xor_b8"));
    }

    @Test
    void support_followsTheCpuBackend() {
        assertTrue(CudaElementwise.unarySupported(UnaryOp.GELU, DType.FLOAT32));
        assertFalse(CudaElementwise.unarySupported(UnaryOp.EXP, DType.INT64));
        assertTrue(CudaElementwise.unarySupported(UnaryOp.ABS, DType.INT64));
        assertFalse(CudaElementwise.unarySupported(UnaryOp.NEG, DType.BOOL));
        assertFalse(CudaElementwise.unarySupported(UnaryOp.LOGICAL_NOT, DType.FLOAT32));
        assertFalse(CudaElementwise.binarySupported(BinaryOp.DIV, DType.INT64));
        assertFalse(CudaElementwise.binarySupported(BinaryOp.ATAN2, DType.INT64));
        assertTrue(CudaElementwise.binarySupported(BinaryOp.POW, DType.INT64));
        assertFalse(CudaElementwise.binarySupported(BinaryOp.ADD, DType.BOOL));
        assertTrue(CudaElementwise.binarySupported(BinaryOp.LT, DType.BOOL));
    }

    @Test
    void unary_unsupportedDtypeNamesOpAndDtype() {
        NDArray x = NDArray.of(new long[] {1, 2}, 2);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> CudaElementwise.unary(UnaryOp.EXP, x, x, 0, 0));
        assertEquals("exp: not defined for int64", e.getMessage());
        NDArray b = NDArray.of(new boolean[] {true}, 1);
        e = assertThrows(UnsupportedOperationException.class, () -> CudaElementwise.unary(UnaryOp.NEG, b, b, 0, 0));
        assertEquals("neg: not defined for bool", e.getMessage());
    }

    @Test
    void unary_wrongOutputDtypeIsRejected() {
        NDArray x = NDArray.of(new float[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaElementwise.unary(UnaryOp.ISNAN, x, x, 0, 0));
        assertEquals("isnan: out is float32, expected bool", e.getMessage());
    }

    @Test
    void binary_unsupportedAndMismatchedOperandsAreRejected() {
        NDArray l = NDArray.of(new long[] {1, 2}, 2);
        UnsupportedOperationException u = assertThrows(UnsupportedOperationException.class,
                () -> CudaElementwise.binary(BinaryOp.DIV, l, l, l));
        assertEquals("div: not defined for int64", u.getMessage());
        NDArray b = NDArray.of(new boolean[] {true, false}, 2);
        u = assertThrows(UnsupportedOperationException.class, () -> CudaElementwise.binary(BinaryOp.ADD, b, b, b));
        assertEquals("add: not defined for bool", u.getMessage());
        NDArray x = NDArray.of(new float[] {1, 2}, 2);
        NDArray y = NDArray.of(new float[] {1, 2, 3}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaElementwise.binary(BinaryOp.ADD, x, y, x));
        assertEquals("add: operand of shape [3] does not match the output's shape [2]", e.getMessage());
        NDArray d = NDArray.of(new double[] {1, 2}, 2);
        e = assertThrows(IllegalArgumentException.class, () -> CudaElementwise.binary(BinaryOp.MUL, x, d, x));
        assertEquals("mul: y is float64, expected float32", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CudaElementwise.binary(BinaryOp.LT, x, x, x));
        assertEquals("lt: out is float32, expected bool", e.getMessage());
    }

    @Test
    void where_conditionMustBeBool() {
        NDArray x = NDArray.of(new float[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaElementwise.where(x, x, x, x));
        assertEquals("where: cond is float32, expected bool", e.getMessage());
    }

    @Test
    void launch_ofCpuArraysSaysACudaArrayWasExpected() {
        NDArray x = NDArray.of(new float[] {1, 2}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaElementwise.unary(UnaryOp.EXP, x, x, 0, 0));
        assertEquals("expected an array on a CUDA device, got one on cpu", e.getMessage());
    }
}
