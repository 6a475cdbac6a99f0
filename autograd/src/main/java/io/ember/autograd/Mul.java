package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code a * b} with broadcasting; saves each input only if the other needs a gradient. */
final class Mul extends Node {
    static Tensor apply(Tensor a, Tensor b) {
        NDArray out = a.data().mul(b.data());
        if (!Graph.needed(a, b)) {
            return Graph.plain("mul", out);
        }
        Mul n = new Mul();
        n.save(b.requiresGrad() ? a.data() : null, a.requiresGrad() ? b.data() : null);
        return Graph.record(n, out, a, b);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {needsGrad(0) ? g[0].mul(saved(1)) : null, needsGrad(1) ? g[0].mul(saved(0)) : null};
    }
}
