package io.ember.tensor;

/** PyTorch-style printing. (STUB: to be written.) */
final class Printer {
    private Printer() {
    }

    static String format(NDArray x) {
        return "tensor(shape=" + java.util.Arrays.toString(x.shape) + ", dtype=" + x.dtype + ")";
    }
}
