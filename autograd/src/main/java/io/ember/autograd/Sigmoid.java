package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code sigmoid(a)}: d/da = out (1 - out). */
final class Sigmoid extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().sigmoid();
        if (!Graph.needed(a)) {
            return Graph.plain("sigmoid", out);
        }
        Sigmoid n = new Sigmoid();
        n.save(out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray y = saved(0);
        return new NDArray[] {g[0].mul(y.mul(y.rsub(1.0)))};
    }
}
