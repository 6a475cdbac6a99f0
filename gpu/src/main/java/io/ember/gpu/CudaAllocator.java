package io.ember.gpu;

import io.ember.gpu.cuda.Driver;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching device allocator, one per device, like PyTorch's: freed blocks are kept in free lists by rounded size and
 * handed out again, so a training loop that allocates the same sizes every step calls {@code cuMemAlloc} only in its
 * first steps and its memory stays flat. Requests round up to 512 bytes (to 2 MiB above 1 MiB). When the driver
 * is out of memory the cached blocks are returned to it and the request retried once; then a
 * {@link CudaOutOfMemoryError} gives the request, the allocated and reserved figures and the device's free memory.
 *
 * <p>Freeing into the cache needs no CUDA call, so the garbage collector's cleaner thread may do it; reuse is safe
 * because every kernel and copy runs on the device's one (default) stream, in issue order.
 */
final class CudaAllocator {
    static final long SMALL = 1 << 20;
    static final long SMALL_ROUND = 512;
    static final long LARGE_ROUND = 2 << 20;

    private final int device;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long allocated;
    private long reserved;
    private long peak;
    private long blocks;
    private long mallocs;

    CudaAllocator(int device) {
        this.device = device;
    }

    static long round(long bytes) {
        long b = Math.max(bytes, 1);
        long r = b <= SMALL ? SMALL_ROUND : LARGE_ROUND;
        return (b + r - 1) / r * r;
    }

    /** A block of at least {@code bytes} bytes; returns its address (its size is {@link #round}). */
    synchronized long allocate(long bytes) {
        long size = round(bytes);
        ArrayDeque<Long> q = free.get(size);
        long a;
        if (q != null && !q.isEmpty()) {
            a = q.pop();
        } else {
            a = Driver.malloc(device, size);
            if (a == 0) {
                emptyCache();
                a = Driver.malloc(device, size);
            }
            if (a == 0) {
                // arrays nobody closed may be unreachable already: let the collector's cleaner return them
                a = retryAfterGc(size);
            }
            if (a == 0) {
                long[] info = Driver.memoryInfo(device);
                throw new CudaOutOfMemoryError(String.format(java.util.Locale.ROOT,
                        "CUDA out of memory on cuda:%d: tried to allocate %s; %s allocated by Ember, %s reserved by"
                                + " Ember's allocator, %s free of %s on the device",
                        device, mib(size), mib(allocated), mib(reserved), mib(info[0]), mib(info[1])),
                        size, allocated, reserved);
            }
            reserved += size;
            mallocs++;
        }
        allocated += size;
        blocks++;
        peak = Math.max(peak, allocated);
        return a;
    }

    /**
     * Runs the garbage collector so that cleaners return unreachable arrays' blocks, then retries. Called with this
     * allocator's lock held; the cleaner thread's {@link #release} waits for it, so the lock is let go while waiting.
     */
    private long retryAfterGc(long size) {
        for (int attempt = 0; attempt < 3; attempt++) {
            long before = allocated;
            System.gc();
            try {
                wait(50L << attempt); // releases the monitor: cleaners may call release() meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return 0;
            }
            if (allocated < before) {
                emptyCache();
                long a = Driver.malloc(device, size);
                if (a != 0) {
                    return a;
                }
            }
        }
        return 0;
    }

    /** Returns a block to the cache. */
    synchronized void release(long address, long size) {
        allocated -= size;
        blocks--;
        free.computeIfAbsent(size, k -> new ArrayDeque<>()).push(address);
    }

    /** Gives every cached (free) block back to the driver. */
    synchronized void emptyCache() {
        for (Map.Entry<Long, ArrayDeque<Long>> e : free.entrySet()) {
            for (long a : e.getValue()) {
                Driver.free(device, a);
                reserved -= e.getKey();
            }
        }
        free.clear();
    }

    synchronized long allocatedBytes() {
        return allocated;
    }

    synchronized long reservedBytes() {
        return reserved;
    }

    synchronized long peakAllocatedBytes() {
        return peak;
    }

    synchronized void resetPeak() {
        peak = allocated;
    }

    synchronized long liveBlocks() {
        return blocks;
    }

    synchronized long driverAllocations() {
        return mallocs;
    }

    static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.2f MiB", bytes / 1048576.0);
    }
}
