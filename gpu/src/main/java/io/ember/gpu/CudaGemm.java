package io.ember.gpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

/** Matrix products (module {@code gemm}): a tiled SGEMM of our own, and a TF32 tensor-core path when {@link Cuda#allowTf32()}. (Launchers: argument checks, dispatch by dtype and layout, grid sizes.) */
final class CudaGemm {
    private CudaGemm() {
    }

    static void matmul(NDArray a, NDArray b, NDArray out) {
        throw todo("matmul");
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException(op + " is not implemented on CUDA yet");
    }
}
