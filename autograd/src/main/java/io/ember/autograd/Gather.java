package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code out[i][j] = x[index[i][j]][j]} along a dim: the gradient is scatter-added back. */
final class Gather extends Node {
    private final int dim;

    private Gather(int dim) {
        this.dim = dim;
    }

    static Tensor apply(Tensor a, int dim, Tensor index) {
        NDArray out = a.data().gather(dim, index.data());
        if (!Graph.needed(a)) {
            return Graph.plain("gather", out);
        }
        Gather n = new Gather(dim);
        n.save(index.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray r = NDArray.zeros(g[0].dtype(), g[0].device(), inputShapes[0]);
        r.scatterAddInPlace(dim, saved(0), g[0]);
        return new NDArray[] {r};
    }
}
