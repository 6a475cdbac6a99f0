package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * GPU matmul against the CPU backend's (OpenBLAS / plain loops): every kernel family (large, medium and small
 * tiles, split-K, TF32, float64, int64), odd sizes that leave partial tiles, transposed and batch-broadcast views,
 * unaligned operands and outputs at an offset. Skipped without a GPU.
 */
class GemmParityTest {
    private static final int[][] SHAPES = {
        {1, 1, 1}, {1, 7, 1}, {7, 1, 13}, {7, 33, 13}, {33, 129, 65}, {129, 33, 257}, {128, 128, 128},
        {257, 255, 300}, {64, 784, 256}, {64, 256, 128}, {32, 256, 1024}, {784, 64, 256}, {5, 5000, 7},
        {1000, 3, 700}, {520, 1030, 600}, {1024, 1024, 1024}, {2048, 260, 2048}};

    /** float32 tolerance for a K-long dot product of values in [-1, 1]. */
    private static double atol32(int k) {
        return 2e-6 * Math.sqrt(k) + 1e-6;
    }

    private static final UnaryOperator<NDArray> AS_IS = x -> x;
    /** The transpose of the last two dims: applied on each device, so that the GPU operand is a strided view. */
    private static final UnaryOperator<NDArray> T = x -> x.transpose(x.dim() - 2, x.dim() - 1);

    private static void assertMatmul(NDArray a, NDArray b, Device dev, double rtol, double atol, String what) {
        assertMatmul(a, AS_IS, b, AS_IS, dev, rtol, atol, what);
    }

    /** view(a) x view(b) on the CPU and on the GPU (where the views are taken after the transfer). */
    private static void assertMatmul(NDArray a, UnaryOperator<NDArray> va, NDArray b, UnaryOperator<NDArray> vb,
            Device dev, double rtol, double atol, String what) {
        NDArray ref = va.apply(a).matmul(vb.apply(b));
        NDArray got = va.apply(a.to(dev)).matmul(vb.apply(b.to(dev)));
        GpuTests.assertClose(ref, got, rtol, atol, what);
    }

    @Test
    void matmul_float32_manyShapes() {
        Device dev = GpuTests.gpu();
        int seed = 1;
        for (int[] s : SHAPES) {
            NDArray a = GpuTests.rand(seed++, s[0], s[1]);
            NDArray b = GpuTests.rand(seed++, s[1], s[2]);
            assertMatmul(a, b, dev, 1e-4, atol32(s[1]), "mm " + s[0] + "x" + s[1] + "x" + s[2]);
        }
    }

    @Test
    void matmul_float32_transposedOperands() {
        Device dev = GpuTests.gpu();
        int seed = 100;
        for (int[] s : SHAPES) {
            NDArray at = GpuTests.rand(seed++, s[1], s[0]); // transposed: [M, K], M contiguous
            NDArray bt = GpuTests.rand(seed++, s[2], s[1]); // transposed: [K, N], K contiguous
            NDArray a = GpuTests.rand(seed++, s[0], s[1]);
            NDArray b = GpuTests.rand(seed++, s[1], s[2]);
            String shape = s[0] + "x" + s[1] + "x" + s[2];
            assertMatmul(at, T, b, AS_IS, dev, 1e-4, atol32(s[1]), "a^T b " + shape);
            assertMatmul(a, AS_IS, bt, T, dev, 1e-4, atol32(s[1]), "a b^T " + shape);
            assertMatmul(at, T, bt, T, dev, 1e-4, atol32(s[1]), "a^T b^T " + shape);
        }
    }

    @Test
    void matmul_float32_stridedViewsThatNeedACopy() {
        Device dev = GpuTests.gpu();
        // every other column: neither stride is 1
        UnaryOperator<NDArray> everyOther = x -> x.slice(1, 0, 90, 2);
        assertMatmul(GpuTests.rand(3, 37, 90), everyOther, GpuTests.rand(4, 45, 31), AS_IS, dev, 1e-4, atol32(45),
                "column-strided a");
    }

    @Test
    void matmul_float32_batchedAndBroadcast() {
        Device dev = GpuTests.gpu();
        NDArray a = GpuTests.rand(11, 6, 33, 70);
        NDArray b = GpuTests.rand(12, 6, 70, 45);
        assertMatmul(a, b, dev, 1e-4, atol32(70), "bmm");
        assertMatmul(GpuTests.rand(22, 6, 70, 33), T, b, AS_IS, dev, 1e-4, atol32(70), "bmm a^T");
        assertMatmul(a, AS_IS, GpuTests.rand(23, 6, 45, 70), T, dev, 1e-4, atol32(70), "bmm b^T");
        NDArray a2 = GpuTests.rand(13, 33, 70);
        assertMatmul(a2, b, dev, 1e-4, atol32(70), "[M, K] x [B, K, N]: a broadcast over the batch");
        NDArray b2 = GpuTests.rand(14, 70, 45);
        assertMatmul(a, b2, dev, 1e-4, atol32(70), "[B, M, K] x [K, N]");
        NDArray a4 = GpuTests.rand(15, 3, 1, 9, 20);
        NDArray b4 = GpuTests.rand(16, 1, 4, 20, 10);
        assertMatmul(a4, b4, dev, 1e-4, atol32(20), "4-D broadcast batch");
        NDArray many = GpuTests.rand(17, 3000, 2, 3);
        NDArray manyB = GpuTests.rand(18, 3000, 3, 2);
        assertMatmul(many, manyB, dev, 1e-4, atol32(3), "3000 tiny products");
        NDArray vec = GpuTests.rand(19, 300);
        assertMatmul(GpuTests.rand(20, 50, 300), vec, dev, 1e-4, atol32(300), "matrix x vector");
        assertMatmul(vec, GpuTests.rand(21, 300, 50), dev, 1e-4, atol32(300), "vector x matrix");
    }

    @Test
    void matmul_outAtAnOffset_writesOnlyItsElements() {
        Device dev = GpuTests.gpu();
        for (int offset : new int[] {3, 4}) {
            NDArray a = GpuTests.rand(31, 2, 70, 50);
            NDArray b = GpuTests.rand(32, 2, 50, 36);
            NDArray ref = a.matmul(b);
            int n = 2 * 70 * 36;
            NDArray big = NDArray.full(7.0, n + 10).to(dev);
            NDArray out = big.slice(0, offset, offset + n).view(2, 70, 36);
            assertEquals(offset, out.offset());
            CudaBackend.INSTANCE.matmul(a.to(dev), b.to(dev), out);
            GpuTests.assertClose(ref, out, 1e-4, atol32(50), "out at offset " + offset);
            double[] all = big.to(Device.CPU).toDoubleArray();
            for (int i = 0; i < all.length; i++) {
                if (i < offset || i >= offset + n) {
                    assertEquals(7.0, all[i], "element " + i + " outside out");
                }
            }
        }
    }

    @Test
    void matmul_splitK_survivesTheScopeOfItsFirstUse() {
        Device dev = GpuTests.gpu();
        NDArray a = GpuTests.rand(40, 64, 784);
        NDArray b = GpuTests.rand(41, 784, 256);
        NDArray ref = a.matmul(b);
        for (int i = 0; i < 2; i++) {
            try (io.ember.tensor.MemoryScope scope = io.ember.tensor.MemoryScope.open()) {
                GpuTests.assertClose(ref, a.to(dev).matmul(b.to(dev)), 1e-4, atol32(784), "split-K, scope " + i);
            }
        }
    }

    @Test
    void matmul_emptyInnerDimension_zeroesOut() {
        Device dev = GpuTests.gpu();
        NDArray out = NDArray.full(5.0, 1, 3, 4).to(dev);
        NDArray a = NDArray.zeros(1, 3, 1).to(dev).slice(2, 0, 0);
        NDArray b = NDArray.zeros(1, 1, 4).to(dev).slice(1, 0, 0);
        CudaBackend.INSTANCE.matmul(a, b, out);
        GpuTests.assertSame(NDArray.zeros(1, 3, 4), out, "K = 0");
    }

    @Test
    void matmul_float64_and_int64() {
        Device dev = GpuTests.gpu();
        int seed = 200;
        for (int[] s : new int[][] {{1, 1, 1}, {7, 33, 13}, {65, 129, 70}, {64, 784, 256}, {5, 3000, 7}, {300, 200, 310}}) {
            NDArray a = GpuTests.rand(seed++, s[0], s[1]).to(DType.FLOAT64);
            NDArray b = GpuTests.rand(seed++, s[1], s[2]).to(DType.FLOAT64);
            assertMatmul(a, b, dev, 1e-12, 1e-12 * s[1], "float64 " + s[0] + "x" + s[1] + "x" + s[2]);
            assertMatmul(b, T, a, T, dev, 1e-12, 1e-12 * s[1], "float64 b^T a^T");
            NDArray ia = GpuTests.rand(seed++, s[0], s[1]).mul(1000).to(DType.INT64);
            NDArray ib = GpuTests.rand(seed++, s[1], s[2]).mul(1000).to(DType.INT64);
            GpuTests.assertSame(ia.matmul(ib), ia.to(dev).matmul(ib.to(dev)), "int64 " + s[0] + "x" + s[1]);
            GpuTests.assertSame(ib.transpose(0, 1).matmul(ia.transpose(0, 1)),
                    ib.to(dev).transpose(0, 1).matmul(ia.to(dev).transpose(0, 1)), "int64 b^T a^T");
        }
        NDArray big = NDArray.full(DType.INT64, 3_000_000_000.0, 2, 2);
        GpuTests.assertSame(big.matmul(big), big.to(dev).matmul(big.to(dev)), "int64 wraps around like long");
    }

    @Test
    void matmul_tf32_isLooserAndOnlyWhenAllowed() {
        Device dev = GpuTests.gpu();
        NDArray a = GpuTests.rand(300, 1024, 512);
        NDArray b = GpuTests.rand(301, 512, 1024);
        NDArray ref = a.matmul(b);
        NDArray exact = a.to(dev).matmul(b.to(dev));
        GpuTests.assertClose(ref, exact, 1e-4, atol32(512), "TF32 off: float32 accuracy");
        boolean tf32 = io.ember.gpu.cuda.Driver.computeCapability(0) >= 80;
        Cuda.setAllowTf32(true);
        try {
            int seed = 302;
            for (int[] s : new int[][] {{1024, 512, 1024}, {4096, 256, 384}, {1000, 300, 999}, {64, 784, 256}}) {
                NDArray x = GpuTests.rand(seed++, s[0], s[1]);
                NDArray y = GpuTests.rand(seed++, s[1], s[2]);
                double atol = 3e-3 * Math.sqrt(s[1]);
                String shape = s[0] + "x" + s[1] + "x" + s[2];
                assertMatmul(x, y, dev, 1e-2, atol, "TF32 " + shape);
                assertMatmul(y, T, x, T, dev, 1e-2, atol, "TF32 b^T a^T " + shape);
            }
            NDArray fast = a.to(dev).matmul(b.to(dev));
            GpuTests.assertClose(ref, fast, 1e-2, 3e-3 * Math.sqrt(512), "TF32 on");
            double[] f = fast.to(Device.CPU).toDoubleArray();
            double[] e = exact.to(Device.CPU).toDoubleArray();
            double maxDiff = 0;
            for (int i = 0; i < f.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(f[i] - e[i]));
            }
            if (tf32) {
                assertTrue(maxDiff > 0, "with TF32 allowed on sm_80+, the tensor-core path should round the inputs");
            } else {
                assertEquals(0.0, maxDiff, "no TF32 below sm_80");
            }
        } finally {
            Cuda.setAllowTf32(false);
        }
    }
}
