package io.ember.tensor;

/** Indexing, gather/scatter and masks. (STUB: to be written.) */
final class Indexing {
    private Indexing() {
    }

    static NDArray index(NDArray x, Index[] indices) {
        throw new UnsupportedOperationException("index: not implemented yet");
    }

    static NDArray indexPut(NDArray x, Index[] indices, NDArray values) {
        throw new UnsupportedOperationException("indexPut: not implemented yet");
    }

    static NDArray indexSelect(NDArray x, int dim, NDArray index) {
        throw new UnsupportedOperationException("indexSelect: not implemented yet");
    }

    static NDArray gather(NDArray x, int dim, NDArray index) {
        throw new UnsupportedOperationException("gather: not implemented yet");
    }

    static NDArray scatter(NDArray x, int dim, NDArray index, NDArray src, boolean accumulate) {
        throw new UnsupportedOperationException("scatter: not implemented yet");
    }

    static NDArray scatterValue(NDArray x, int dim, NDArray index, double value) {
        throw new UnsupportedOperationException("scatter: not implemented yet");
    }

    static NDArray scatterInPlace(NDArray x, int dim, NDArray index, NDArray src, boolean accumulate) {
        throw new UnsupportedOperationException("scatter: not implemented yet");
    }

    static NDArray indexAdd(NDArray x, int dim, NDArray index, NDArray src) {
        throw new UnsupportedOperationException("indexAdd: not implemented yet");
    }

    static NDArray maskedSelect(NDArray x, NDArray mask) {
        throw new UnsupportedOperationException("maskedSelect: not implemented yet");
    }

    static NDArray maskedFill(NDArray x, NDArray mask, double value) {
        throw new UnsupportedOperationException("maskedFill: not implemented yet");
    }

    static NDArray nonzero(NDArray x) {
        throw new UnsupportedOperationException("nonzero: not implemented yet");
    }
}
