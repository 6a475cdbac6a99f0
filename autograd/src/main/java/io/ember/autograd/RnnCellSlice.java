package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code x.select(0, index)} for the recurrent functions (one layer's initial state); backward scatters. */
final class RnnCellSlice extends Node {
    private final int index;

    private RnnCellSlice(int index) {
        this.index = index;
    }

    @Override
    public String name() {
        return "SelectBackward";
    }

    static Tensor apply(Tensor x, int index) {
        NDArray out = x.data().select(0, index);
        if (!Graph.needed(x)) {
            return Graph.plain("select", out);
        }
        return Graph.record(new RnnCellSlice(index), out, x);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray gx = NDArray.zeros(g[0].dtype(), g[0].device(), inputShapes[0]);
        gx.select(0, index).copyFrom(g[0]);
        return new NDArray[] {gx};
    }
}
