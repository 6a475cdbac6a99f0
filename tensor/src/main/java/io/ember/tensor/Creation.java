package io.ember.tensor;

import java.util.Arrays;

/** Factory functions; random ones draw from a {@link Generator} on the host. */
final class Creation {
    private Creation() {
    }

    static NDArray full(DType dtype, double value, int[] shape) {
        return full(dtype, value, shape, Device.CPU);
    }

    /** Made on the device itself (a fill kernel, no host copy); storage from the backend comes zero-filled. */
    static NDArray full(DType dtype, double value, int[] shape, Device device) {
        NDArray out = NDArray.allocate(dtype, device, shape.clone());
        if (value != 0) {
            out.backend().fill(out, value);
        }
        return out;
    }

    static NDArray of(HostStorage data, int[] shape) {
        int[] s = shape.length == 0 ? new int[] {data.size()} : shape.clone();
        Shape.check("of", s);
        if (Shape.numel(s) != data.size()) {
            throw new IllegalArgumentException("of: shape " + Arrays.toString(s) + " needs " + Shape.numel(s)
                    + " elements, but the data has " + data.size());
        }
        return new NDArray(data, s, NDArray.contiguousStrides(s), 0);
    }

    static NDArray of2d(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("of: row " + i + " has " + rows[i].length + " elements, expected "
                        + cols + " like row 0");
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return of(HostStorage.wrap(flat), new int[] {rows.length, cols});
    }

    static NDArray arange(long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be non-zero");
        }
        long n = Math.max(0, step > 0 ? (end - start + step - 1) / step : (start - end - step - 1) / -step);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("arange: " + n + " elements is too many");
        }
        long[] v = new long[(int) n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return of(HostStorage.wrap(v), new int[] {(int) n});
    }

    static NDArray arange(double start, double end, double step) {
        if (step == 0 || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        }
        double count = Math.ceil((end - start) / step);
        int n = (int) Math.max(0, count);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (start + i * step);
        }
        return of(HostStorage.wrap(v), new int[] {n});
    }

    static NDArray linspace(double start, double end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        }
        float[] v = new float[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        for (int i = 0; i < steps; i++) {
            // Fill from both ends, like PyTorch, so that the last value is exactly end.
            v[i] = (float) (steps == 1 ? start : i < steps / 2 ? start + i * step : end - (steps - 1 - i) * step);
        }
        return of(HostStorage.wrap(v), new int[] {steps});
    }

    static NDArray eye(int n, int m) {
        if (n < 0 || m < 0) {
            throw new IllegalArgumentException("eye: sizes must be non-negative, got " + n + " x " + m);
        }
        float[] v = new float[n * m];
        for (int i = 0; i < Math.min(n, m); i++) {
            v[i * m + i] = 1;
        }
        return of(HostStorage.wrap(v), new int[] {n, m});
    }

    static NDArray uniform(Generator g, double low, double high, int[] shape) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("uniform: low " + low + " must be <= high " + high);
        }
        Shape.check("uniform", shape);
        float[] v = new float[Shape.numel(shape)];
        double w = high - low;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (low + w * g.nextDouble());
            if (v[i] >= high && high > low) {
                v[i] = Math.nextDown((float) high);
            }
        }
        return of(HostStorage.wrap(v), shape);
    }

    static NDArray normal(Generator g, double mean, double std, int[] shape) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("normal: std must be >= 0, got " + std);
        }
        Shape.check("normal", shape);
        float[] v = new float[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (mean + std * g.nextGaussian());
        }
        return of(HostStorage.wrap(v), shape);
    }

    static NDArray randint(Generator g, long low, long high, int[] shape) {
        if (low >= high) {
            throw new IllegalArgumentException("randint: low " + low + " must be < high " + high);
        }
        Shape.check("randint", shape);
        long[] v = new long[Shape.numel(shape)];
        for (int i = 0; i < v.length; i++) {
            v[i] = low + g.nextLong(high - low);
        }
        return of(HostStorage.wrap(v), shape);
    }

    static NDArray randperm(int n, Generator g) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm: n must be >= 0, got " + n);
        }
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
            v[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) g.nextLong(i + 1);
            long t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return of(HostStorage.wrap(v), new int[] {n});
    }
}
