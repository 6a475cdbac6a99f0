package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.ReduceOp;

/** Reduction and softmax kernels. (STUB: to be written.) */
final class CpuReduce {
    private CpuReduce() {
    }

    static void reduce(ReduceOp op, NDArray x, int[] dims, NDArray out, NDArray indices, double p) {
        throw new UnsupportedOperationException("reduce: not implemented yet");
    }

    static void softmax(NDArray x, int dim, boolean log, NDArray out) {
        throw new UnsupportedOperationException("softmax: not implemented yet");
    }
}
