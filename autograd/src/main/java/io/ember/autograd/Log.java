package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code log(a)}: d/da = 1 / a. */
final class Log extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().log();
        if (!Graph.needed(a)) {
            return Graph.plain("log", out);
        }
        Log n = new Log();
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].div(saved(0))};
    }
}
