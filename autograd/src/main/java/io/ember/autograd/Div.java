package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code a / b} with broadcasting: d/da = g / b, d/db = -g a / b^2 = -g out / b. */
final class Div extends Node {
    static Tensor apply(Tensor a, Tensor b) {
        NDArray out = a.data().div(b.data());
        if (!Graph.needed(a, b)) {
            return Graph.plain("div", out);
        }
        Div n = new Div();
        n.save(b.data(), b.requiresGrad() ? out : null);
        return Graph.record(n, out, a, b);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray ga = g[0].div(saved(0));
        return new NDArray[] {needsGrad(0) ? ga : null, needsGrad(1) ? ga.mul(saved(1)).neg() : null};
    }
}
