package io.ember.gpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

/** Max and average pooling, forward and backward (module {@code pool}). (Launchers: argument checks, dispatch by dtype and layout, grid sizes.) */
final class CudaPool {
    private CudaPool() {
    }

    static void maxPool2d(NDArray input, int[] params, NDArray out, NDArray indices) {
        throw todo("max_pool2d");
    }

    static void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradInput) {
        throw todo("max_pool2d backward");
    }

    static void avgPool2d(NDArray input, int[] params, NDArray out) {
        throw todo("avg_pool2d");
    }

    static void avgPool2dBackward(NDArray gradOut, int[] params, NDArray gradInput) {
        throw todo("avg_pool2d backward");
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException(op + " is not implemented on CUDA yet");
    }
}
