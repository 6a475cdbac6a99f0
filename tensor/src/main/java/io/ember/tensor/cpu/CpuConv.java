package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;

/** Convolution kernels. (STUB: to be written.) */
final class CpuConv {
    private CpuConv() {
    }

    static void conv2d(NDArray input, NDArray weight, NDArray bias, int[] params, NDArray out) {
        throw new UnsupportedOperationException("conv2d: not implemented yet");
    }

    static void backwardInput(NDArray gradOut, NDArray weight, int[] params, NDArray gradInput) {
        throw new UnsupportedOperationException("conv2dBackwardInput: not implemented yet");
    }

    static void backwardWeight(NDArray gradOut, NDArray input, int[] params, NDArray gradWeight) {
        throw new UnsupportedOperationException("conv2dBackwardWeight: not implemented yet");
    }
}
