package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** CudaPool's host-side logic, which needs no GPU: kernel names, the geometry struct, grid size. */
class CudaPoolHostTest {
    @Test
    void kernelNames_areInThePoolPtx() {
        assertEquals(8, CudaPool.kernelNames().size());
        for (String n : CudaPool.kernelNames()) {
            KernelSources.assertEntry("pool", n);
        }
    }

    @Test
    void geo_matchesThePoolGeoStruct() throws IOException {
        assertEquals(KernelSources.structFields("pool.cu", "PoolGeo"), CudaPool.GEO_FIELDS);
        int[] in = {2, 3, 28, 27};
        // max: {kH, kW, sH, sW, pH, pW, dH, dW}
        assertArrayEquals(new long[] {6, 28, 27, 14, 13, 3, 2, 2, 2, 1, 0, 2, 1, 0, 0},
                CudaPool.geo(true, in, 14, 13, new int[] {3, 2, 2, 2, 1, 0, 2, 1}));
        // average: {kH, kW, sH, sW, pH, pW, countIncludePad, divisorOverride}; no dilation
        assertArrayEquals(new long[] {6, 28, 27, 14, 13, 3, 2, 2, 2, 1, 0, 1, 1, 1, 5},
                CudaPool.geo(false, in, 14, 13, new int[] {3, 2, 2, 2, 1, 0, 1, 5}));
        assertEquals(CudaPool.GEO_FIELDS.size(), CudaPool.geo(true, in, 1, 1, new int[8]).length);
    }

    @Test
    void blocks_coverTheElementsUpToTheCap() {
        assertEquals(1, CudaPool.blocks(1));
        assertEquals(2, CudaPool.blocks(CudaPool.THREADS + 1));
        assertEquals(CudaPool.MAX_BLOCKS, CudaPool.blocks(1L << 40));
    }
}
