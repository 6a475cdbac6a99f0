package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code log(1 + a)}: d/da = 1 / (1 + a). */
final class Log1p extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().log1p();
        if (!Graph.needed(a)) {
            return Graph.plain("log1p", out);
        }
        Log1p n = new Log1p();
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].div(saved(0).add(1.0))};
    }
}
