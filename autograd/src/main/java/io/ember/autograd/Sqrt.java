package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code sqrt(a)}: d/da = 1 / (2 sqrt(a)), from the saved output. */
final class Sqrt extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().sqrt();
        if (!Graph.needed(a)) {
            return Graph.plain("sqrt", out);
        }
        Sqrt n = new Sqrt();
        n.save(out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].div(saved(0).mul(2.0))};
    }
}
