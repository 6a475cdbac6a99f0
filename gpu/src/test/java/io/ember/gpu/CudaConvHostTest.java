package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** CudaConv's host-side logic, which needs no GPU: kernel names, the geometry struct, chunking. */
class CudaConvHostTest {
    @Test
    void kernelNames_areInTheConvPtx() {
        assertEquals(6, CudaConv.kernelNames().size());
        for (String n : CudaConv.kernelNames()) {
            KernelSources.assertEntry("conv", n);
        }
    }

    @Test
    void geoPack_matchesTheConvGeoStruct() throws IOException {
        assertEquals(KernelSources.structFields("conv.cu", "ConvGeo"), CudaConv.GEO_FIELDS);
        // input [2, 6, 9, 8], weight [4, 3, 3, 2], out [2, 4, 5, 7], stride (2, 1), pad (1, 0), dilation (1, 1)
        CudaConv.Geo g = CudaConv.Geo.of(new int[] {2, 6, 9, 8}, new int[] {4, 3, 3, 2}, new int[] {2, 4, 5, 7},
                new int[] {2, 1, 1, 0, 1, 1, 2});
        assertEquals(3, g.cg());
        assertEquals(2, g.og());
        assertEquals(18, g.kk());
        assertEquals(35, g.l());
        assertFalse(g.identity());
        assertArrayEquals(new long[] {2, 6, 9, 8, 3, 2, 5, 7, 2, 1, 1, 0, 1, 1, 2, 100, 101, 102},
                g.pack(2, 100, 101, 102));
        assertEquals(CudaConv.GEO_FIELDS.size(), g.pack(1, 0, 0, 0).length);
    }

    @Test
    void identity_onlyForUnpaddedUnitStride1x1() {
        int[] in = {1, 4, 5, 5};
        int[] out = {1, 2, 5, 5};
        assertTrue(CudaConv.Geo.of(in, new int[] {2, 4, 1, 1}, out, new int[] {1, 1, 0, 0, 1, 1, 1}).identity());
        assertTrue(CudaConv.Geo.of(in, new int[] {2, 4, 1, 1}, out, new int[] {1, 1, 0, 0, 3, 3, 1}).identity());
        assertFalse(CudaConv.Geo.of(in, new int[] {2, 4, 1, 1}, out, new int[] {2, 1, 0, 0, 1, 1, 1}).identity());
        assertFalse(CudaConv.Geo.of(in, new int[] {2, 4, 1, 1}, out, new int[] {1, 1, 0, 1, 1, 1, 1}).identity());
        assertFalse(CudaConv.Geo.of(in, new int[] {2, 4, 3, 1}, out, new int[] {1, 1, 0, 0, 1, 1, 1}).identity());
    }

    @Test
    void chunk_fitsTheBudgetWithAtLeastOneImage() {
        assertEquals(64, CudaConv.chunk(288L * 196, 64)); // the PROTOCOL cnn's conv2: the whole batch at once
        assertEquals(1, CudaConv.chunk(CudaConv.COLS_BUDGET * 3, 64));
        assertEquals(4, CudaConv.chunk(CudaConv.COLS_BUDGET / 4, 64));
        assertEquals(3, CudaConv.chunk(1, 3));
    }
}
