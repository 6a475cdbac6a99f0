package io.ember.autograd;

import io.ember.tensor.NDArray;

/** Log-softmax along a dim: d/dx = g - exp(y) sum(g). */
final class LogSoftmax extends Node {
    private final int dim;

    private LogSoftmax(int dim) {
        this.dim = dim;
    }

    static Tensor apply(Tensor a, int dim) {
        NDArray out = a.data().logSoftmax(dim);
        if (!Graph.needed(a)) {
            return Graph.plain("logSoftmax", out);
        }
        LogSoftmax n = new LogSoftmax(dim);
        n.save(out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray p = saved(0).exp();
        return new NDArray[] {g[0].sub(p.mul(g[0].sum(new int[] {dim}, true)))};
    }
}
