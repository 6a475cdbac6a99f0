package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code x > 0 ? x : alpha (exp(x) - 1)}: d/dx = 1 for x > 0, alpha exp(x) elsewhere. */
final class Elu extends Node {
    private final double alpha;

    private Elu(double alpha) {
        this.alpha = alpha;
    }

    static Tensor apply(Tensor a, double alpha) {
        NDArray out = a.data().elu(alpha);
        if (!Graph.needed(a)) {
            return Graph.plain("elu", out);
        }
        Elu n = new Elu(alpha);
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray x = saved(0);
        NDArray neg = x.exp();
        neg.mulInPlace(alpha);
        neg.mulInPlace(g[0]);
        return new NDArray[] {NDArray.where(x.gt(0.0), g[0], neg)};
    }
}
