package io.ember.gpu;

import io.ember.gpu.cuda.Driver;
import io.ember.gpu.cuda.Pinned;
import io.ember.tensor.DType;
import io.ember.tensor.HostStorage;
import java.nio.ByteBuffer;

/**
 * Host <-> device copies through a page-locked staging buffer per device (grown on demand up to {@link #CHUNK}; larger
 * transfers go in chunks): Java arrays cannot be handed to the DMA engine directly, and a pinned buffer is what makes
 * the transfer run at full PCIe/NVLink speed. BOOL travels as one byte per element.
 */
final class CudaTransfer {
    static final int CHUNK = 32 << 20;

    private final int device;
    private Pinned staging;

    CudaTransfer(int device) {
        this.device = device;
    }

    private Pinned staging(long bytes) {
        long want = Math.min(Math.max(bytes, 1 << 16), CHUNK);
        if (staging == null || staging.bytes() < want) {
            if (staging != null) {
                staging.close();
            }
            staging = Driver.pinned(device, want);
        }
        return staging;
    }

    /** Copies a whole host storage to the front of a device storage of the same dtype and size. */
    synchronized void toDevice(HostStorage h, CudaStorage d) {
        DType t = h.dtype();
        int item = t.itemSize();
        int n = h.size();
        long base = d.base();
        d.address(); // fails if released
        int per = (int) (staging((long) n * item).bytes() / item);
        for (int start = 0; start < n; start += per) {
            int len = Math.min(per, n - start);
            Pinned p = staging;
            ByteBuffer b = p.buffer();
            switch (t) {
                case FLOAT32 -> b.asFloatBuffer().put(h.floats(), start, len);
                case FLOAT64 -> b.asDoubleBuffer().put(h.doubles(), start, len);
                case INT64 -> b.asLongBuffer().put(h.longs(), start, len);
                case BOOL -> {
                    boolean[] v = h.bools();
                    for (int i = 0; i < len; i++) {
                        b.put(i, v[start + i] ? (byte) 1 : (byte) 0);
                    }
                }
            }
            Driver.copyToDevice(device, base, (long) start * item, p, (long) len * item);
        }
    }

    /** Copies a whole device storage into a new host storage. */
    synchronized HostStorage toHost(CudaStorage d) {
        DType t = d.dtype();
        int item = t.itemSize();
        int n = d.size();
        HostStorage h = HostStorage.allocate(t, n);
        long base = d.base();
        d.address();
        int per = (int) (staging((long) n * item).bytes() / item);
        for (int start = 0; start < n; start += per) {
            int len = Math.min(per, n - start);
            Pinned p = staging;
            Driver.copyToHost(device, p, base, (long) start * item, (long) len * item);
            ByteBuffer b = p.buffer();
            switch (t) {
                case FLOAT32 -> b.asFloatBuffer().get(h.floats(), start, len);
                case FLOAT64 -> b.asDoubleBuffer().get(h.doubles(), start, len);
                case INT64 -> b.asLongBuffer().get(h.longs(), start, len);
                case BOOL -> {
                    boolean[] v = h.bools();
                    for (int i = 0; i < len; i++) {
                        v[start + i] = b.get(i) != 0;
                    }
                }
            }
        }
        return h;
    }
}
