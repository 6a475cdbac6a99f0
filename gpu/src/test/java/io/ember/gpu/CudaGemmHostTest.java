package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CudaGemm's host-side logic, which needs no GPU: kernel names, argument packing, tile and split choice. */
class CudaGemmHostTest {
    @Test
    void kernelNames_everyRequestableKernelIsInItsPtx() {
        List<String[]> names = CudaGemm.kernelNames();
        assertEquals(4 * (2 + 2 + 1 + 2 + 2 + 1 + 1), names.size());
        for (String[] n : names) {
            KernelSources.assertEntry(n[0], n[1]);
        }
    }

    @Test
    void kernelName_layoutsAndVectorSuffix() {
        assertEquals("sgemm_l_nt_v", CudaGemm.kernelName(CudaGemm.Config.L, false, true, true));
        assertEquals("sgemm_s_tn", CudaGemm.kernelName(CudaGemm.Config.S, true, false, true)); // s has no _v
        assertEquals("dgemm_tt", CudaGemm.kernelName(CudaGemm.Config.D, true, true, true));
        assertEquals("tgemm_m_nn", CudaGemm.kernelName(CudaGemm.Config.TM, false, false, false));
    }

    @Test
    void pack_matchesTheGemmArgsStruct() throws IOException {
        assertEquals(KernelSources.structFields("gemm.cuh", "GemmArgs"), CudaGemm.ARG_FIELDS);
        CudaGemm.Call c = new CudaGemm.Call();
        c.a = 1001;
        c.b = 1002;
        c.c = 1003;
        c.bias = 1004;
        c.m = 70;
        c.n = 200;
        c.k = 3000;
        c.lda = 11;
        c.ldb = 12;
        c.ldc = 13;
        c.z2 = 14;
        c.sa1 = 15;
        c.sa2 = 16;
        c.sb1 = 17;
        c.sb2 = 18;
        c.sc1 = 19;
        c.sc2 = 20;
        c.sbias1 = 21;
        c.sbias2 = 22;
        c.accumulate = true;
        CudaGemm.Plan p = new CudaGemm.Plan(CudaGemm.Config.M, 5, 608);
        long[] v = CudaGemm.pack(c, p, 23, 1005, 1006, true);
        assertEquals(CudaGemm.ARG_FIELDS.size(), v.length);
        long[] expected = {1001, 1002, 1003, 1004, 1005, 1006, 70, 200, 3000, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20,
            21, 22, 23, 2, 4, 5, 608, 1, 1};
        assertArrayEquals(expected, v);
    }

    @Test
    void plan_largeSquareUsesLargeTilesUnsplit() {
        CudaGemm.Plan p = CudaGemm.plan(DType.FLOAT32, false, 4096, 4096, 4096, 1);
        assertEquals(CudaGemm.Config.L, p.config());
        assertEquals(1, p.splits());
        assertEquals(4096, p.kchunk());
        assertEquals(CudaGemm.Config.TL, CudaGemm.plan(DType.FLOAT32, true, 8192, 8192, 8192, 1).config());
    }

    @Test
    void plan_midSizeUsesMediumTiles() {
        assertEquals(CudaGemm.Config.M, CudaGemm.plan(DType.FLOAT32, false, 1024, 1024, 1024, 1).config());
        assertEquals(CudaGemm.Config.TM, CudaGemm.plan(DType.FLOAT32, true, 1024, 1024, 1024, 1).config());
    }

    @Test
    void plan_mostlyEmptyTilesAreAvoided() {
        // conv1 forward of the PROTOCOL cnn: [32, 9] x [9, 784] per image, 64 images.
        CudaGemm.Plan p = CudaGemm.plan(DType.FLOAT32, false, 32, 784, 9, 64);
        assertEquals(CudaGemm.Config.S, p.config());
        assertEquals(1, p.splits());
    }

    @Test
    void plan_smallOutputLongKIsSplit() {
        // mlp layer 1: [64, 784] x [784, 256]
        assertSplitCovers(CudaGemm.plan(DType.FLOAT32, false, 64, 256, 784, 1), 784);
        // conv1 backward weight: [32, 50176] x [50176, 9]
        CudaGemm.Plan p = CudaGemm.plan(DType.FLOAT32, false, 32, 9, 64 * 784, 1);
        assertSplitCovers(p, 64 * 784);
        assertTrue(p.splits() > CudaGemm.MAX_SPLITS / 2, p.toString());
        // TF32 allowed: small products still run on the splitting float32 kernels
        assertSplitCovers(CudaGemm.plan(DType.FLOAT32, true, 64, 256, 784, 1), 784);
        assertSplitCovers(CudaGemm.plan(DType.FLOAT64, false, 10, 10, 5000, 1), 5000);
    }

    private static void assertSplitCovers(CudaGemm.Plan p, long k) {
        assertTrue(p.config().split, p.toString());
        assertTrue(p.splits() > 1, p.toString());
        assertEquals(0, p.kchunk() % p.config().bk, p.toString());
        assertTrue(p.kchunk() >= 2L * p.config().bk, p.toString());
        assertTrue((long) p.splits() * p.kchunk() >= k, p.toString());
        assertTrue((long) (p.splits() - 1) * p.kchunk() < k, "every split has work: " + p);
        assertTrue(p.splits() <= CudaGemm.MAX_SPLITS, p.toString());
    }

    @Test
    void plan_shortKIsNotSplit() {
        CudaGemm.Plan p = CudaGemm.plan(DType.FLOAT32, false, 8, 8, 40, 1);
        assertEquals(1, p.splits());
        assertEquals(40, p.kchunk());
    }

    @Test
    void plan_splitsKeepTheGridAndWorkspaceBounded() {
        CudaGemm.Plan p = CudaGemm.plan(DType.FLOAT32, false, 1, 1, 100000, 100);
        assertSplitCovers(p, 100000);
        assertTrue((long) p.splits() * 100 <= CudaGemm.MAX_GRID_Y, p.toString());
        CudaGemm.Plan q = CudaGemm.plan(DType.FLOAT32, false, 2000, 1, 1 << 20, 1);
        assertTrue((long) q.splits() * 2000 <= CudaGemm.WORKSPACE_LIMIT, q.toString());
        assertEquals(CudaGemm.Config.I, CudaGemm.plan(DType.INT64, true, 5000, 5000, 5000, 1).config());
    }

    @Test
    void plan_boolIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaGemm.plan(DType.BOOL, false, 2, 2, 2, 1));
        assertEquals("matmul: not defined for bool", e.getMessage());
    }

    @Test
    void layout_rowMajorTransposedAndNeither() {
        assertArrayEquals(new long[] {0, 10}, CudaGemm.layout(5, 7, 10, 1));
        assertArrayEquals(new long[] {1, 9}, CudaGemm.layout(5, 7, 1, 9));
        assertArrayEquals(new long[] {0, 0}, CudaGemm.layout(1, 7, 123, 1));
        assertArrayEquals(new long[] {0, 3}, CudaGemm.layout(5, 1, 3, 8)); // one column: any column stride
        assertArrayEquals(new long[] {1, 4}, CudaGemm.layout(1, 7, 2, 4)); // one row, strided: read transposed
        assertArrayEquals(new long[] {0, 0}, CudaGemm.layout(5, 7, 0, 1)); // rows broadcast
        assertNull(CudaGemm.layout(5, 7, 14, 2));
        assertNull(CudaGemm.layout(5, 7, 0, 0));
    }

    @Test
    void aligned16_needsAddressRowsAndBatchOffsetsOnVectors() {
        assertTrue(CudaGemm.aligned16(4096, 8, 0, 64));
        assertTrue(!CudaGemm.aligned16(4100, 8, 0, 64));
        assertTrue(!CudaGemm.aligned16(4096, 6, 0, 64));
        assertTrue(!CudaGemm.aligned16(4096, 8, 2, 64));
        assertTrue(!CudaGemm.aligned16(4096, 8, 0, 66));
    }

    @Test
    void check_rejectsMismatchedOperandsWithTheirShapes() {
        NDArray a = NDArray.zeros(DType.FLOAT32, 1, 2, 3);
        NDArray b = NDArray.zeros(DType.FLOAT32, 1, 4, 5);
        NDArray out = NDArray.zeros(DType.FLOAT32, 1, 2, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaGemm.check(a, b, out));
        assertEquals("matmul: shapes do not match: a [1, 2, 3], b [1, 4, 5], out [1, 2, 5]", e.getMessage());
        NDArray b64 = NDArray.zeros(DType.FLOAT64, 1, 3, 5);
        e = assertThrows(IllegalArgumentException.class, () -> CudaGemm.check(a, b64, out));
        assertEquals("matmul: expected a, b and out of one dtype, got float32, float64 and float32", e.getMessage());
        NDArray a2 = NDArray.zeros(DType.FLOAT32, 2, 3);
        e = assertThrows(IllegalArgumentException.class, () -> CudaGemm.check(a2, b, out));
        assertTrue(e.getMessage().startsWith("matmul: expected 3-D a [B, M, K]"), e.getMessage());
    }
}
