package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The index launcher's host side, which runs without a GPU: kernel names, layouts, grids, checks, messages. */
class CudaIndexHostTest {
    private static Set<String> entries(String module) {
        String ptx = new String(Kernels.ptx(module), StandardCharsets.US_ASCII);
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("\\.visible \\.entry (\\w+)\\(").matcher(ptx);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void kernelNames_areExactlyThePtxEntries() {
        Set<String> ptx = entries(CudaIndex.MODULE);
        List<String> names = CudaIndex.kernelNames();
        for (String k : names) {
            assertTrue(ptx.contains(k), "index.ptx has no entry " + k);
        }
        assertEquals(ptx, new HashSet<>(names), "kernels in index.ptx that no launcher requests, or duplicates");
        assertEquals(names.size(), new HashSet<>(names).size());
    }

    /** Offsets of every position by the naive rule: sum of coordinate * stride, dim skipped for operand a. */
    private static long[][] naive(int[] shape, int dim, int[][] strides) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        long[][] out = new long[n][strides.length + 1];
        for (int i = 0; i < n; i++) {
            int rem = i;
            for (int d = shape.length - 1; d >= 0; d--) {
                int c = rem % shape[d];
                rem /= shape[d];
                for (int o = 0; o < strides.length; o++) {
                    if (!(o == 0 && d == dim)) {
                        out[i][o] += (long) c * strides[o][d];
                    }
                }
                if (d == dim) {
                    out[i][strides.length] = c;
                }
            }
        }
        return out;
    }

    private static long[][] viaPlan(CudaIndex.Plan p) {
        int[] shape = p.shape();
        int[][] st = {p.sa(), p.sb(), p.si()};
        return naive(shape, p.dim(), st);
    }

    @Test
    void coalesce_keepsEveryOffsetAndTheIndexedCoordinate() {
        Random r = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 1 + r.nextInt(6);
            int[] shape = new int[rank];
            for (int d = 0; d < rank; d++) {
                shape[d] = 1 + r.nextInt(r.nextInt(4) == 0 ? 1 : 4);
            }
            int dim = r.nextInt(rank);
            int[][] st = new int[3][];
            for (int o = 0; o < 3; o++) {
                st[o] = randomStrides(r, shape);
            }
            CudaIndex.Plan p = CudaIndex.coalesce(shape, dim, st[0], st[1], st[2]);
            long[][] want = naive(shape, dim, st);
            long[][] got = viaPlan(p);
            assertEquals(want.length, got.length, "numel");
            assertEquals(shape[dim], p.shape()[p.dim()], "the indexed dim keeps its size");
            for (int i = 0; i < want.length; i++) {
                assertArrayEquals(want[i], got[i], "position " + i + " of shape " + java.util.Arrays.toString(shape)
                        + " dim " + dim);
            }
        }
    }

    /** Row-major strides of a random permutation of the dims, sometimes a broadcast (0) or a gap. */
    private static int[] randomStrides(Random r, int[] shape) {
        int rank = shape.length;
        List<Integer> order = new ArrayList<>();
        for (int d = 0; d < rank; d++) {
            order.add(d);
        }
        if (r.nextBoolean()) {
            java.util.Collections.shuffle(order, r);
        }
        int[] st = new int[rank];
        int s = 1 + (r.nextInt(3) == 0 ? 1 : 0);
        for (int k = rank - 1; k >= 0; k--) {
            int d = order.get(k);
            st[d] = r.nextInt(8) == 0 ? 0 : s;
            s *= shape[d];
        }
        return st;
    }

    @Test
    void coalesce_mergesContiguousDimsAroundDim() {
        int[] shape = {2, 3, 4, 5};
        int[] c = {60, 20, 5, 1};
        CudaIndex.Plan p = CudaIndex.coalesce(shape, 1, c, c, c);
        assertArrayEquals(new int[] {2, 3, 20}, p.shape());
        assertEquals(1, p.dim());
        assertArrayEquals(new int[] {60, 20, 1}, p.sa());
        // a transposed operand keeps dims 2 and 3 apart
        CudaIndex.Plan q = CudaIndex.coalesce(shape, 0, c, new int[] {60, 20, 1, 4}, c);
        assertArrayEquals(new int[] {2, 3, 4, 5}, q.shape());
        // size-1 dims other than dim go; dim stays even at size 1
        CudaIndex.Plan s = CudaIndex.coalesce(new int[] {1, 1, 6}, 1, new int[] {6, 6, 1}, new int[] {6, 6, 1},
                new int[] {6, 6, 1});
        assertArrayEquals(new int[] {1, 6}, s.shape());
        assertEquals(0, s.dim());
        // a 0-d iteration (gather of a scalar) has no dims
        CudaIndex.Plan z = CudaIndex.coalesce(new int[0], -1, new int[0], new int[0], new int[0]);
        assertEquals(0, z.shape().length);
        assertEquals(-1, z.dim());
    }

    @Test
    void pack_layoutMatchesTheCudaStruct() {
        CudaIndex.Plan p = new CudaIndex.Plan(new int[] {3, 4}, 1, new int[] {40, 1}, new int[] {4, 1},
                new int[] {0, 2});
        int[] l = CudaIndex.pack("gather", p, 10, 7, 3);
        assertEquals(5 + 4 * 8, l.length);
        assertArrayEquals(new int[] {2, 1, 10, 7, 3}, java.util.Arrays.copyOf(l, 5));
        assertArrayEquals(new int[] {3, 4, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(l, 5, 13));
        assertArrayEquals(new int[] {40, 1, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(l, 13, 21));
        assertArrayEquals(new int[] {4, 1, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(l, 21, 29));
        assertArrayEquals(new int[] {0, 2, 0, 0, 0, 0, 0, 0}, java.util.Arrays.copyOfRange(l, 29, 37));
        int[] nine = new int[9];
        java.util.Arrays.fill(nine, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaIndex.pack("gather", new CudaIndex.Plan(nine, 0, nine, nine, nine), 2, 1, 0));
        assertTrue(e.getMessage().startsWith("gather: arrays with more than 8 dims"), e.getMessage());
    }

    @Test
    void stridedTable_isRankShapesStrides() {
        int[] t = CudaIndex.stridedTable(new int[] {2, 3}, new int[] {1, 2});
        assertEquals(17, t.length);
        assertEquals(2, t[0]);
        assertEquals(2, t[1]);
        assertEquals(3, t[2]);
        assertEquals(1, t[9]);
        assertEquals(2, t[10]);
    }

    @Test
    void rowUnit_isTheWidestDividingLengthAndBothAddresses() {
        assertEquals(16, CudaIndex.rowUnit(256, 512, 1024));
        assertEquals(4, CudaIndex.rowUnit(12, 512, 1024)); // 3 floats a row
        assertEquals(8, CudaIndex.rowUnit(256, 512 + 8, 1024)); // x at an odd float64 offset
        assertEquals(4, CudaIndex.rowUnit(256, 512, 1024 + 4));
        assertEquals(1, CudaIndex.rowUnit(3, 512, 1024)); // 3 bools a row
        assertEquals(2, CudaIndex.rowUnit(6, 512, 1026));
    }

    @Test
    void nonzeroGrid_coversEveryPositionOnceInWholeTiles() {
        for (int n : new int[] {1, 255, 256, 257, 1000, 262_144, 262_145, 1 << 20, 12_345_677, Integer.MAX_VALUE}) {
            int[] g = CudaIndex.nonzeroGrid(n);
            int blocks = g[0];
            long chunk = g[1];
            assertEquals(0, chunk % CudaIndex.THREADS, "chunk of " + n);
            assertTrue(blocks >= 1 && blocks <= CudaIndex.NONZERO_MAX_BLOCKS, "blocks of " + n);
            assertTrue(blocks * chunk >= n, "covers " + n);
            assertTrue((blocks - 1) * chunk < n, "no empty block for " + n);
        }
    }

    @Test
    void blocks_areCapped() {
        assertEquals(1, CudaIndex.blocks(0));
        assertEquals(1, CudaIndex.blocks(256));
        assertEquals(2, CudaIndex.blocks(257));
        assertEquals(CudaIndex.MAX_BLOCKS, CudaIndex.blocks(Integer.MAX_VALUE));
    }

    @Test
    void checkSlice_rejectsBadArgumentsWithTheOpName() {
        NDArray x = NDArray.zeros(4, 5);
        NDArray idx = NDArray.of(new long[] {1, 2, 3}, 3);
        assertEquals(3, CudaIndex.checkSlice("indexSelect", x, 1, idx, NDArray.zeros(4, 3), "out"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaIndex.checkSlice("indexSelect", x, 1, idx.to(DType.FLOAT32), NDArray.zeros(4, 3), "out"));
        assertEquals("indexSelect: index must be int64, got float32", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CudaIndex.checkSlice("indexAdd", x, 1, idx, NDArray.zeros(4, 4), "source"));
        assertTrue(e.getMessage().startsWith("indexAdd: source shape [4, 4] must be [4, 3]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CudaIndex.checkSlice("indexSelect", x, 2, idx, NDArray.zeros(4, 3), "out"));
        assertTrue(e.getMessage().startsWith("indexSelect: dim 2 is out of range"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CudaIndex.checkSlice("indexSelect", x, 1, idx, NDArray.zeros(DType.FLOAT64, 4, 3), "out"));
        assertEquals("indexSelect: out dtype float64 differs from float32", e.getMessage());
    }

    @Test
    void checkPoint_rejectsBadArgumentsWithTheOpName() {
        NDArray x = NDArray.zeros(4, 5);
        NDArray idx = NDArray.zeros(DType.INT64, 4, 2);
        CudaIndex.checkPoint("gather", x, 1, idx, NDArray.zeros(4, 2), "out");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaIndex.checkPoint("scatter", x, 1, NDArray.zeros(DType.INT64, 4), NDArray.zeros(4, 5),
                        "source"));
        assertTrue(e.getMessage().startsWith("scatter: index and source must have the rank of the input"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> CudaIndex.checkPoint("scatterAdd", x, 1, NDArray.zeros(DType.INT64, 5, 2), NDArray.zeros(5, 5),
                        "source"));
        assertTrue(e.getMessage().startsWith("scatterAdd: index shape [5, 2] exceeds input shape [4, 5]"),
                e.getMessage());
    }

    @Test
    void launchers_onHostArraysFailClearlyBeforeAnyKernel() {
        NDArray x = NDArray.zeros(4, 5);
        NDArray idx = NDArray.of(new long[] {1}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CudaIndex.indexSelect(x, 0, idx, NDArray.zeros(1, 5)));
        assertTrue(e.getMessage().startsWith("expected an array on a CUDA device"), e.getMessage());
        // an empty result needs no device at all
        CudaIndex.indexSelect(x, 0, NDArray.zeros(DType.INT64, 0), NDArray.zeros(0, 5));
    }

    /** The kernel-found error reads like the CPU's range check for the same call (its prefix). */
    @Test
    void errorMessage_startsWithTheCpuMessage() {
        NDArray x = NDArray.rand(new Generator(1), 3, 5);
        NDArray bad = NDArray.of(new long[] {7}, 1);
        String cpu = assertThrows(IllegalArgumentException.class, () -> x.indexSelect(1, bad)).getMessage();
        assertTrue(CudaIndex.errorMessage(0, 7, 5, CudaIndex.OP_INDEX_SELECT | 1 << 8).startsWith(cpu), cpu);
        String cpuAdd = assertThrows(IllegalArgumentException.class,
                () -> x.indexAdd(0, NDArray.of(new long[] {-1}, 1), NDArray.zeros(1, 5))).getMessage();
        assertTrue(CudaIndex.errorMessage(0, -1, 3, CudaIndex.OP_INDEX_ADD).startsWith(cpuAdd), cpuAdd);
        NDArray gi = NDArray.of(new long[] {0, 9}, 1, 2);
        String cpuGather = assertThrows(IllegalArgumentException.class, () -> x.gather(1, gi)).getMessage();
        assertTrue(CudaIndex.errorMessage(0, 9, 5, CudaIndex.OP_GATHER | 1 << 8).startsWith(cpuGather), cpuGather);
        String cpuScatter = assertThrows(IllegalArgumentException.class,
                () -> x.scatter(1, gi, NDArray.zeros(1, 2))).getMessage();
        assertTrue(CudaIndex.errorMessage(0, 9, 5, CudaIndex.OP_SCATTER | 1 << 8).startsWith(cpuScatter), cpuScatter);
        String cpuScatterAdd = assertThrows(IllegalArgumentException.class,
                () -> x.scatterAdd(0, NDArray.of(new long[] {3, 0}, 1, 2), NDArray.zeros(1, 2))).getMessage();
        assertTrue(CudaIndex.errorMessage(0, 3, 3, CudaIndex.OP_SCATTER_ADD).startsWith(cpuScatterAdd),
                cpuScatterAdd);
    }

    @Test
    void checkErrors_withoutAnyIndexKernelIsFree() {
        CudaIndex.checkErrors(0); // no kernel ran: no device access, no exception
    }
}
