package io.ember.gpu;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.Storage;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Elements on a CUDA device: one block of the device's {@link CudaAllocator}. BOOL is stored as one byte per element,
 * the other dtypes in their natural size. Released by {@link #close()} (or a {@link io.ember.tensor.MemoryScope}),
 * else by the garbage collector's cleaner once unreachable; either way the block goes back to the allocator's cache.
 */
public final class CudaStorage extends Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private final long address;
    private final Release release;
    private final Cleaner.Cleanable cleanable;

    /** The cleaning action: holds no reference to the storage. */
    private static final class Release implements Runnable {
        final CudaAllocator allocator;
        final long address;
        final long size;
        final AtomicBoolean done = new AtomicBoolean();

        Release(CudaAllocator allocator, long address, long size) {
            this.allocator = allocator;
            this.address = address;
            this.size = size;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                allocator.release(address, size);
            }
        }
    }

    CudaStorage(DType dtype, Device device, int size, CudaAllocator allocator) {
        super(dtype, device, size);
        long bytes = (long) size * dtype.itemSize();
        this.address = allocator.allocate(bytes);
        this.release = new Release(allocator, address, CudaAllocator.round(bytes));
        this.cleanable = CLEANER.register(this, release);
    }

    /** The device address of element 0. Fails once released, so no kernel ever touches recycled memory. */
    public long address() {
        if (release == null || release.done.get()) {
            throw new IllegalStateException("a " + dtype() + " array of " + size() + " elements on " + device()
                    + " was used after its memory was released (closed, or its MemoryScope ended); keep it with"
                    + " MemoryScope.keep or copy it to the host before the scope closes");
        }
        return address;
    }

    /** The allocation's base address, even when released (for the driver's bookkeeping only). */
    long base() {
        return address;
    }

    public long bytes() {
        return (long) size() * dtype().itemSize();
    }

    @Override
    public void close() {
        if (cleanable != null) { // null only when the allocation itself failed
            cleanable.clean();
        }
    }

    @Override
    public boolean isReleased() {
        return release == null || release.done.get();
    }
}
