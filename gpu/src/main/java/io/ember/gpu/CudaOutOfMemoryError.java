package io.ember.gpu;

/**
 * A device allocation that failed even after the allocator returned its cached blocks to the driver, like PyTorch's
 * {@code torch.cuda.OutOfMemoryError}. The message gives the request and the allocator's figures.
 */
public final class CudaOutOfMemoryError extends RuntimeException {
    private final long requested;
    private final long allocated;
    private final long reserved;

    CudaOutOfMemoryError(String message, long requested, long allocated, long reserved) {
        super(message);
        this.requested = requested;
        this.allocated = allocated;
        this.reserved = reserved;
    }

    public long requestedBytes() {
        return requested;
    }

    public long allocatedBytes() {
        return allocated;
    }

    public long reservedBytes() {
        return reserved;
    }
}
