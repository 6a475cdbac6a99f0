package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The CUDA index kernels against the CPU backend's (the reference; tested against naive loops in the tensor
 * module): every dtype, every dim, contiguous and strided operands. Copies must match bit for bit; accumulations
 * over small integers too (their sums are exact in any order), over random floats within rounding.
 *
 * <p>Inputs are put on the GPU without any other kernel (strided views are made on the host and moved, then viewed
 * back), and results read back from contiguous arrays, so these tests depend on the index kernels and transfers
 * only.
 */
class IndexParityTest {
    /** Random values of a dtype: floats in [-1, 1), int64 in [-50, 50), bools. */
    static NDArray data(DType t, long seed, int... shape) {
        return switch (t) {
            case FLOAT32 -> GpuTests.rand(seed, shape);
            case FLOAT64 -> GpuTests.rand(seed, shape).to(DType.FLOAT64);
            case INT64 -> NDArray.randint(new Generator(seed), -50, 50, shape);
            case BOOL -> GpuTests.rand(seed, shape).gt(0);
        };
    }

    /** Small integers of a dtype ({0, 1} for bool): sums of them are exact in any order. */
    static NDArray ints(DType t, long seed, int... shape) {
        NDArray i = NDArray.randint(new Generator(seed), t == DType.BOOL ? 0 : -8, t == DType.BOOL ? 2 : 8, shape);
        return t == DType.INT64 ? i : t == DType.BOOL ? i.gt(0) : i.to(t);
    }

    /** A non-contiguous GPU view holding cpu's values, made without kernels (a layout moved, then viewed back). */
    static NDArray stridedOnGpu(NDArray cpu, Device gpu) {
        int r = cpu.dim();
        if (r >= 2) {
            return cpu.transpose(r - 2, r - 1).contiguous().to(gpu).transpose(r - 2, r - 1);
        }
        if (r == 1) {
            int n = cpu.size(0);
            NDArray big = NDArray.zeros(cpu.dtype(), 2 * n);
            big.slice(0, 0, 2 * n, 2).copyFrom(cpu);
            return big.to(gpu).slice(0, 0, 2 * n, 2);
        }
        return cpu.to(gpu);
    }

    /** The transposed-layout copy of a CPU array (what a strided GPU destination's base holds). */
    static NDArray transposedLayout(NDArray cpu) {
        int r = cpu.dim();
        return cpu.transpose(r - 2, r - 1).contiguous();
    }

    private static NDArray idx(long... v) {
        return NDArray.of(v, v.length);
    }

    // ------------------------------------------------------------------------------------------------ indexSelect

    @Test
    void indexSelect_matchesCpu_everyDtypeDimAndLayout() {
        Device gpu = GpuTests.gpu();
        for (DType t : DType.values()) {
            NDArray x = data(t, 1, 5, 6, 7);
            for (int dim = 0; dim < 3; dim++) {
                int size = x.size(dim);
                NDArray index = idx(size - 1, 0, 2, size - 1, 1);
                NDArray ref = x.indexSelect(dim, index);
                String what = "indexSelect " + t + " dim " + dim;
                GpuTests.assertSame(ref, x.to(gpu).indexSelect(dim, index.to(gpu)), what + " contiguous");
                GpuTests.assertSame(ref, stridedOnGpu(x, gpu).indexSelect(dim, index.to(gpu)), what + " strided x");
                GpuTests.assertSame(ref, x.to(gpu).indexSelect(dim, stridedOnGpu(index, gpu)),
                        what + " strided index");
                GpuTests.assertSame(x.indexSelect(dim, idx(2).expand(4)), x.to(gpu).indexSelect(dim,
                        idx(2).to(gpu).expand(4)), what + " broadcast (stride 0) index");
            }
            GpuTests.assertSame(x.indexSelect(1, idx()), x.to(gpu).indexSelect(1, idx().to(gpu)), "empty index");
        }
    }

    /** Row copies in 16-, 8-, 4-, 2- and 1-byte units: row lengths and base offsets that allow each. */
    @Test
    void indexSelect_rowCopies_everyUnit() {
        Device gpu = GpuTests.gpu();
        for (DType t : DType.values()) {
            for (int inner : new int[] {1, 2, 3, 4, 5, 64}) {
                for (int skip = 0; skip < 2; skip++) {
                    NDArray full = data(t, inner, 10, inner);
                    NDArray x = full.narrow(0, skip, 10 - skip); // contiguous, at an offset of skip rows
                    NDArray index = idx(3, 0, 8, 8, 1, 4);
                    NDArray got = full.to(gpu).narrow(0, skip, 10 - skip).indexSelect(0, index.to(gpu));
                    GpuTests.assertSame(x.indexSelect(0, index), got, "rows of " + inner + " " + t + " skip " + skip);
                }
            }
        }
    }

    /** The embedding lookup of the lstm benchmark: [32*64] indices into a [vocab, 64] table. */
    @Test
    void indexSelect_embeddingShape() {
        Device gpu = GpuTests.gpu();
        NDArray table = GpuTests.rand(3, 97, 64);
        NDArray index = NDArray.randint(new Generator(4), 0, 97, 32 * 64);
        GpuTests.assertSame(table.indexSelect(0, index), table.to(gpu).indexSelect(0, index.to(gpu)), "embedding");
    }

    // --------------------------------------------------------------------------------------------------- indexAdd

    @Test
    void indexAdd_matchesCpu_everyDtypeDimAndLayout_withRepeatedIndices() {
        Device gpu = GpuTests.gpu();
        for (DType t : DType.values()) {
            for (int dim = 0; dim < 3; dim++) {
                NDArray dst = ints(t, 10 + dim, 5, 6, 7);
                int size = dst.size(dim);
                NDArray index = idx(size - 1, 0, size - 1, 2, 0, 1);
                int[] srcShape = dst.shape().toArray();
                srcShape[dim] = 6;
                NDArray src = ints(t, 20 + dim, srcShape);
                NDArray ref = dst.clone().indexAddInPlace(dim, index, src);
                String what = "indexAdd " + t + " dim " + dim;

                NDArray g = dst.clone().to(gpu); // a copy even where "gpu" is the host
                g.indexAddInPlace(dim, index.to(gpu), src.to(gpu));
                GpuTests.assertSame(ref, g, what + " contiguous");

                NDArray base = transposedLayout(dst).to(gpu);
                base.transpose(1, 2).indexAddInPlace(dim, stridedOnGpu(index, gpu), stridedOnGpu(src, gpu));
                GpuTests.assertSame(transposedLayout(ref), base, what + " strided");
            }
        }
    }

    /** The embedding gradient: many repeats of random float rows; atomics add in another order than the CPU. */
    @Test
    void indexAdd_randomFloats_closeToCpu() {
        Device gpu = GpuTests.gpu();
        NDArray index = NDArray.randint(new Generator(5), 0, 50, 2048);
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            NDArray src = data(t, 6, 2048, 64);
            NDArray ref = NDArray.zeros(t, 50, 64).indexAddInPlace(0, index, src);
            NDArray g = NDArray.zeros(t, 50, 64).to(gpu).indexAddInPlace(0, index.to(gpu), src.to(gpu));
            double tol = t == DType.FLOAT32 ? 1e-5 : 1e-12;
            GpuTests.assertClose(ref, g, tol, tol, "indexAdd " + t);
        }
    }

    // ----------------------------------------------------------------------------------------------------- gather

    @Test
    void gather_matchesCpu_everyDtypeDimAndLayout() {
        Device gpu = GpuTests.gpu();
        for (DType t : DType.values()) {
            NDArray x = data(t, 30, 4, 5, 6);
            for (int dim = 0; dim < 3; dim++) {
                int[] ishape = {3, 4, 5};
                ishape[dim] = 7; // along dim the index may be longer than x
                NDArray index = NDArray.randint(new Generator(31 + dim), 0, x.size(dim), ishape);
                NDArray ref = x.gather(dim, index);
                String what = "gather " + t + " dim " + dim;
                GpuTests.assertSame(ref, x.to(gpu).gather(dim, index.to(gpu)), what + " contiguous");
                GpuTests.assertSame(ref, stridedOnGpu(x, gpu).gather(dim, stridedOnGpu(index, gpu)), what
                        + " strided");
            }
            NDArray s = data(t, 32, 1).reshape();
            NDArray zero = NDArray.scalar(DType.INT64, 0);
            GpuTests.assertSame(s.gather(0, zero), s.to(gpu).gather(0, zero.to(gpu)), "gather 0-d " + t);
        }
    }

    /** A class-index pick like cross-entropy's: [N, C] scores, [N, 1] targets. */
    @Test
    void gather_classPick() {
        Device gpu = GpuTests.gpu();
        NDArray scores = GpuTests.rand(33, 64, 10);
        NDArray target = NDArray.randint(new Generator(34), 0, 10, 64, 1);
        GpuTests.assertSame(scores.gather(1, target), scores.to(gpu).gather(1, target.to(gpu)), "class pick");
    }

    // ---------------------------------------------------------------------------------------------------- scatter

    /** Index values of shape ishape along dim, distinct within each line along dim (so a plain scatter is defined). */
    static NDArray lineIndex(int[] ishape, int dim, int size, long seed) {
        int n = 1;
        for (int s : ishape) {
            n *= s;
        }
        long[] v = new long[n];
        java.util.Random r = new java.util.Random(seed);
        int[] shifts = new int[n];
        for (int i = 0; i < n; i++) {
            shifts[i] = r.nextInt(size);
        }
        for (int i = 0; i < n; i++) {
            int rem = i;
            int c = 0;
            int line = 0;
            for (int d = ishape.length - 1; d >= 0; d--) {
                int cd = rem % ishape[d];
                rem /= ishape[d];
                if (d == dim) {
                    c = cd;
                } else {
                    line = line * 31 + cd;
                }
            }
            v[i] = (c + shifts[Math.floorMod(line, n)]) % size;
        }
        return NDArray.of(v, ishape);
    }

    @Test
    void scatter_matchesCpu_everyDtypeDimAndLayout() {
        Device gpu = GpuTests.gpu();
        for (DType t : DType.values()) {
            NDArray dst = data(t, 40, 4, 5, 6);
            for (int dim = 0; dim < 3; dim++) {
                int[] ishape = {3, 4, 5};
                ishape[dim] = Math.min(ishape[dim], dst.size(dim));
                NDArray index = lineIndex(ishape, dim, dst.size(dim), 41 + dim);
                NDArray src = data(t, 42 + dim, 4, 5, 6); // larger than the index: only its front is read
                NDArray ref = dst.scatter(dim, index, src);
                String what = "scatter " + t + " dim " + dim;

                NDArray g = dst.clone().to(gpu); // a copy even where "gpu" is the host
                CudaIndex.scatter(g, dim, index.to(gpu), src.to(gpu), false);
                GpuTests.assertSame(ref, g, what + " contiguous");

                NDArray base = transposedLayout(dst).to(gpu);
                CudaIndex.scatter(base.transpose(1, 2), dim, stridedOnGpu(index, gpu), stridedOnGpu(src, gpu), false);
                GpuTests.assertSame(transposedLayout(ref), base, what + " strided");
            }
        }
    }

    @Test
    void scatterAdd_matchesCpu_everyDtypeDimAndLayout_withRepeatedTargets() {
        Device gpu = GpuTests.gpu();
        for (DType t : DType.values()) {
            NDArray dst = ints(t, 50, 4, 5, 6);
            for (int dim = 0; dim < 3; dim++) {
                int[] ishape = {4, 5, 6};
                ishape[dim] = 9; // more entries than targets: repeats are certain
                int[] sshape = ishape.clone();
                NDArray index = NDArray.randint(new Generator(51 + dim), 0, dst.size(dim), ishape);
                NDArray src = ints(t, 52 + dim, sshape);
                NDArray ref = dst.clone().scatterAddInPlace(dim, index, src);
                String what = "scatterAdd " + t + " dim " + dim;

                NDArray g = dst.clone().to(gpu); // a copy even where "gpu" is the host
                g.scatterAddInPlace(dim, index.to(gpu), src.to(gpu));
                GpuTests.assertSame(ref, g, what + " contiguous");

                NDArray base = transposedLayout(dst).to(gpu);
                base.transpose(1, 2).scatterAddInPlace(dim, stridedOnGpu(index, gpu), stridedOnGpu(src, gpu));
                GpuTests.assertSame(transposedLayout(ref), base, what + " strided");
            }
        }
    }

    @Test
    void scatterAdd_randomFloats_closeToCpu() {
        Device gpu = GpuTests.gpu();
        NDArray index = NDArray.randint(new Generator(55), 0, 10, 64, 40);
        NDArray src = GpuTests.rand(56, 64, 40);
        NDArray ref = NDArray.zeros(64, 10).scatterAddInPlace(1, index, src);
        NDArray g = NDArray.zeros(64, 10).to(gpu).scatterAddInPlace(1, index.to(gpu), src.to(gpu));
        GpuTests.assertClose(ref, g, 1e-5, 1e-5, "scatterAdd float32");
    }

    // ---------------------------------------------------------------------------------------------------- nonzero

    @Test
    void nonzero_matchesCpu_shapesDtypesAndLayouts() {
        Device gpu = GpuTests.gpu();
        for (DType t : DType.values()) {
            for (int[] shape : new int[][] {{0}, {3, 0, 2}, {7}, {37, 41, 3}, {2, 3, 4, 5, 6}}) {
                NDArray x = data(t, 60 + shape.length, shape);
                if (t != DType.BOOL) {
                    x = x.mul(x.gt(0.3).to(t)); // about a third non-zero for floats and ints
                }
                String what = "nonzero " + t + " " + Arrays.toString(shape);
                GpuTests.assertSame(x.nonzero(), x.to(gpu).nonzero(), what);
                if (x.dim() >= 2 && x.numel() > 0) {
                    GpuTests.assertSame(x.nonzero(), stridedOnGpu(x, gpu).nonzero(), what + " strided");
                }
            }
            for (double v : new double[] {0, 2}) {
                NDArray s = NDArray.scalar(t, v);
                GpuTests.assertSame(s.nonzero(), s.to(gpu).nonzero(), "nonzero 0-d " + t + " " + v);
            }
        }
    }

    /** Many blocks: sparse and dense, with a partial last chunk; NaN counts, -0.0 does not. */
    @Test
    void nonzero_largeAndSpecialValues() {
        Device gpu = GpuTests.gpu();
        NDArray sparse = NDArray.rand(new Generator(70), 1 << 20).gt(0.999);
        GpuTests.assertSame(sparse.nonzero(), sparse.to(gpu).nonzero(), "sparse bool");
        NDArray dense = NDArray.rand(new Generator(71), 300_001);
        dense = dense.mul(dense.gt(0.3).to(DType.FLOAT32));
        GpuTests.assertSame(dense.nonzero(), dense.to(gpu).nonzero(), "dense float32");
        NDArray special = NDArray.of(new float[] {0f, -0f, Float.NaN, 1e-45f, Float.NEGATIVE_INFINITY, 0f}, 2, 3);
        NDArray got = special.to(gpu).nonzero();
        assertArrayEquals(new long[] {0, 2, 1, 0, 1, 1}, got.to(Device.CPU).toLongArray());
        GpuTests.assertSame(special.nonzero(), got, "special");
    }

    // ----------------------------------------------------------------------------------------- out-of-range indices

    /** Drops an error left pending by an earlier test, so each test sees its own. */
    private static void clearErrors() {
        try {
            CudaIndex.checkErrors(0);
        } catch (IllegalArgumentException e) {
            // an earlier test's
        }
    }

    @Test
    void outOfRange_indexSelect_readsZerosAndIsReportedAtTheNextCheck() {
        Device gpu = GpuTests.gpu();
        clearErrors();
        NDArray x = GpuTests.rand(80, 5, 4);
        NDArray out = x.to(gpu).indexSelect(0, idx(1, 9, 2).to(gpu));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaIndex.checkErrors(0));
        assertTrue(e.getMessage().startsWith("indexSelect: index 9 is out of range for dim 0 of size 5"),
                e.getMessage());
        CudaIndex.checkErrors(0); // reported once, then cleared
        NDArray want = NDArray.zeros(3, 4);
        want.select(0, 0).copyFrom(x.select(0, 1));
        want.select(0, 2).copyFrom(x.select(0, 2));
        GpuTests.assertSame(want, out, "rows in range copied, the other zero");
    }

    @Test
    void outOfRange_scatterWritesNothingOutsideItsView() {
        Device gpu = GpuTests.gpu();
        clearErrors();
        NDArray base = NDArray.zeros(3, 10).to(gpu);
        NDArray view = base.narrow(1, 2, 5); // [3, 5] inside [3, 10]
        NDArray index = NDArray.of(new long[] {0, 7, 4, -1, 5, 1}, 3, 2);
        CudaIndex.scatter(view, 1, index.to(gpu), NDArray.full(1, 3, 2).to(gpu), false);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaIndex.checkErrors(0));
        assertTrue(e.getMessage().matches("scatter: index (7|-1|5) is out of range for dim 1 of size 5 .*"),
                e.getMessage());
        NDArray want = NDArray.zeros(3, 10);
        want.select(0, 0).select(0, 2).fillInPlace(1);
        want.select(0, 1).select(0, 6).fillInPlace(1);
        want.select(0, 2).select(0, 3).fillInPlace(1);
        GpuTests.assertSame(want, base, "only the in-range targets written");
    }

    @Test
    void outOfRange_addsAreSkippedAndGatherReadsZero_nonzeroReportsThem() {
        Device gpu = GpuTests.gpu();
        clearErrors();
        NDArray dst = NDArray.zeros(4, 3).to(gpu);
        dst.indexAddInPlace(0, idx(0, 4, 3).to(gpu), NDArray.full(1, 3, 3).to(gpu));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaIndex.checkErrors(0));
        assertTrue(e.getMessage().startsWith("indexAdd: index 4 is out of range for dim 0 of size 4"),
                e.getMessage());
        NDArray want = NDArray.zeros(4, 3);
        want.select(0, 0).fillInPlace(1);
        want.select(0, 3).fillInPlace(1);
        GpuTests.assertSame(want, dst, "in-range rows added");

        NDArray x = GpuTests.rand(81, 2, 3);
        NDArray got = x.to(gpu).gather(1, NDArray.of(new long[] {2, -3}, 2, 1).to(gpu));
        // nonzero waits for the device anyway, so it raises the pending error
        e = assertThrows(IllegalArgumentException.class, () -> NDArray.ones(2).to(gpu).nonzero());
        assertTrue(e.getMessage().startsWith("gather: index -3 is out of range for dim 1 of size 3"),
                e.getMessage());
        assertEquals(x.select(0, 0).select(0, 2).item(), got.to(Device.CPU).toFloatArray()[0], 0.0);
        assertEquals(0f, got.to(Device.CPU).toFloatArray()[1], 0.0);
    }
}
