package io.ember.tensor;

import java.util.Objects;

/** Where an array's storage lives: {@code cpu}, or a CUDA device by index ({@code cuda:0}). */
public final class Device {
    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, 0);

    private final Type type;
    private final int index;

    private Device(Type type, int index) {
        this.type = type;
        this.index = index;
    }

    public static Device cuda(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("Device.cuda: index must be >= 0, got " + index);
        }
        return new Device(Type.CUDA, index);
    }

    /** Parses {@code "cpu"}, {@code "cuda"} (device 0) or {@code "cuda:N"}. */
    public static Device parse(String spec) {
        Objects.requireNonNull(spec, "device");
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda") || s.equals("gpu")) {
            return cuda(0);
        }
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("Device.parse: expected \"cpu\", \"cuda\" or \"cuda:N\", got \"" + spec + "\"");
    }

    /**
     * The best device this process can use: {@code cuda:0} when the CUDA backend ({@code ember-gpu}) is on the
     * classpath and sees a GPU, else the CPU. The Java form of PyTorch's
     * {@code device = "cuda" if torch.cuda.is_available() else "cpu"}.
     */
    public static Device best() {
        return cudaAvailable() ? cuda(0) : CPU;
    }

    /** Whether a CUDA device can be used: {@code ember-gpu} on the classpath, a driver and at least one GPU. */
    public static boolean cudaAvailable() {
        return io.ember.tensor.spi.Backends.isAvailable(Type.CUDA);
    }

    /** How many CUDA devices this process can use (0 without {@code ember-gpu}, a driver or a GPU). */
    public static int cudaCount() {
        return io.ember.tensor.spi.Backends.count(Type.CUDA);
    }

    /**
     * Why CUDA is not available, in one line ("no CUDA driver: libcuda.so.1 not found", ...), or null when it is.
     */
    public static String cudaUnavailableReason() {
        return io.ember.tensor.spi.Backends.unavailableReason(Type.CUDA);
    }

    /** This device's name ("cpu", or the GPU's name such as "NVIDIA H100 80GB HBM3"). */
    public String name() {
        return io.ember.tensor.spi.Backends.of(this).deviceName(index);
    }

    /** Total memory in bytes (for the CPU: the Java heap's limit). */
    public long totalMemory() {
        return io.ember.tensor.spi.Backends.of(this).totalMemory(index);
    }

    /** Free memory in bytes as the device reports it (for the CPU: the Java heap's). */
    public long freeMemory() {
        return io.ember.tensor.spi.Backends.of(this).freeMemory(index);
    }

    /** Waits for every queued kernel on this device (a no-op on the CPU), like {@code torch.cuda.synchronize}. */
    public void synchronize() {
        io.ember.tensor.spi.Backends.of(this).synchronize(this);
    }

    public Type type() {
        return type;
    }

    public int index() {
        return index;
    }

    public boolean isCpu() {
        return type == Type.CPU;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Device d && d.type == type && d.index == index;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + index;
    }

    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
