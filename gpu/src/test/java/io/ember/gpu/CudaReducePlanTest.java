package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Host-side logic of the reduction launchers (runs without a GPU): the kept/reduced stride tables, the launch plan,
 * and, by re-doing the kernel's thread-to-element mapping ({@code reduce_body} in reduce.cu) over the plan's grid,
 * that every output receives exactly its own elements once, with the arg index the CPU would count.
 */
class CudaReducePlanTest {

    private static int[] table(int[] shape, int[] strides) {
        int[] t = new int[17];
        t[0] = shape.length;
        System.arraycopy(shape, 0, t, 1, shape.length);
        System.arraycopy(strides, 0, t, 9, strides.length);
        return t;
    }

    @Test
    void tables_columnSumKeepsTheContiguousDimAndReducesRows() {
        // bias gradient: sum over dim 0 of [64, 256]
        int[][] t = CudaReduce.tables(new int[] {64, 256}, new int[] {256, 1}, new int[] {0}, false);
        assertArrayEquals(table(new int[] {256}, new int[] {1}), t[0]);
        assertArrayEquals(table(new int[] {64}, new int[] {256}), t[1]);
    }

    @Test
    void tables_fullReductionOfAContiguousArrayIsOneRun() {
        int[][] t = CudaReduce.tables(new int[] {4, 5, 6}, new int[] {30, 6, 1}, new int[] {0, 1, 2}, false);
        assertArrayEquals(table(new int[] {1}, new int[] {0}), t[0]);
        assertArrayEquals(table(new int[] {120}, new int[] {1}), t[1]);
    }

    @Test
    void tables_reducedDimsAreSortedByStrideUnlessOrderMatters() {
        // a transposed [6, 5] view of a [5, 6] array, all reduced: dims sorted by |stride| merge into one run
        int[][] t = CudaReduce.tables(new int[] {6, 5}, new int[] {1, 6}, new int[] {0, 1}, false);
        assertArrayEquals(table(new int[] {30}, new int[] {1}), t[1]);
        int[][] kept = CudaReduce.tables(new int[] {6, 5}, new int[] {1, 6}, new int[] {0, 1}, true);
        assertArrayEquals(table(new int[] {6, 5}, new int[] {1, 6}), kept[1]);
    }

    @Test
    void tables_keptDimsAroundAReducedDimMergeWhenStridesAllow() {
        // [2, 3, 4] reduce dim 1: kept dims 0 (stride 12) and 2 (stride 1) do not merge
        int[][] t = CudaReduce.tables(new int[] {2, 3, 4}, new int[] {12, 4, 1}, new int[] {1}, false);
        assertArrayEquals(table(new int[] {2, 4}, new int[] {12, 1}), t[0]);
        assertArrayEquals(table(new int[] {3}, new int[] {4}), t[1]);
        // a broadcast reduced dim between kept dims that are contiguous with each other
        int[][] b = CudaReduce.tables(new int[] {2, 3, 4}, new int[] {4, 0, 1}, new int[] {1}, false);
        assertArrayEquals(table(new int[] {8}, new int[] {1}), b[0]);
        assertArrayEquals(table(new int[] {3}, new int[] {0}), b[1]);
    }

    @Test
    void tables_tooManyUnmergeableDimsFailClearly() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = new int[shape.length];
        int s = 1;
        for (int d = 0; d < shape.length; d++) { // reversed layout: nothing merges
            strides[d] = s;
            s *= 2;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaReduce.tables(shape, strides, new int[] {0}, true));
        assertEquals("reduce: the kept dims need 9 strides after merging, CUDA kernels take at most 8 (make the"
                + " array contiguous first)", e.getMessage());
    }

    @Test
    void plan_fullReductionOfAMillionSplitsOverBlocks() {
        int[] p = CudaReduce.plan(1, (1 << 20) + 3, 0, 1);
        assertArrayEquals(new int[] {0, 512, 1, 1, 257, 256}, p);
    }

    @Test
    void plan_rowSumsUseAWarpPerRow() {
        // sum over the last dim of [64, 256]
        assertArrayEquals(new int[] {0, 32, 8, 8, 1, 32}, CudaReduce.plan(64, 256, 256, 1));
        // loss: mean of [64, 10] -> one output, one block
        assertArrayEquals(new int[] {0, 128, 1, 1, 1, 32}, CudaReduce.plan(1, 640, 0, 1));
    }

    @Test
    void plan_shortContiguousReductionsPutThreadsAcrossOutputs() {
        // mean over the last dim of [100000, 3]: 32 outputs a block, 4 lanes each
        assertArrayEquals(new int[] {1, 32, 4, 3125, 1, 32}, CudaReduce.plan(100000, 3, 3, 1));
        assertArrayEquals(new int[] {0, 32, 8, 12500, 1, 32}, CudaReduce.plan(100000, 17, 17, 1));
    }

    @Test
    void plan_columnSumsPutThreadsAlongTheContiguousDim() {
        assertArrayEquals(new int[] {1, 32, 8, 8, 1, 32}, CudaReduce.plan(256, 64, 1, 256));
        // [64, 10] summed over dim 0: 10 outputs, 16 lanes each
        assertArrayEquals(new int[] {1, 16, 16, 1, 1, 32}, CudaReduce.plan(10, 64, 1, 10));
        // tall columns split over blocks
        int[] tall = CudaReduce.plan(256, 1 << 16, 1, 256);
        assertEquals(1, tall[0]);
        assertEquals(64, tall[4]);
    }

    @Test
    void plan_invariantsHoldForManySizes() {
        for (int outs : new int[] {1, 2, 3, 10, 31, 32, 33, 100, 1000, 100000}) {
            for (long m : new long[] {1, 2, 7, 32, 100, 257, 1000, 5000, 1 << 20}) {
                for (int[] st : new int[][] {{0, 1}, {1, 7}, {5, 7}}) {
                    int[] p = CudaReduce.plan(outs, m, st[0], st[1]);
                    String what = outs + " x " + m + " " + Arrays.toString(st) + " -> " + Arrays.toString(p);
                    assertTrue(p[1] * p[2] <= CudaReduce.MAX_THREADS, what);
                    if (p[0] == 0) {
                        assertEquals(0, p[1] % 32, what);
                        assertEquals((outs + p[2] - 1) / p[2], p[3], what);
                    } else {
                        assertEquals(p[2], Integer.highestOneBit(p[2]), what);
                        assertTrue(p[1] <= 32 && p[1] == Integer.highestOneBit(p[1]), what);
                        assertEquals((outs + p[1] - 1) / p[1], p[3], what);
                    }
                    assertTrue(p[4] >= 1 && p[4] <= CudaReduce.MAX_SPLITS, what);
                    assertEquals(0, p[5] % 32, what);
                }
            }
        }
    }

    /**
     * Runs reduce_body's mapping over the whole grid of a plan: returns, per output, the sum of (offset + 1) of the
     * elements it reads, how many it reads, and (when single) the j it reads each offset at.
     */
    private static long[][] emulate(int[] shape, int[] strides, int[] dims, boolean keepOrder, int[] jAtOffset) {
        int[][] t = CudaReduce.tables(shape, strides, dims, keepOrder);
        boolean[] red = new boolean[shape.length];
        for (int d : dims) {
            red[d] = true;
        }
        int outs = 1;
        long m = 1;
        for (int d = 0; d < shape.length; d++) {
            if (red[d]) {
                m *= shape[d];
            } else {
                outs *= shape[d];
            }
        }
        int[] p = CudaReduce.plan(outs, m, CudaReduce.innerStride(t[0]), CudaReduce.innerStride(t[1]));
        long[] sum = new long[outs];
        long[] count = new long[outs];
        int bx = p[1];
        int by = p[2];
        int splits = p[4];
        for (int gy = 0; gy < splits; gy++) {
            for (int gx = 0; gx < p[3]; gx++) {
                for (int ty = 0; ty < by; ty++) {
                    for (int tx = 0; tx < bx; tx++) {
                        int o = p[0] == 1 ? gx * bx + tx : gx * by + ty;
                        int lane = p[0] == 1 ? ty : tx;
                        int lanes = p[0] == 1 ? by : bx;
                        if (o >= outs) {
                            continue;
                        }
                        int base = CudaElementwiseLayoutTest.kernelOffsets(t[0], 1, o)[0];
                        for (long j = (long) gy * lanes + lane; j < m; j += (long) lanes * splits) {
                            int off = base + CudaElementwiseLayoutTest.kernelOffsets(t[1], 1, (int) j)[0];
                            sum[o] += off + 1;
                            count[o]++;
                            if (jAtOffset != null) {
                                jAtOffset[off] = (int) j;
                            }
                        }
                    }
                }
            }
        }
        return new long[][] {sum, count};
    }

    /** Per output (row-major over the kept dims), the sum of (offset + 1) and the count of its elements. */
    private static long[][] naive(int[] shape, int[] strides, int[] dims) {
        boolean[] red = new boolean[shape.length];
        for (int d : dims) {
            red[d] = true;
        }
        int outs = 1;
        for (int d = 0; d < shape.length; d++) {
            outs *= red[d] ? 1 : shape[d];
        }
        long[] sum = new long[outs];
        long[] count = new long[outs];
        int n = CudaElementwiseLayoutTest.numel(shape);
        for (int i = 0; i < n; i++) {
            int rem = i;
            int off = 0;
            int o = 0;
            int mul = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                int c = rem % shape[d];
                rem /= shape[d];
                off += c * strides[d];
                if (!red[d]) {
                    o += c * mul;
                    mul *= shape[d];
                }
            }
            sum[o] += off + 1;
            count[o]++;
        }
        return new long[][] {sum, count};
    }

    @Test
    void kernelMapping_readsEachOutputsElementsExactlyOnceOnRandomViews() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 1 + rnd.nextInt(4);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = 1 + rnd.nextInt(rnd.nextInt(3) == 0 ? 40 : 6);
            }
            int[] strides = rnd.nextBoolean() ? CudaElementwiseLayoutTest.contiguousStrides(shape)
                    : CudaElementwiseLayoutTest.randomStrides(rnd, shape);
            int[] dims = java.util.stream.IntStream.range(0, rank).filter(d -> rnd.nextBoolean()).toArray();
            if (dims.length == 0) {
                dims = new int[] {rnd.nextInt(rank)};
            }
            long[][] want = naive(shape, strides, dims);
            long[][] got = emulate(shape, strides, dims, false, null);
            String what = Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " dims "
                    + Arrays.toString(dims);
            assertArrayEquals(want[1], got[1], "counts of " + what);
            assertArrayEquals(want[0], got[0], "offsets of " + what);
        }
    }

    @Test
    void kernelMapping_largeReductionsSplitAndStillCoverEverything() {
        int[][] cases = {{1 << 14, 3}, {3, 1 << 14}, {100000}};
        for (int[] shape : cases) {
            int[] st = CudaElementwiseLayoutTest.contiguousStrides(shape);
            for (int d = 0; d < shape.length; d++) {
                long[][] want = naive(shape, st, new int[] {d});
                long[][] got = emulate(shape, st, new int[] {d}, true, null);
                assertArrayEquals(want[1], got[1], Arrays.toString(shape) + " dim " + d);
                assertArrayEquals(want[0], got[0], Arrays.toString(shape) + " dim " + d);
            }
        }
    }

    @Test
    void kernelMapping_argIndexIsThePositionAlongTheDim() {
        int[] shape = {5, 7, 3};
        int[] st = {1, 5, 35}; // a fully transposed layout
        for (int d = 0; d < 3; d++) {
            int[] j = new int[5 * 7 * 3];
            Arrays.fill(j, -1);
            emulate(shape, st, new int[] {d}, true, j);
            for (int a = 0; a < 5; a++) {
                for (int b = 0; b < 7; b++) {
                    for (int c = 0; c < 3; c++) {
                        int off = a * st[0] + b * st[1] + c * st[2];
                        int want = d == 0 ? a : d == 1 ? b : c;
                        assertEquals(want, j[off], "dim " + d + " at " + a + "," + b + "," + c);
                    }
                }
            }
        }
    }

    @Test
    void softmaxSlices_startAtEachSlicesFirstElement() {
        // softmax over dim 1 of a [4, 3, 5] array (x transposed in its last two dims), out contiguous
        int[] shape = {4, 3, 5};
        int[] xs = {15, 1, 3};
        int[] os = {15, 5, 1};
        CudaElementwise.Layout l = CudaReduce.slices("softmax", shape, xs, os, 1);
        assertEquals(20, l.numel());
        int[] table = l.table();
        int i = 0;
        for (int a = 0; a < 4; a++) {
            for (int c = 0; c < 5; c++) {
                int[] off = CudaElementwiseLayoutTest.kernelOffsets(table, 2, i++);
                assertEquals(a * 15 + c * 3, off[0]);
                assertEquals(a * 15 + c, off[1]);
            }
        }
    }

    @Test
    void softmaxPlan_warpPerShortRowBlockPerLongRowThreadPerStridedSlice() {
        assertArrayEquals(new int[] {0, 8, 32, 8}, CudaReduce.softmaxPlan(64, 10, 1));
        assertArrayEquals(new int[] {0, 1, 32, 3}, CudaReduce.softmaxPlan(3, 10, 1));
        assertArrayEquals(new int[] {0, 8, 256, 1}, CudaReduce.softmaxPlan(8, 5000, 1));
        assertArrayEquals(new int[] {0, 3, 512, 1}, CudaReduce.softmaxPlan(3, 20000, 1));
        assertArrayEquals(new int[] {1, 200, 256, 1}, CudaReduce.softmaxPlan(51200, 3, 1600));
        // strided but few slices: still a warp each
        assertArrayEquals(new int[] {0, 2, 32, 8}, CudaReduce.softmaxPlan(10, 64, 10));
    }
}
