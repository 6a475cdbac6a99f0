package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code exp(a)}: d/da = out. */
final class Exp extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().exp();
        if (!Graph.needed(a)) {
            return Graph.plain("exp", out);
        }
        Exp n = new Exp();
        n.save(out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].mul(saved(0))};
    }
}
