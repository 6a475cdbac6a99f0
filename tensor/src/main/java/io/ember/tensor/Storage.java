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

    protected Storage(DType dtype, Device device, int size) {
        this.dtype = dtype;
        this.device = device;
        this.size = size;
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

    /** Releases device memory. Host storage needs no closing; this is a no-op there. */
    @Override
    public void close() {
    }
}
