package io.ember.gpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

/** Fused optimizer updates (module {@code optim}): SGD (momentum, Nesterov) and Adam/AdamW (amsgrad), one kernel per parameter. (Launchers: argument checks, dispatch by dtype and layout, grid sizes.) */
final class CudaOptim {
    private CudaOptim() {
    }

    static void sgd(NDArray param, NDArray grad, NDArray buf, boolean first, float lr, float wd, float momentum,
            float dampening, boolean nesterov, boolean maximize) {
        throw todo("sgd update");
    }

    static void adam(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq, float decay,
            float l2, float beta1, float beta2, float stepSize, float bc2Sqrt, float eps, boolean maximize) {
        throw todo("adam update");
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException(op + " is not implemented on CUDA yet");
    }
}
