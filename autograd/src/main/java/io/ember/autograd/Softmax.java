package io.ember.autograd;

import io.ember.tensor.NDArray;

/** Softmax along a dim: d/dx = y (g - sum(g y)). */
final class Softmax extends Node {
    private final int dim;

    private Softmax(int dim) {
        this.dim = dim;
    }

    static Tensor apply(Tensor a, int dim) {
        NDArray out = a.data().softmax(dim);
        if (!Graph.needed(a)) {
            return Graph.plain("softmax", out);
        }
        Softmax n = new Softmax(dim);
        n.save(out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray y = saved(0);
        NDArray gy = g[0].mul(y);
        return new NDArray[] {gy.sub(y.mul(gy.sum(new int[] {dim}, true)))};
    }
}
