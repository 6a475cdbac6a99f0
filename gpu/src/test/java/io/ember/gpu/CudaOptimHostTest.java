package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The optimizer launcher's host side, which runs without a GPU. */
class CudaOptimHostTest {
    @Test
    void kernelNames_areExactlyThePtxEntries() {
        String ptx = new String(Kernels.ptx(CudaOptim.MODULE), StandardCharsets.US_ASCII);
        Set<String> entries = new HashSet<>();
        Matcher m = Pattern.compile("\\.visible \\.entry (\\w+)\\(").matcher(ptx);
        while (m.find()) {
            entries.add(m.group(1));
        }
        assertEquals(entries, new HashSet<>(CudaOptim.kernelNames()));
    }

    /**
     * The update must be bit-identical to the CPU's loop, which rounds every float operation: the PTX must hold no
     * contracted multiply-add and only correctly rounded division and square root.
     */
    @Test
    void ptx_hasNoFusedMultiplyAddAndOnlyRoundedDivisionAndSqrt() {
        String ptx = new String(Kernels.ptx(CudaOptim.MODULE), StandardCharsets.US_ASCII);
        assertFalse(ptx.contains("fma."), "optim.ptx contracts a multiply-add");
        assertFalse(ptx.contains(".approx.") || ptx.contains(".ftz."), "optim.ptx has approximate or flushing ops");
        assertTrue(ptx.contains("div.rn.f32") && ptx.contains("sqrt.rn.f32"));
    }

    @Test
    void check_rejectsWhatTheKernelCannotTake() {
        NDArray p = NDArray.zeros(4, 3);
        CudaOptim.check("sgd update", p, new String[] {"grad", "momentum buffer"}, NDArray.zeros(4, 3), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaOptim.check("sgd update",
                p, new String[] {"grad", "momentum buffer"}, NDArray.zeros(DType.FLOAT64, 4, 3), null));
        assertEquals("sgd update: grad must be float32, got float64", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CudaOptim.check("adam update", p,
                new String[] {"grad", "expAvg", "expAvgSq", "maxExpAvgSq"}, NDArray.zeros(4, 3), NDArray.zeros(3, 4)
                        .transpose(0, 1), NDArray.zeros(4, 3), null));
        assertTrue(e.getMessage().startsWith("adam update: expAvg must be contiguous"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CudaOptim.check("adam update", p,
                new String[] {"grad", "expAvg", "expAvgSq", "maxExpAvgSq"}, NDArray.zeros(4, 3), NDArray.zeros(4, 3),
                NDArray.zeros(4, 3), NDArray.zeros(12)));
        assertEquals("adam update: maxExpAvgSq shape [12] differs from the parameter's [4, 3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> CudaOptim.sgd(p, null, null, true, 0.1f, 0, 0, 0,
                false, false));
        assertEquals("sgd update: param and grad are required", e.getMessage());
    }

    @Test
    void launchers_onHostArraysFailClearly() {
        NDArray p = NDArray.zeros(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaOptim.adam(p, NDArray.zeros(4), NDArray.zeros(4), NDArray.zeros(4), null, 1f, 0f, 0.9f,
                        0.999f, 1e-3f, 1f, 1e-8f, false));
        assertTrue(e.getMessage().startsWith("expected an array on a CUDA device"), e.getMessage());
    }

    @Test
    void aligned_needsEveryAddressOn16Bytes() {
        assertTrue(CudaOptim.aligned(512, 1024, 0));
        assertFalse(CudaOptim.aligned(512, 1028));
        assertFalse(CudaOptim.aligned(520, 1024)); // 8-aligned is not enough for float4
    }

    @Test
    void blocks_coverFloat4StepsAndAreCapped() {
        assertEquals(1, CudaOptim.blocks(3, 1));
        assertEquals(1, CudaOptim.blocks(1024, 1));
        assertEquals(2, CudaOptim.blocks(1028, 1));
        assertEquals(5, CudaOptim.blocks(1025, 0));
        assertEquals(CudaOptim.MAX_BLOCKS, CudaOptim.blocks(Integer.MAX_VALUE, 0));
    }
}
