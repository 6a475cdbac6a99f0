package io.ember.tensor;

/**
 * A flat block of elements of one dtype on one device. Arrays ({@link NDArray}) are strided views
 * over a storage. Host storage is a Java array on the heap ({@link HostStorage}); device storage
 * is owned by its backend and must be closed.
 */
public abstract class Storage implements AutoCloseable {
    private final DType dtype;
    private final Device device;
    private final int size;
    /** The scope that releases this storage, or null (host storages, kept ones). Owned by {@link MemoryScope}. */
    MemoryScope scope;

    protected Storage(DType dtype, Device device, int size) {
        this.dtype = dtype;
        this.device = device;
        this.size = size;
        if (!device.isCpu()) {
            MemoryScope.track(this);
        }
    }

    public final DType dtype() {
        return dtype;
    }

    public final Device device() {
        return device;
    }

    /** Number of elements. */
    public final int size() {
        return size;
    }

    /**
     * Releases device memory (to the device allocator's cache); idempotent. Host storage needs no closing; this is a
     * no-op there.
     */
    @Override
    public void close() {
    }

    /** Whether {@link #close()} has released this storage (always false for host storage). */
    public boolean isReleased() {
        return false;
    }
}
