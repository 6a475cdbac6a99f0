package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Host-side logic of the elementwise launchers (runs without a GPU): dim coalescing, the stride tables the kernels
 * receive, layout modes and grid sizes. The kernels' index arithmetic ({@code geo_offsets} in elementwise.cuh) is
 * re-done here by {@link #kernelOffsets} and compared with naive row-major strided offsets of the original shape.
 */
class CudaElementwiseLayoutTest {

    /** elementwise.cuh's geo_offsets, step by step: operand offsets of linear index i from a packed table. */
    static int[] kernelOffsets(int[] table, int ops, int i) {
        int max = Kernels.MAX_DIMS;
        int rank = table[0];
        int[] off = new int[ops];
        for (int d = max - 1; d >= 1; d--) {
            if (d < rank) {
                int n = table[1 + d];
                int q = Integer.divideUnsigned(i, n);
                int r = i - q * n;
                for (int k = 0; k < ops; k++) {
                    off[k] += r * table[1 + max + k * max + d];
                }
                i = q;
            }
        }
        for (int k = 0; k < ops; k++) {
            off[k] += i * table[1 + max + k * max];
        }
        return off;
    }

    /** The offset of row-major index i of shape in an operand with these strides. */
    static int naiveOffset(int[] shape, int[] strides, int i) {
        int off = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            off += (i % shape[d]) * strides[d];
            i /= shape[d];
        }
        return off;
    }

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= shape[d];
        }
        return st;
    }

    /** Strides of a view of shape: a permuted (transposed) layout, some dims broadcast, some stepped by 2. */
    static int[] randomStrides(Random rnd, int[] shape) {
        int r = shape.length;
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        if (rnd.nextBoolean()) {
            for (int i = r - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
        }
        int[] st = new int[r];
        int s = rnd.nextInt(4) == 0 ? 2 : 1;
        for (int i = r - 1; i >= 0; i--) {
            int d = perm[i];
            st[d] = s;
            s *= shape[d] * (rnd.nextInt(5) == 0 ? 2 : 1);
        }
        for (int d = 0; d < r; d++) {
            if (rnd.nextInt(5) == 0) {
                st[d] = 0;
            }
        }
        return st;
    }

    private static void assertKernelAddressesLikeNaive(int[] shape, int[][] strides) {
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(shape, strides);
        assertEquals(numel(shape), l.numel(), l.toString());
        assertTrue(l.rank() >= 1 && l.rank() <= Math.max(1, shape.length), l.toString());
        int ops = strides.length;
        if (l.rank() <= Kernels.MAX_DIMS) {
            int[] table = l.table();
            assertEquals(1 + 8 + 8 * ops, table.length);
            for (int i = 0; i < numel(shape); i++) {
                int[] got = kernelOffsets(table, ops, i);
                for (int k = 0; k < ops; k++) {
                    assertEquals(naiveOffset(shape, strides[k], i), got[k], "operand " + k + " index " + i + " of "
                            + java.util.Arrays.toString(shape) + " " + java.util.Arrays.deepToString(strides));
                }
            }
            return;
        }
        CudaElementwise.Layout inner = l.inner();
        int[] table = inner.table();
        int[][] outer = l.outerOffsets();
        int innerN = inner.numel();
        assertEquals(numel(shape), outer.length * innerN);
        for (int c = 0; c < outer.length; c++) {
            for (int i = 0; i < innerN; i++) {
                int[] got = kernelOffsets(table, ops, i);
                for (int k = 0; k < ops; k++) {
                    assertEquals(naiveOffset(shape, strides[k], c * innerN + i), outer[c][k] + got[k],
                            "chunk " + c + " operand " + k + " index " + i);
                }
            }
        }
    }

    @Test
    void coalesce_contiguousArraysBecomeOneDim() {
        int[] shape = {4, 5, 6};
        int[] st = contiguousStrides(shape);
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(shape, st, st);
        assertArrayEquals(new int[] {120}, l.shape);
        assertArrayEquals(new int[] {1}, l.strides[0]);
        assertArrayEquals(new int[] {1}, l.strides[1]);
        assertTrue(l.contiguous(0) && l.contiguous(1));
    }

    @Test
    void coalesce_broadcastScalarMergesWithContiguous() {
        int[] shape = {64, 256};
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(shape, new int[] {256, 1}, new int[] {256, 1},
                new int[] {0, 0});
        assertArrayEquals(new int[] {64 * 256}, l.shape);
        assertArrayEquals(new int[] {0}, l.strides[2]);
        assertTrue(l.scalar(2));
    }

    @Test
    void coalesce_rowBroadcastKeepsTwoDims() {
        // bias add: out [64, 256] = x [64, 256] + b [256] expanded (strides 0, 1)
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(new int[] {64, 256}, new int[] {256, 1},
                new int[] {256, 1}, new int[] {0, 1});
        assertArrayEquals(new int[] {64, 256}, l.shape);
        assertArrayEquals(new int[] {0, 1}, l.strides[2]);
    }

    @Test
    void coalesce_transposeIsNotMerged() {
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(new int[] {3, 5}, new int[] {5, 1},
                new int[] {1, 3});
        assertArrayEquals(new int[] {3, 5}, l.shape);
        assertArrayEquals(new int[] {1, 3}, l.strides[1]);
    }

    @Test
    void coalesce_sizeOneDimsAreDroppedWhateverTheirStride() {
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(new int[] {1, 7, 1, 3}, new int[] {99, 3, 5, 1},
                new int[] {0, 3, 77, 1});
        assertArrayEquals(new int[] {21}, l.shape);
        assertArrayEquals(new int[] {1}, l.strides[0]);
    }

    @Test
    void coalesce_oneElementIsRankOneWithZeroStrides() {
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(new int[] {1, 1}, new int[] {4, 9});
        assertArrayEquals(new int[] {1}, l.shape);
        assertArrayEquals(new int[] {0}, l.strides[0]);
        CudaElementwise.Layout scalar = CudaElementwise.Layout.coalesce(new int[0], new int[0], new int[0]);
        assertArrayEquals(new int[] {1}, scalar.shape);
        assertEquals(CudaElementwise.VEC, scalar.mode(new long[] {256, 512}, new int[] {4, 4}));
    }

    @Test
    void coalesce_stepSlicesMergeOnlyWhereTheGapsAllow() {
        // every other column of a [4, 10] array, [4, 5] with strides (10, 2): one run of stride 2
        CudaElementwise.Layout columns = CudaElementwise.Layout.coalesce(new int[] {4, 5}, new int[] {5, 1},
                new int[] {10, 2});
        assertArrayEquals(new int[] {20}, columns.shape);
        assertArrayEquals(new int[] {1}, columns.strides[0]);
        assertArrayEquals(new int[] {2}, columns.strides[1]);
        // every other row of an [8, 5] array: rows of 5 with gaps
        CudaElementwise.Layout rows = CudaElementwise.Layout.coalesce(new int[] {4, 5}, new int[] {5, 1},
                new int[] {10, 1});
        assertArrayEquals(new int[] {4, 5}, rows.shape);
        // the first 3 columns of a [4, 10] array
        CudaElementwise.Layout narrow = CudaElementwise.Layout.coalesce(new int[] {4, 3}, new int[] {3, 1},
                new int[] {10, 1});
        assertArrayEquals(new int[] {4, 3}, narrow.shape);
        assertArrayEquals(new int[] {10, 1}, narrow.strides[1]);
    }

    @Test
    void table_packsRankShapeAndEachOperandsStrides() {
        CudaElementwise.Layout l = new CudaElementwise.Layout(new int[] {3, 5}, new int[][] {{5, 1}, {1, 3}});
        int[] t = l.table();
        assertEquals(25, t.length);
        assertEquals(2, t[0]);
        assertArrayEquals(new int[] {3, 5, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(t, 1, 9));
        assertArrayEquals(new int[] {5, 1, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(t, 9, 17));
        assertArrayEquals(new int[] {1, 3, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(t, 17, 25));
    }

    @Test
    void mode_linearVectorizedOnlyWhereEveryPointerIsAligned() {
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(new int[] {100}, new int[] {1}, new int[] {1});
        assertEquals(CudaElementwise.VEC, l.mode(new long[] {4096, 8192}, new int[] {4, 4}));
        assertEquals(CudaElementwise.LINEAR, l.mode(new long[] {4096, 8196}, new int[] {4, 4}));
        // float32 in, bool out: 4 bools need 4-byte alignment, 4 floats 16
        assertEquals(CudaElementwise.VEC, l.mode(new long[] {4100, 8192}, new int[] {1, 4}));
        assertEquals(CudaElementwise.LINEAR, l.mode(new long[] {4098, 8192}, new int[] {1, 4}));
        // double: 32 bytes
        assertEquals(CudaElementwise.LINEAR, l.mode(new long[] {4096, 8208}, new int[] {8, 8}));
    }

    @Test
    void mode_scalarInputsAreFlaggedAndNeedNoAlignment() {
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(new int[] {64, 256}, new int[] {256, 1},
                new int[] {256, 1}, new int[] {0, 0});
        assertEquals(CudaElementwise.VEC | (4 << 1), l.mode(new long[] {4096, 8192, 12}, new int[] {4, 4, 4}));
        CudaElementwise.Layout first = CudaElementwise.Layout.coalesce(new int[] {10}, new int[] {1}, new int[] {0},
                new int[] {1});
        assertEquals(CudaElementwise.LINEAR | 4, first.mode(new long[] {4096, 0, 8200}, new int[] {8, 8, 8}));
    }

    @Test
    void mode_stridedWhenTheOutputOrAnInputIsNotLinear() {
        CudaElementwise.Layout bias = CudaElementwise.Layout.coalesce(new int[] {64, 256}, new int[] {256, 1},
                new int[] {256, 1}, new int[] {0, 1});
        assertEquals(CudaElementwise.STRIDED, bias.mode(new long[] {0, 0, 0}, new int[] {4, 4, 4}));
        CudaElementwise.Layout outStrided = CudaElementwise.Layout.coalesce(new int[] {10}, new int[] {2},
                new int[] {1});
        assertEquals(CudaElementwise.STRIDED, outStrided.mode(new long[] {0, 0}, new int[] {4, 4}));
        CudaElementwise.Layout outBroadcast = CudaElementwise.Layout.coalesce(new int[] {10}, new int[] {0},
                new int[] {1});
        assertEquals(CudaElementwise.STRIDED, outBroadcast.mode(new long[] {0, 0}, new int[] {4, 4}));
    }

    @Test
    void blocks_coverTheElementsAndAreCapped() {
        assertEquals(1, CudaElementwise.blocks(1, CudaElementwise.LINEAR));
        assertEquals(4, CudaElementwise.blocks(1000, CudaElementwise.LINEAR));
        assertEquals(1, CudaElementwise.blocks(1000, CudaElementwise.VEC));
        assertEquals(1025, CudaElementwise.blocks((1 << 20) + 3, CudaElementwise.VEC | 8));
        assertEquals(CudaElementwise.MAX_BLOCKS, CudaElementwise.blocks(1 << 30, CudaElementwise.STRIDED));
    }

    @Test
    void kernelAddressing_matchesNaiveStridesOnRandomViews() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 400; trial++) {
            int rank = rnd.nextInt(6);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 1 : 5);
            }
            int ops = 1 + rnd.nextInt(4);
            int[][] strides = new int[ops][];
            strides[0] = rnd.nextBoolean() ? contiguousStrides(shape) : randomStrides(rnd, shape);
            for (int k = 1; k < ops; k++) {
                strides[k] = randomStrides(rnd, shape);
            }
            assertKernelAddressesLikeNaive(shape, strides);
        }
    }

    @Test
    void kernelAddressing_splitsMoreThanEightUnmergeableDimsIntoLaunches() {
        int[] shape = {2, 3, 2, 2, 2, 2, 2, 2, 3, 2};
        int[] st = contiguousStrides(shape);
        int[] reversed = new int[shape.length]; // every dim transposed: nothing merges
        int s = 1;
        for (int d = 0; d < shape.length; d++) {
            reversed[d] = s;
            s *= shape[d];
        }
        CudaElementwise.Layout l = CudaElementwise.Layout.coalesce(shape, st, reversed);
        assertEquals(10, l.rank());
        assertEquals(6, l.outerOffsets().length);
        assertEquals(8, l.inner().rank());
        assertKernelAddressesLikeNaive(shape, new int[][] {st, reversed});
    }
}
