package io.ember.tensor;

import java.util.List;

/** cat, stack, split, chunk, unbind. (STUB: to be written.) */
final class Joining {
    private Joining() {
    }

    static NDArray cat(List<NDArray> xs, int dim) {
        throw new UnsupportedOperationException("cat: not implemented yet");
    }

    static NDArray stack(List<NDArray> xs, int dim) {
        throw new UnsupportedOperationException("stack: not implemented yet");
    }

    static List<NDArray> split(NDArray x, int splitSize, int dim) {
        throw new UnsupportedOperationException("split: not implemented yet");
    }

    static List<NDArray> split(NDArray x, int[] sizes, int dim) {
        throw new UnsupportedOperationException("split: not implemented yet");
    }

    static List<NDArray> chunk(NDArray x, int chunks, int dim) {
        throw new UnsupportedOperationException("chunk: not implemented yet");
    }

    static List<NDArray> unbind(NDArray x, int dim) {
        throw new UnsupportedOperationException("unbind: not implemented yet");
    }
}
