package io.ember.tensor;

import java.util.Arrays;

/** Shape and stride arithmetic shared by views and broadcasting. */
final class Views {
    private Views() {
    }

    /**
     * Strides that let {@code newShape} view the same elements as (shape, strides), or null when
     * impossible without a copy (the algorithm of PyTorch's computeStride: match chunks of dims whose
     * elements are contiguous with each other).
     */
    static int[] viewStrides(int[] shape, int[] strides, int[] newShape) {
        int[] ns = new int[newShape.length];
        int numel = Shape.numel(shape);
        if (numel == 0 || shape.length == 0) {
            return NDArray.contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        long chunkBase = strides.length > 0 ? strides[strides.length - 1] : 1;
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    ns[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        if (viewD != -1) {
            return null;
        }
        return ns;
    }

    static int[] remove(int[] a, int i) {
        int[] r = new int[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    static int[] insert(int[] a, int i, int v) {
        int[] r = new int[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = v;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }

    /** NumPy broadcasting of two shapes, or an error naming the op and both shapes. */
    static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1;
            int db = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            if (da == db || db == 1) {
                r[i] = da;
            } else if (da == 1) {
                r[i] = db;
            } else {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast (dim " + i + ": " + da + " vs " + db + ")");
            }
        }
        return r;
    }

    /** Checks that {@code from} broadcasts to exactly {@code to} (for in-place ops and copies). */
    static int[] broadcastTarget(String op, int[] from, int[] to) {
        int[] r;
        try {
            r = broadcast(op, from, to);
        } catch (IllegalArgumentException e) {
            r = null;
        }
        if (r == null || !Arrays.equals(r, to)) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(from)
                    + " cannot be broadcast to the destination shape " + Arrays.toString(to));
        }
        return to;
    }

    static int clampIndex(int i, int n) {
        if (i < 0) {
            i += n;
        }
        return Math.max(0, Math.min(i, n));
    }

    /** Rejects writes through views in which several elements share one memory location. */
    static void checkWritable(String op, NDArray x) {
        for (int i = 0; i < x.shape.length; i++) {
            if (x.strides[i] == 0 && x.shape[i] > 1) {
                throw new IllegalArgumentException(op + ": cannot write into an expanded view (shape "
                        + Arrays.toString(x.shape) + ", strides " + Arrays.toString(x.strides)
                        + "): several elements share one memory location; call clone() first");
            }
        }
    }

    static void checkSameDevice(String op, NDArray a, NDArray b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(op + ": arrays are on different devices (" + a.device() + " and "
                    + b.device() + ")");
        }
    }
}
