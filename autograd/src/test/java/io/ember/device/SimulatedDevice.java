package io.ember.device;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import io.ember.tensor.Storage;
import io.ember.tensor.spi.Backend;
import io.ember.tensor.spi.Backends;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stand-in CUDA device for the autograd tests, registered through {@code META-INF/services} of this module's test
 * classpath only (the real CUDA backend is not on it). Its storage is NOT host storage — so every shortcut that
 * reaches into a {@code HostStorage} array is bypassed, exactly as on a GPU — but its kernels are the CPU backend's,
 * run on host views of the same elements. It counts live storages and fails any kernel that touches a released one,
 * so tests can check, without a GPU, that training code keeps everything on the device, never mixes devices, and
 * that {@link io.ember.tensor.MemoryScope} releases temporaries and nothing still in use.
 */
public final class SimulatedDevice implements Backend {
    static final AtomicLong LIVE = new AtomicLong();
    static final AtomicLong CREATED = new AtomicLong();
    static final AtomicLong TRANSFERS = new AtomicLong();

    /** Device storage: a host array behind a non-host type. */
    static final class SimStorage extends Storage {
        final HostStorage inner;
        private boolean released;

        SimStorage(HostStorage inner, Device device) {
            super(inner.dtype(), device, inner.size());
            this.inner = inner;
            LIVE.incrementAndGet();
            CREATED.incrementAndGet();
        }

        HostStorage inner() {
            if (released) {
                throw new IllegalStateException("simulated device: a " + dtype() + " array of " + size()
                        + " elements was used after its memory was released");
            }
            return inner;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                LIVE.decrementAndGet();
            }
        }

        @Override
        public boolean isReleased() {
            return released;
        }
    }

    /** Device storages alive now (created and not released). */
    public static long live() {
        return LIVE.get();
    }

    public static long created() {
        return CREATED.get();
    }

    /** Host<->device copies so far. */
    public static long transfers() {
        return TRANSFERS.get();
    }

    private static final Backend CPU = Backends.cpu();
    /** -Dsim.trace=true prints where each transfer comes from. */
    static final boolean TRACE = Boolean.getBoolean("sim.trace") || System.getenv("SIM_TRACE") != null;

    /** The host view of a simulated-device array (same shape, strides and offset), or null for null. */
    private static NDArray h(NDArray a) {
        if (a == null) {
            return null;
        }
        if (!(a.storage() instanceof SimStorage s)) {
            throw new IllegalStateException("simulated device: kernel got an array on " + a.device());
        }
        return NDArray.strided(s.inner(), a.shape().toArray(), a.strides(), a.offset());
    }

    @Override
    public Device.Type deviceType() {
        return Device.Type.CUDA;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int deviceCount() {
        return 2;
    }

    @Override
    public String deviceName(int index) {
        return "simulated CUDA device " + index;
    }

    @Override
    public Storage allocate(Device device, DType dtype, int numel) {
        return new SimStorage(HostStorage.allocate(dtype, numel), device);
    }

    @Override
    public Storage fromHost(HostStorage host, Device device) {
        TRANSFERS.incrementAndGet();
        if (TRACE) {
            new Throwable("fromHost " + host.dtype() + "[" + host.size() + "]").printStackTrace(System.out);
        }
        HostStorage copy = HostStorage.allocate(host.dtype(), host.size());
        System.arraycopy(host.array(), 0, copy.array(), 0, host.size());
        return new SimStorage(copy, device);
    }

    @Override
    public HostStorage toHost(Storage storage) {
        TRANSFERS.incrementAndGet();
        if (TRACE) {
            new Throwable("toHost " + storage.dtype() + "[" + storage.size() + "]").printStackTrace(System.out);
        }
        HostStorage in = ((SimStorage) storage).inner();
        HostStorage copy = HostStorage.allocate(in.dtype(), in.size());
        System.arraycopy(in.array(), 0, copy.array(), 0, in.size());
        return copy;
    }

    @Override
    public void copy(NDArray src, NDArray dst) {
        CPU.copy(h(src), h(dst));
    }

    @Override
    public void fill(NDArray dst, double value) {
        CPU.fill(h(dst), value);
    }

    @Override
    public void unary(UnaryOp op, NDArray x, NDArray out, double a, double b) {
        CPU.unary(op, h(x), h(out), a, b);
    }

    @Override
    public void binary(BinaryOp op, NDArray x, NDArray y, NDArray out) {
        CPU.binary(op, h(x), h(y), h(out));
    }

    @Override
    public void where(NDArray cond, NDArray x, NDArray y, NDArray out) {
        CPU.where(h(cond), h(x), h(y), h(out));
    }

    @Override
    public void reluBackward(NDArray gradOut, NDArray output, NDArray out) {
        CPU.reluBackward(h(gradOut), h(output), h(out));
    }

    @Override
    public void reduce(ReduceOp op, NDArray x, int[] dims, NDArray out, NDArray indices, double p) {
        CPU.reduce(op, h(x), dims, h(out), h(indices), p);
    }

    @Override
    public void matmul(NDArray a, NDArray b, NDArray out) {
        CPU.matmul(h(a), h(b), h(out));
    }

    @Override
    public void softmax(NDArray x, int dim, boolean log, NDArray out) {
        CPU.softmax(h(x), dim, log, h(out));
    }

    @Override
    public void indexSelect(NDArray x, int dim, NDArray index, NDArray out) {
        CPU.indexSelect(h(x), dim, h(index), h(out));
    }

    @Override
    public void indexAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        CPU.indexAdd(h(dst), dim, h(index), h(src));
    }

    @Override
    public void gather(NDArray x, int dim, NDArray index, NDArray out) {
        CPU.gather(h(x), dim, h(index), h(out));
    }

    @Override
    public void scatter(NDArray dst, int dim, NDArray index, NDArray src, boolean accumulate) {
        CPU.scatter(h(dst), dim, h(index), h(src), accumulate);
    }

    @Override
    public NDArray nonzero(NDArray x) {
        NDArray r = CPU.nonzero(h(x));
        return r.to(x.device());
    }

    @Override
    public void conv2d(NDArray input, NDArray weight, NDArray bias, int[] params, NDArray out) {
        CPU.conv2d(h(input), h(weight), h(bias), params, h(out));
    }

    @Override
    public void conv2dBackwardInput(NDArray gradOut, NDArray weight, int[] params, NDArray gradInput) {
        CPU.conv2dBackwardInput(h(gradOut), h(weight), params, h(gradInput));
    }

    @Override
    public void conv2dBackwardWeight(NDArray gradOut, NDArray input, int[] params, NDArray gradWeight) {
        CPU.conv2dBackwardWeight(h(gradOut), h(input), params, h(gradWeight));
    }

    @Override
    public void maxPool2d(NDArray input, int[] params, NDArray out, NDArray indices) {
        CPU.maxPool2d(h(input), params, h(out), h(indices));
    }

    @Override
    public void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradInput) {
        CPU.maxPool2dBackward(h(gradOut), h(indices), h(gradInput));
    }

    @Override
    public void avgPool2d(NDArray input, int[] params, NDArray out) {
        CPU.avgPool2d(h(input), params, h(out));
    }

    @Override
    public void avgPool2dBackward(NDArray gradOut, int[] params, NDArray gradInput) {
        CPU.avgPool2dBackward(h(gradOut), params, h(gradInput));
    }
}
