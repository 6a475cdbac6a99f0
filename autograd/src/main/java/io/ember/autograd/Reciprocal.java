package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code 1 / a}: d/da = -y^2, from the saved output y. */
final class Reciprocal extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().reciprocal();
        if (!Graph.needed(a)) {
            return Graph.plain("reciprocal", out);
        }
        Reciprocal n = new Reciprocal();
        n.save(out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray d = saved(0).square();
        d.negInPlace();
        return new NDArray[] {g[0].mul(d)};
    }
}
