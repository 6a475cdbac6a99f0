package io.ember.autograd;

import io.ember.tensor.NDArray;

/** Slices at INT64 positions along a dim: the gradient adds each slice back at its position. */
final class IndexSelect extends Node {
    private final int dim;

    private IndexSelect(int dim) {
        this.dim = dim;
    }

    static Tensor apply(Tensor a, int dim, Tensor index) {
        NDArray out = a.data().indexSelect(dim, index.data());
        if (!Graph.needed(a)) {
            return Graph.plain("indexSelect", out);
        }
        IndexSelect n = new IndexSelect(dim);
        n.save(index.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray r = NDArray.zeros(g[0].dtype(), g[0].device(), inputShapes[0]);
        r.indexAddInPlace(dim, saved(0), g[0]);
        return new NDArray[] {r};
    }
}
