package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code a + alpha * b} with broadcasting. */
final class Add extends Node {
    private final double alpha;

    private Add(double alpha) {
        this.alpha = alpha;
    }

    static Tensor apply(Tensor a, Tensor b, double alpha) {
        NDArray out = alpha == 1.0 ? a.data().add(b.data()) : a.data().add(b.data(), alpha);
        return Graph.needed(a, b) ? Graph.record(new Add(alpha), out, a, b) : Graph.plain("add", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0], needsGrad(1) ? (alpha == 1.0 ? g[0] : g[0].mul(alpha)) : null};
    }
}
