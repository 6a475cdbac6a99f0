package io.ember.tensor;

import io.ember.tensor.spi.ReduceOp;

import java.util.Arrays;

/**
 * Reductions and softmax: dims, keepdim, dtypes and errors; kernels are the backend's.
 *
 * <p>Dtypes (PyTorch's rules where it has them): SUM and PROD of INT64 or BOOL give INT64; MEAN,
 * VAR, LOGSUMEXP and NORM of INT64 or BOOL inputs convert them to FLOAT32 first (PyTorch rejects
 * some of these; Ember converts, like {@code exp}); MAX and MIN keep the dtype, BOOL included
 * (max = any, min = all); ANY and ALL give BOOL. Softmax of integers computes in FLOAT32.
 *
 * <p>Reducing over all dims (dims null or empty) gives a 0-d array. A 0-d input may name dim 0 or
 * -1, like PyTorch. MAX and MIN (values or indices) of an empty slice are errors; the other ops give
 * their identity: sum 0, prod 1, any false, all true, norm 0, logSumExp -inf, mean and var NaN.
 */
final class Reductions {
    private Reductions() {
    }

    static String opName(ReduceOp op) {
        return switch (op) {
            case SUM -> "sum";
            case PROD -> "prod";
            case MEAN -> "mean";
            case MAX -> "max";
            case MIN -> "min";
            case VAR -> "var";
            case LOGSUMEXP -> "logSumExp";
            case NORM -> "norm";
            case ANY -> "any";
            case ALL -> "all";
        };
    }

    /** The dtype the kernel computes in (and returns, but for ANY/ALL) for an input dtype. */
    static DType computeType(ReduceOp op, DType in) {
        return switch (op) {
            case SUM, PROD -> in == DType.BOOL ? DType.INT64 : in;
            case MEAN, VAR, LOGSUMEXP, NORM -> in.toFloating();
            case MAX, MIN, ANY, ALL -> in;
        };
    }

    /** Normalized dims, sorted and distinct; null or empty means all dims. */
    static int[] normalizeDims(String op, int[] dims, int rank) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[rank];
            for (int i = 0; i < rank; i++) {
                all[i] = i;
            }
            return all;
        }
        boolean[] seen = new boolean[Math.max(rank, 1)];
        for (int d : dims) {
            int n = Shape.normalizeDim(op, d, rank);
            if (seen[n]) {
                throw new IllegalArgumentException(op + ": dim " + n + " appears multiple times in "
                        + Arrays.toString(dims));
            }
            seen[n] = true;
        }
        int[] out = new int[dims.length];
        int k = 0;
        for (int i = 0; i < seen.length; i++) {
            if (seen[i]) {
                out[k++] = i;
            }
        }
        return out;
    }

    /** dims null or empty = all dims. */
    static NDArray reduce(ReduceOp op, NDArray x, int[] dims, boolean keepdim, double p) {
        String name = opName(op);
        int[] ds = normalizeDims(name, dims, x.dim());
        NDArray in = x;
        if (x.dim() == 0) {
            in = as1d(x);
            ds = new int[] {0};
        }
        if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
            checkNotEmpty(name, in.shape, ds);
        }
        DType ct = computeType(op, x.dtype);
        in = in.to(ct);
        NDArray out = NDArray.allocate(op == ReduceOp.ANY || op == ReduceOp.ALL ? DType.BOOL : ct, x.device(),
                keptShape(in.shape, ds));
        x.backend().reduce(op, in, ds, out, null, p);
        if (x.dim() == 0) {
            return to0d(out);
        }
        return keepdim ? out : squeeze(out, ds);
    }

    /** MAX or MIN over one dim: values (x's dtype) and the INT64 index of the first extreme (NaN wins). */
    static ValuesIndices withIndices(ReduceOp op, NDArray x, int dim, boolean keepdim) {
        if (op != ReduceOp.MAX && op != ReduceOp.MIN) {
            throw new IllegalArgumentException("withIndices: only max and min have indices, got " + opName(op));
        }
        String name = opName(op);
        int d = Shape.normalizeDim(name, dim, x.dim());
        NDArray in = x.dim() == 0 ? as1d(x) : x;
        int[] ds = {d};
        checkNotEmpty(name, in.shape, ds);
        int[] kept = keptShape(in.shape, ds);
        NDArray values = NDArray.allocate(x.dtype, x.device(), kept);
        NDArray indices = NDArray.allocate(DType.INT64, x.device(), kept.clone());
        x.backend().reduce(op, in, ds, values, indices, 0);
        if (x.dim() == 0) {
            return new ValuesIndices(to0d(values), to0d(indices));
        }
        return keepdim ? new ValuesIndices(values, indices)
                : new ValuesIndices(squeeze(values, ds), squeeze(indices, ds));
    }

    /**
     * Softmax (or log-softmax) along dim, stable for large inputs (the max is subtracted). A slice
     * whose max is infinite (all -inf, or containing +inf) or NaN gives NaN, like PyTorch.
     */
    static NDArray softmax(NDArray x, int dim, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        int d = Shape.normalizeDim(name, dim, x.dim());
        DType ct = x.dtype.toFloating();
        NDArray in = x.to(ct);
        NDArray out = NDArray.allocate(ct, x.device(), x.shape.clone());
        if (out.numel() == 0) {
            return out;
        }
        if (x.dim() == 0) {
            x.backend().softmax(as1d(in), 0, log, as1d(out));
            return out;
        }
        x.backend().softmax(in, d, log, out);
        return out;
    }

    private static void checkNotEmpty(String op, int[] shape, int[] dims) {
        for (int d : dims) {
            if (shape[d] == 0) {
                throw new IllegalArgumentException(op + ": cannot reduce over an empty dim " + d + " of shape "
                        + Arrays.toString(shape));
            }
        }
    }

    private static int[] keptShape(int[] shape, int[] dims) {
        int[] kept = shape.clone();
        for (int d : dims) {
            kept[d] = 1;
        }
        return kept;
    }

    /** A one-element 1-d view of a 0-d array. */
    private static NDArray as1d(NDArray x) {
        return new NDArray(x.storage, new int[] {1}, new int[] {1}, x.offset);
    }

    private static NDArray to0d(NDArray x) {
        return new NDArray(x.storage, new int[0], new int[0], x.offset);
    }

    /** Drops the (size-1) reduced dims of a contiguous keepdim result. */
    private static NDArray squeeze(NDArray out, int[] dims) {
        int[] shape = new int[out.shape.length - dims.length];
        int k = 0;
        int j = 0;
        for (int i = 0; i < out.shape.length; i++) {
            if (j < dims.length && dims[j] == i) {
                j++;
            } else {
                shape[k++] = out.shape[i];
            }
        }
        return new NDArray(out.storage, shape, NDArray.contiguousStrides(shape), out.offset);
    }
}
