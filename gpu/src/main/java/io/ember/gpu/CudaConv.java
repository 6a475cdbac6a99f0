package io.ember.gpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

/** 2-D convolution forward and backward (module {@code conv}). (Launchers: argument checks, dispatch by dtype and layout, grid sizes.) */
final class CudaConv {
    private CudaConv() {
    }

    static void conv2d(NDArray input, NDArray weight, NDArray bias, int[] params, NDArray out) {
        throw todo("conv2d");
    }

    static void conv2dBackwardInput(NDArray gradOut, NDArray weight, int[] params, NDArray gradInput) {
        throw todo("conv2d backward (input)");
    }

    static void conv2dBackwardWeight(NDArray gradOut, NDArray input, int[] params, NDArray gradWeight) {
        throw todo("conv2d backward (weight)");
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException(op + " is not implemented on CUDA yet");
    }
}
