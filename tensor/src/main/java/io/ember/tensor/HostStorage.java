package io.ember.tensor;

/**
 * Storage on the Java heap: a {@code float[]}, {@code double[]}, {@code long[]} or {@code boolean[]}
 * according to the dtype. Kernels reach the array through the typed accessors.
 */
public final class HostStorage extends Storage {
    private final Object array;

    private HostStorage(DType dtype, Object array, int size) {
        super(dtype, Device.CPU, size);
        this.array = array;
    }

    /** A zero-filled storage. */
    public static HostStorage allocate(DType dtype, int size) {
        return switch (dtype) {
            case FLOAT32 -> new HostStorage(dtype, new float[size], size);
            case FLOAT64 -> new HostStorage(dtype, new double[size], size);
            case INT64 -> new HostStorage(dtype, new long[size], size);
            case BOOL -> new HostStorage(dtype, new boolean[size], size);
        };
    }

    /** Wraps (does not copy) a Java array. */
    public static HostStorage wrap(float[] a) {
        return new HostStorage(DType.FLOAT32, a, a.length);
    }

    public static HostStorage wrap(double[] a) {
        return new HostStorage(DType.FLOAT64, a, a.length);
    }

    public static HostStorage wrap(long[] a) {
        return new HostStorage(DType.INT64, a, a.length);
    }

    public static HostStorage wrap(boolean[] a) {
        return new HostStorage(DType.BOOL, a, a.length);
    }

    public float[] floats() {
        return (float[]) array;
    }

    public double[] doubles() {
        return (double[]) array;
    }

    public long[] longs() {
        return (long[]) array;
    }

    public boolean[] bools() {
        return (boolean[]) array;
    }

    /** The backing array, whatever its type. */
    public Object array() {
        return array;
    }
}
