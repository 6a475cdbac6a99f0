package io.ember.tensor;

import java.util.Arrays;

/** {@code equals} ({@code torch.equal}) and {@code allClose} ({@code torch.allclose}). */
final class Compare {
    private Compare() {
    }

    /** Same shape, same dtype and equal elements (NaN != NaN); any layouts and devices. */
    static boolean equal(NDArray a, NDArray b) {
        if (a == b) {
            return !hasNan(a);
        }
        if (a.dtype != b.dtype || !Arrays.equals(a.shape, b.shape)) {
            return false;
        }
        NDArray x = host(a);
        NDArray y = host(b);
        boolean[] same = {true};
        Indices.forEach(x.shape, idx -> {
            if (same[0]) {
                if (x.dtype == DType.INT64) {
                    same[0] = x.getLong(idx) == y.getLong(idx);
                } else {
                    same[0] = x.getDouble(idx) == y.getDouble(idx);
                }
            }
        });
        return same[0];
    }

    private static boolean hasNan(NDArray a) {
        if (!a.dtype.isFloating()) {
            return false;
        }
        NDArray x = host(a);
        boolean[] nan = {false};
        Indices.forEach(x.shape, idx -> nan[0] |= Double.isNaN(x.getDouble(idx)));
        return nan[0];
    }

    /**
     * {@code |a - b| <= atol + rtol * |b|} for every element after broadcasting a and b; infinities
     * are close when equal; NaNs are close to each other only when {@code equalNan}.
     */
    static boolean allClose(NDArray a, NDArray b, double rtol, double atol, boolean equalNan) {
        int[] shape = Views.broadcast("allClose", a.shape, b.shape);
        NDArray x = host(a).expand(shape);
        NDArray y = host(b).expand(shape);
        boolean[] close = {true};
        Indices.forEach(shape, idx -> {
            if (close[0]) {
                close[0] = close(x.getDouble(idx), y.getDouble(idx), rtol, atol, equalNan);
            }
        });
        return close[0];
    }

    private static boolean close(double u, double v, double rtol, double atol, boolean equalNan) {
        if (Double.isNaN(u) || Double.isNaN(v)) {
            return equalNan && Double.isNaN(u) && Double.isNaN(v);
        }
        if (u == v) {
            return true; // also equal infinities
        }
        if (Double.isInfinite(u) || Double.isInfinite(v)) {
            return false;
        }
        return Math.abs(u - v) <= atol + rtol * Math.abs(v);
    }

    private static NDArray host(NDArray a) {
        return a.device().isCpu() ? a : a.to(Device.CPU);
    }

    /** Row-major iteration over the indices of a shape. */
    private static final class Indices {
        static void forEach(int[] shape, java.util.function.Consumer<int[]> f) {
            int n = Shape.numel(shape);
            int[] idx = new int[shape.length];
            for (int c = 0; c < n; c++) {
                f.accept(idx);
                for (int d = shape.length - 1; d >= 0; d--) {
                    if (++idx[d] < shape[d]) {
                        break;
                    }
                    idx[d] = 0;
                }
            }
        }
    }
}
