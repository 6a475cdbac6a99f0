package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code a + c} for a number c. */
final class AddScalar extends Node {
    static Tensor apply(Tensor a, double c) {
        NDArray out = a.data().add(c);
        return Graph.needed(a) ? Graph.record(new AddScalar(), out, a) : Graph.plain("add", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0]};
    }
}
