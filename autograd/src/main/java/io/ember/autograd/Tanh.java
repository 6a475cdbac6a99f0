package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code tanh(a)}: d/da = 1 - out^2. */
final class Tanh extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().tanh();
        if (!Graph.needed(a)) {
            return Graph.plain("tanh", out);
        }
        Tanh n = new Tanh();
        n.save(out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray y = saved(0);
        return new NDArray[] {g[0].mul(y.mul(y).rsub(1.0))};
    }
}
