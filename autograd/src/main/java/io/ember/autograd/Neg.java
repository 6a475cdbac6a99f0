package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code -a}. */
final class Neg extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().neg();
        return Graph.needed(a) ? Graph.record(new Neg(), out, a) : Graph.plain("neg", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].neg()};
    }
}
