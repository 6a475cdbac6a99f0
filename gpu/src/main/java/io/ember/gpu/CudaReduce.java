package io.ember.gpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

/** Reductions and softmax (module {@code reduce}). (Launchers: argument checks, dispatch by dtype and layout, grid sizes.) */
final class CudaReduce {
    private CudaReduce() {
    }

    static void reduce(ReduceOp op, NDArray x, int[] dims, NDArray out, NDArray indices, double p) {
        throw todo(op.name());
    }

    static void softmax(NDArray x, int dim, boolean log, NDArray out) {
        throw todo("softmax");
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException(op + " is not implemented on CUDA yet");
    }
}
