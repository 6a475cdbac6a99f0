package io.ember.tensor;

import io.ember.tensor.spi.ReduceOp;

/** Reductions and softmax: dims, keepdim, dtypes. Kernels are the backend's. (STUB: to be written.) */
final class Reductions {
    private Reductions() {
    }

    /** dims null or empty = all dims. */
    static NDArray reduce(ReduceOp op, NDArray x, int[] dims, boolean keepdim, double p) {
        throw new UnsupportedOperationException("reduce " + op + ": not implemented yet");
    }

    static ValuesIndices withIndices(ReduceOp op, NDArray x, int dim, boolean keepdim) {
        throw new UnsupportedOperationException("withIndices: not implemented yet");
    }

    static NDArray softmax(NDArray x, int dim, boolean log) {
        throw new UnsupportedOperationException("softmax: not implemented yet");
    }
}
