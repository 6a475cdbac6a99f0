package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code sin(a)}: d/da = cos(a). */
final class Sin extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().sin();
        if (!Graph.needed(a)) {
            return Graph.plain("sin", out);
        }
        Sin n = new Sin();
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].mul(saved(0).cos())};
    }
}
