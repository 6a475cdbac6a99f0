package io.ember.autograd;

import io.ember.tensor.NDArray;

/** Position {@code index} of a dim, removing it (a view): the gradient fills that slice of zeros. */
final class Select extends Node {
    private final int dim;
    private final int index;

    private Select(int dim, int index) {
        this.dim = dim;
        this.index = index;
    }

    static Tensor apply(Tensor a, int dim, int index) {
        NDArray out = a.data().select(dim, index);
        return Graph.needed(a) ? Graph.record(new Select(dim, index), out, a) : Graph.plain("select", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray r = NDArray.zeros(g[0].dtype(), g[0].device(), inputShapes[0]);
        r.select(dim, index).copyFrom(g[0]);
        return new NDArray[] {r};
    }
}
