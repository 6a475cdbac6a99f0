package io.ember.gpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

/** Indexing kernels (module {@code index}): index_select, index_add, gather, scatter, nonzero. (Launchers: argument checks, dispatch by dtype and layout, grid sizes.) */
final class CudaIndex {
    private CudaIndex() {
    }

    static void indexSelect(NDArray x, int dim, NDArray index, NDArray out) {
        throw todo("index_select");
    }

    static void indexAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        throw todo("index_add");
    }

    static void gather(NDArray x, int dim, NDArray index, NDArray out) {
        throw todo("gather");
    }

    static void scatter(NDArray dst, int dim, NDArray index, NDArray src, boolean accumulate) {
        throw todo("scatter");
    }

    static NDArray nonzero(NDArray x) {
        throw todo("nonzero");
    }

    private static UnsupportedOperationException todo(String op) {
        return new UnsupportedOperationException(op + " is not implemented on CUDA yet");
    }
}
