package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code 1 / sqrt(a)}: d/da = -y^3 / 2, from the saved output y. */
final class Rsqrt extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().rsqrt();
        if (!Graph.needed(a)) {
            return Graph.plain("rsqrt", out);
        }
        Rsqrt n = new Rsqrt();
        n.save(out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray y = saved(0);
        NDArray d = y.square().mul(y);
        d.mulInPlace(-0.5);
        return new NDArray[] {g[0].mul(d)};
    }
}
