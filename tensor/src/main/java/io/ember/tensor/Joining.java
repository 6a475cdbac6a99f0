package io.ember.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * cat, stack, split, chunk, unbind. cat and stack copy each input into a narrow view of the output
 * (no kernel of their own); split, chunk and unbind return views.
 *
 * <p>cat promotes all inputs to one dtype ({@link DType#promote}) and, like PyTorch's legacy rule,
 * skips 1-D arrays of shape {@code [0]} when the other inputs have another rank (so an empty
 * accumulator can start a loop of cats).
 */
final class Joining {
    private Joining() {
    }

    private static void checkList(String op, List<NDArray> xs) {
        if (xs == null || xs.isEmpty()) {
            throw new IllegalArgumentException(op + ": expected a non-empty list of arrays");
        }
        for (int i = 0; i < xs.size(); i++) {
            if (xs.get(i) == null) {
                throw new IllegalArgumentException(op + ": array " + i + " is null");
            }
        }
    }

    private static boolean legacyEmpty(NDArray x) {
        return x.dim() == 1 && x.shape[0] == 0;
    }

    static NDArray cat(List<NDArray> xs, int dim) {
        String op = "cat";
        checkList(op, xs);
        int ref = -1;
        for (int i = 0; i < xs.size(); i++) {
            if (!legacyEmpty(xs.get(i))) {
                ref = i;
                break;
            }
        }
        if (ref < 0) {
            ref = 0;
        }
        NDArray first = xs.get(ref);
        for (int i = 0; i < xs.size(); i++) {
            if (xs.get(i).dim() == 0) {
                throw new IllegalArgumentException(op + ": zero-dimensional array " + i + " cannot be concatenated");
            }
        }
        int rank = first.dim();
        int d = Shape.normalizeDim(op, dim, rank);
        DType dtype = first.dtype;
        int total = 0;
        List<NDArray> parts = new ArrayList<>();
        for (int i = 0; i < xs.size(); i++) {
            NDArray x = xs.get(i);
            if (legacyEmpty(x) && rank != 1) {
                continue;
            }
            Views.checkSameDevice(op, first, x);
            boolean ok = x.dim() == rank;
            for (int k = 0; ok && k < rank; k++) {
                ok = k == d || x.shape[k] == first.shape[k];
            }
            if (!ok) {
                throw new IllegalArgumentException(op + ": array " + i + " has shape " + Arrays.toString(x.shape)
                        + " but array " + ref + " has shape " + Arrays.toString(first.shape)
                        + " (sizes must match except in dim " + d + ")");
            }
            dtype = DType.promote(dtype, x.dtype);
            total += x.shape[d];
            parts.add(x);
        }
        int[] shape = first.shape.clone();
        shape[d] = total;
        NDArray out = NDArray.allocate(dtype, first.device(), shape);
        int at = 0;
        for (NDArray x : parts) {
            int n = x.shape[d];
            if (n > 0) {
                out.narrow(d, at, n).copyFrom(x);
            }
            at += n;
        }
        return out;
    }

    static NDArray stack(List<NDArray> xs, int dim) {
        String op = "stack";
        checkList(op, xs);
        NDArray first = xs.get(0);
        int d = Shape.normalizeDim(op, dim, first.dim() + 1);
        DType dtype = first.dtype;
        for (int i = 1; i < xs.size(); i++) {
            NDArray x = xs.get(i);
            Views.checkSameDevice(op, first, x);
            if (!Arrays.equals(x.shape, first.shape)) {
                throw new IllegalArgumentException(op + ": expects arrays of equal shape, but array " + i + " has shape "
                        + Arrays.toString(x.shape) + " and array 0 has shape " + Arrays.toString(first.shape));
            }
            dtype = DType.promote(dtype, x.dtype);
        }
        NDArray out = NDArray.allocate(dtype, first.device(), Views.insert(first.shape, d, xs.size()));
        for (int i = 0; i < xs.size(); i++) {
            out.select(d, i).copyFrom(xs.get(i));
        }
        return out;
    }

    private static int checkedDim(String op, NDArray x, int dim) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException(op + ": cannot split a 0-d array");
        }
        return Shape.normalizeDim(op, dim, x.dim());
    }

    static List<NDArray> split(NDArray x, int splitSize, int dim) {
        String op = "split";
        int d = checkedDim(op, x, dim);
        int n = x.shape[d];
        if (splitSize <= 0 && !(splitSize == 0 && n == 0)) {
            throw new IllegalArgumentException(op + ": split size must be positive, got " + splitSize);
        }
        List<NDArray> out = new ArrayList<>();
        if (n == 0) {
            out.add(x.narrow(d, 0, 0));
            return out;
        }
        for (int s = 0; s < n; s += splitSize) {
            out.add(x.narrow(d, s, Math.min(splitSize, n - s)));
        }
        return out;
    }

    static List<NDArray> split(NDArray x, int[] sizes, int dim) {
        String op = "split";
        int d = checkedDim(op, x, dim);
        long sum = 0;
        for (int s : sizes) {
            if (s < 0) {
                throw new IllegalArgumentException(op + ": sizes must be non-negative, got " + Arrays.toString(sizes));
            }
            sum += s;
        }
        if (sum != x.shape[d]) {
            throw new IllegalArgumentException(op + ": sizes " + Arrays.toString(sizes) + " sum to " + sum + " but dim "
                    + d + " has size " + x.shape[d] + " (shape " + Arrays.toString(x.shape) + ")");
        }
        List<NDArray> out = new ArrayList<>();
        int at = 0;
        for (int s : sizes) {
            out.add(x.narrow(d, at, s));
            at += s;
        }
        return out;
    }

    /** torch.chunk: pieces of {@code ceil(size / chunks)}, so there may be fewer than chunks. */
    static List<NDArray> chunk(NDArray x, int chunks, int dim) {
        String op = "chunk";
        int d = checkedDim(op, x, dim);
        if (chunks <= 0) {
            throw new IllegalArgumentException(op + ": number of chunks must be positive, got " + chunks);
        }
        int n = x.shape[d];
        int size = (n + chunks - 1) / chunks;
        if (n == 0) {
            List<NDArray> out = new ArrayList<>();
            out.add(x.narrow(d, 0, 0));
            return out;
        }
        return split(x, size, d);
    }

    static List<NDArray> unbind(NDArray x, int dim) {
        String op = "unbind";
        if (x.dim() == 0) {
            throw new IllegalArgumentException(op + ": cannot unbind a 0-d array");
        }
        int d = Shape.normalizeDim(op, dim, x.dim());
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < x.shape[d]; i++) {
            out.add(x.select(d, i));
        }
        return out;
    }
}
