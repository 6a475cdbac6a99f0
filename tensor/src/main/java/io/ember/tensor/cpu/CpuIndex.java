package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;

/** Index kernels. (STUB: to be written.) */
final class CpuIndex {
    private CpuIndex() {
    }

    static void indexSelect(NDArray x, int dim, NDArray index, NDArray out) {
        throw new UnsupportedOperationException("indexSelect: not implemented yet");
    }

    static void indexAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        throw new UnsupportedOperationException("indexAdd: not implemented yet");
    }

    static void gather(NDArray x, int dim, NDArray index, NDArray out) {
        throw new UnsupportedOperationException("gather: not implemented yet");
    }

    static void scatter(NDArray dst, int dim, NDArray index, NDArray src, boolean accumulate) {
        throw new UnsupportedOperationException("scatter: not implemented yet");
    }

    static NDArray nonzero(NDArray x) {
        throw new UnsupportedOperationException("nonzero: not implemented yet");
    }
}
