package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/**
 * Element access to a dense float32 or float64 host array together with its dtype's arithmetic, so that one loop
 * serves both dtypes of the GRU and plain RNN nodes. Values travel as doubles; {@link #round} rounds a double
 * result of one {@code + - *} on two values of the dtype to the dtype, which for float32 gives exactly the float
 * operation (double carries more than 2 * 24 + 2 bits), so the float path keeps float numerics. The activations
 * are the dtype's own: the fast float tanh/sigmoid of {@link RnnCellKernels}, exact {@code Math.tanh} in float64.
 */
final class RnnArray {
    /** Exactly one of the two is non-null. */
    private final float[] f;
    private final double[] d;

    private RnnArray(float[] f, double[] d) {
        this.f = f;
        this.d = d;
    }

    /** The host array of a dense NDArray (see {@link RnnCellKernels#dense}); null for null. */
    static RnnArray of(NDArray a) {
        if (a == null) {
            return null;
        }
        return a.dtype() == DType.FLOAT32 ? new RnnArray(RnnCellKernels.f(a), null)
                : new RnnArray(null, RnnCellKernels.d(a));
    }

    double get(int i) {
        return f != null ? f[i] : d[i];
    }

    void set(int i, double v) {
        if (f != null) {
            f[i] = (float) v;
        } else {
            d[i] = v;
        }
    }

    /** {@code this[i] += v}, in the dtype. */
    void add(int i, double v) {
        if (f != null) {
            f[i] += (float) v;
        } else {
            d[i] += v;
        }
    }

    /** Copies len elements from this array at from into dst (same dtype) at to. */
    void copy(int from, RnnArray dst, int to, int len) {
        System.arraycopy(f != null ? f : d, from, f != null ? dst.f : dst.d, to, len);
    }

    /** Rounds an operation's exact result to the dtype. */
    double round(double v) {
        return f != null ? (float) v : v;
    }

    double tanh(double v) {
        return f != null ? RnnCellKernels.tanh((float) v) : Math.tanh(v);
    }

    double sigmoid(double v) {
        return f != null ? RnnCellKernels.sigmoid((float) v) : RnnCellKernels.sigmoid(v);
    }
}
