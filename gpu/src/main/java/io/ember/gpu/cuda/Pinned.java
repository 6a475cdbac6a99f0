package io.ember.gpu.cuda;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jcuda.Pointer;

/** Page-locked host memory (from {@code cuMemAllocHost}), seen from Java as a direct ByteBuffer. Close to free. */
public final class Pinned implements AutoCloseable {
    private final Pointer pointer;
    private final ByteBuffer buffer;
    private final long bytes;
    private boolean closed;

    Pinned(Pointer pointer, ByteBuffer buffer, long bytes) {
        this.pointer = pointer;
        this.buffer = buffer.order(ByteOrder.nativeOrder());
        this.bytes = bytes;
    }

    Pointer pointer() {
        return pointer;
    }

    /** The memory as a native-order buffer (position 0, limit {@link #bytes()}). */
    public ByteBuffer buffer() {
        return buffer.clear();
    }

    public long bytes() {
        return bytes;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Driver.freePinned(pointer);
        }
    }
}
