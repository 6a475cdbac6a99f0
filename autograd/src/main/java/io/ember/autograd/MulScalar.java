package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code a * c} for a number c. */
final class MulScalar extends Node {
    private final double c;

    private MulScalar(double c) {
        this.c = c;
    }

    static Tensor apply(Tensor a, double c) {
        NDArray out = a.data().mul(c);
        return Graph.needed(a) ? Graph.record(new MulScalar(c), out, a) : Graph.plain("mul", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].mul(c)};
    }
}
