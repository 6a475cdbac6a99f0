package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.gpu.cuda.Driver;
import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.HostStorage;
import io.ember.tensor.MemoryScope;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The backend's own machinery on a real GPU: driver, kernels, transfers, allocator, scopes. Skipped without one. */
class CudaCoreTest {
    @Test
    void probe_findsTheDevice_withNameMemoryAndCapability() {
        Device d = GpuTests.gpu();
        assertTrue(Device.cudaAvailable());
        assertEquals(d, Device.best());
        assertTrue(Device.cudaCount() >= 1);
        assertFalse(d.name().isBlank());
        assertTrue(d.totalMemory() > (1L << 30), "total " + d.totalMemory());
        assertTrue(d.freeMemory() > 0 && d.freeMemory() <= d.totalMemory());
        assertTrue(Driver.computeCapability(0) >= 75, "compute capability " + Driver.computeCapability(0));
        assertTrue(Driver.probe().driverVersion() >= Driver.MIN_DRIVER_VERSION);
    }

    @Test
    void probeKernel_runsAndWritesEveryElement() {
        Device d = GpuTests.gpu();
        int n = 100_003;
        CudaStorage s = CudaBackend.allocateUninitialized(d, DType.FLOAT32, n);
        Kernels.get(0, "probe", "iota_f32").launch1d(Kernels.blocks(n, 256), 256, 0, s.address(), n, 0.5f);
        float[] got = CudaBackend.INSTANCE.toHost(s).floats();
        for (int i = 0; i < n; i += 997) {
            assertEquals(i * 0.5f, got[i], 0f, "element " + i);
        }
        assertEquals((n - 1) * 0.5f, got[n - 1], 0f);
        s.close();
    }

    @Test
    void transfers_roundTripEveryDtype_includingChunkedOnes() {
        Device d = GpuTests.gpu();
        int big = CudaTransfer.CHUNK / 4 * 2 + 12_345; // more than two staging chunks of floats
        float[] f = new float[big];
        for (int i = 0; i < big; i++) {
            f[i] = (float) Math.sin(i);
        }
        assertArrayEquals(f, NDArray.of(f, big).to(d).to(Device.CPU).toFloatArray());
        double[] g = {1e-300, -2.5, Double.NaN, Double.POSITIVE_INFINITY};
        assertArrayEquals(g, NDArray.of(g, 4).to(d).to(Device.CPU).toDoubleArray());
        long[] l = {Long.MIN_VALUE, -1, 0, Long.MAX_VALUE};
        assertArrayEquals(l, NDArray.of(l, 4).to(d).to(Device.CPU).toLongArray());
        boolean[] b = {true, false, false, true, true};
        NDArray bd = NDArray.fromStorage(HostStorage.wrap(b), 5).to(d);
        assertArrayEquals(new double[] {1, 0, 0, 1, 1}, bd.to(Device.CPU).toDoubleArray());
        assertEquals(0, NDArray.zeros(DType.FLOAT32, 0).to(d).to(Device.CPU).numel());
    }

    @Test
    void allocator_reusesBlocks_andScopesReleaseTemporaries() {
        Device d = GpuTests.gpu();
        NDArray w = NDArray.ones(DType.FLOAT32, 1000).to(d);
        long mallocsAfterWarmUp = 0;
        long allocatedBefore = 0;
        for (int step = 0; step < 5; step++) {
            if (step == 1) {
                mallocsAfterWarmUp = Cuda.memoryStats(0).driverAllocations();
                allocatedBefore = Cuda.allocatedBytes(0);
            }
            try (MemoryScope s = MemoryScope.open()) {
                NDArray t = NDArray.zeros(DType.FLOAT32, d, 1000, 100);
                t.addInPlace(w.reshape(1000, 1));
                assertTrue(s.size() >= 1);
            }
        }
        assertEquals(mallocsAfterWarmUp, Cuda.memoryStats(0).driverAllocations(), "cached blocks were not reused");
        assertEquals(allocatedBefore, Cuda.allocatedBytes(0), "a scope left device memory allocated");
        assertTrue(Cuda.reservedBytes(0) >= Cuda.allocatedBytes(0));
    }

    @Test
    void useAfterRelease_failsClearly() {
        Device d = GpuTests.gpu();
        NDArray lost;
        try (MemoryScope s = MemoryScope.open()) {
            lost = NDArray.ones(DType.FLOAT32, 10).to(d).mul(2);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lost.add(1));
        assertTrue(e.getMessage().contains("released"), e.getMessage());
    }

    @Test
    void outOfMemory_saysWhatWasAskedAndWhatIsHeld() {
        Device d = GpuTests.gpu();
        List<NDArray> held = new ArrayList<>();
        try {
            CudaOutOfMemoryError e = assertThrows(CudaOutOfMemoryError.class, () -> {
                for (int i = 0; i < 64; i++) { // 16 GiB each: an H100 runs out within a few
                    held.add(NDArray.zeros(DType.FLOAT64, d, Integer.MAX_VALUE - 8));
                }
            });
            assertTrue(e.getMessage().startsWith("CUDA out of memory on cuda:0: tried to allocate "), e.getMessage());
            assertTrue(e.getMessage().contains("allocated by Ember") && e.getMessage().contains("reserved"),
                    e.getMessage());
            assertTrue(e.allocatedBytes() > 0);
        } finally {
            held.forEach(a -> a.storage().close());
            Cuda.emptyCache(0);
        }
        assertEquals(3.0, NDArray.ones(DType.FLOAT32, 3).to(d).sum().item(), 0.0, "the device works after an OOM");
    }

    @Test
    void mixingDevices_failsNamingBoth() {
        Device d = GpuTests.gpu();
        NDArray a = NDArray.ones(DType.FLOAT32, 3).to(d);
        NDArray b = NDArray.ones(DType.FLOAT32, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("cpu"), e.getMessage());
    }
}
