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
abstract class RnnArray {
    /** The host array of a dense NDArray (see {@link RnnCellKernels#dense}); null for null. */
    static RnnArray of(NDArray a) {
        if (a == null) {
            return null;
        }
        return a.dtype() == DType.FLOAT32 ? new F(RnnCellKernels.f(a)) : new D(RnnCellKernels.d(a));
    }

    abstract double get(int i);

    abstract void set(int i, double v);

    /** {@code this[i] += v}, rounded to the dtype. */
    abstract void add(int i, double v);

    /** Copies len elements from this array at from into dst (same dtype) at to. */
    abstract void copy(int from, RnnArray dst, int to, int len);

    /** Rounds an operation's exact result to the dtype. */
    abstract double round(double v);

    abstract double tanh(double v);

    abstract double sigmoid(double v);

    private static final class F extends RnnArray {
        private final float[] a;

        F(float[] a) {
            this.a = a;
        }

        @Override
        double get(int i) {
            return a[i];
        }

        @Override
        void set(int i, double v) {
            a[i] = (float) v;
        }

        @Override
        void add(int i, double v) {
            a[i] += (float) v;
        }

        @Override
        void copy(int from, RnnArray dst, int to, int len) {
            System.arraycopy(a, from, ((F) dst).a, to, len);
        }

        @Override
        double round(double v) {
            return (float) v;
        }

        @Override
        double tanh(double v) {
            return RnnCellKernels.tanh((float) v);
        }

        @Override
        double sigmoid(double v) {
            return RnnCellKernels.sigmoid((float) v);
        }
    }

    private static final class D extends RnnArray {
        private final double[] a;

        D(double[] a) {
            this.a = a;
        }

        @Override
        double get(int i) {
            return a[i];
        }

        @Override
        void set(int i, double v) {
            a[i] = v;
        }

        @Override
        void add(int i, double v) {
            a[i] += v;
        }

        @Override
        void copy(int from, RnnArray dst, int to, int len) {
            System.arraycopy(a, from, ((D) dst).a, to, len);
        }

        @Override
        double round(double v) {
            return v;
        }

        @Override
        double tanh(double v) {
            return Math.tanh(v);
        }

        @Override
        double sigmoid(double v) {
            return RnnCellKernels.sigmoid(v);
        }
    }
}
