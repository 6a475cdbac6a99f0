package io.ember.gpu;

import io.ember.gpu.cuda.Driver;

/**
 * CUDA facts and switches, like {@code torch.cuda} and {@code torch.backends.cuda}: availability (with the reason
 * when there is none), the TF32 switch for matmul, and the caching allocator's figures. Devices themselves are
 * {@link io.ember.tensor.Device#cuda(int)}; everything else goes through arrays and tensors.
 */
public final class Cuda {
    private static volatile boolean allowTf32;

    private Cuda() {
    }

    /** Whether a GPU can be used: the driver loads, supports CUDA 13, and reports at least one device. */
    public static boolean isAvailable() {
        return Driver.probe().available();
    }

    public static int deviceCount() {
        return Driver.probe().deviceCount();
    }

    /** Why no GPU can be used, in one line, or null when one can. */
    public static String unavailableReason() {
        return Driver.probe().problem();
    }

    /**
     * Lets float32 matmul (and the convolutions built on it) use TF32 tensor cores on Ampere and newer GPUs, like
     * {@code torch.backends.cuda.matmul.allow_tf32 = True}: about 10 bits of mantissa in the products, much faster.
     * Off by default, as in PyTorch.
     */
    public static void setAllowTf32(boolean allow) {
        allowTf32 = allow;
    }

    public static boolean allowTf32() {
        return allowTf32;
    }

    /** The caching allocator's figures for a device. */
    public record MemoryStats(long allocatedBytes, long reservedBytes, long peakAllocatedBytes, long liveBlocks,
            long driverAllocations) {
    }

    /** Like {@code torch.cuda.memory_allocated} / {@code memory_reserved} / {@code max_memory_allocated}. */
    public static MemoryStats memoryStats(int device) {
        CudaAllocator a = CudaBackend.INSTANCE.allocator(device);
        synchronized (a) {
            return new MemoryStats(a.allocatedBytes(), a.reservedBytes(), a.peakAllocatedBytes(), a.liveBlocks(),
                    a.driverAllocations());
        }
    }

    /** Bytes held by live arrays on the device. */
    public static long allocatedBytes(int device) {
        return CudaBackend.INSTANCE.allocator(device).allocatedBytes();
    }

    /** Bytes the allocator holds from the driver (live arrays plus its cache). */
    public static long reservedBytes(int device) {
        return CudaBackend.INSTANCE.allocator(device).reservedBytes();
    }

    public static void resetPeakMemoryStats(int device) {
        CudaBackend.INSTANCE.allocator(device).resetPeak();
    }

    /** Returns the allocator's cached blocks to the driver, like {@code torch.cuda.empty_cache()}. */
    public static void emptyCache(int device) {
        CudaBackend.INSTANCE.allocator(device).emptyCache();
    }

    /** Waits for every queued kernel on the device. */
    public static void synchronize(int device) {
        Driver.synchronize(device);
    }
}
