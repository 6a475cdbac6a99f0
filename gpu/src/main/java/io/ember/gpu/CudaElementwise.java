package io.ember.gpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

/** Elementwise kernels (module {@code elementwise}): copy with dtype conversion, fill, unary, binary, where, relu backward, on strided and broadcast (stride 0) views. (Launchers: argument checks, dispatch by dtype and layout, grid sizes.) */
final class CudaElementwise {
    private CudaElementwise() {
    }

    static void copy(NDArray src, NDArray dst) {
        throw todo("copy");
    }

    static void fill(NDArray dst, double value) {
        throw todo("fill");
    }

    static void unary(UnaryOp op, NDArray x, NDArray out, double a, double b) {
        throw todo(op.opName());
    }

    static void binary(BinaryOp op, NDArray x, NDArray y, NDArray out) {
        throw todo(op.opName());
    }

    static void where(NDArray cond, NDArray x, NDArray y, NDArray out) {
        throw todo("where");
    }

    static void reluBackward(NDArray gradOut, NDArray output, NDArray out) {
        throw todo("relu backward");
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException(op + " is not implemented on CUDA yet");
    }
}
