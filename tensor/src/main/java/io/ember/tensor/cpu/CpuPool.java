package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;

/** Pooling kernels. (STUB: to be written.) */
final class CpuPool {
    private CpuPool() {
    }

    static void maxPool2d(NDArray input, int[] params, NDArray out, NDArray indices) {
        throw new UnsupportedOperationException("maxPool2d: not implemented yet");
    }

    static void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradInput) {
        throw new UnsupportedOperationException("maxPool2dBackward: not implemented yet");
    }

    static void avgPool2d(NDArray input, int[] params, NDArray out) {
        throw new UnsupportedOperationException("avgPool2d: not implemented yet");
    }

    static void avgPool2dBackward(NDArray gradOut, int[] params, NDArray gradInput) {
        throw new UnsupportedOperationException("avgPool2dBackward: not implemented yet");
    }
}
