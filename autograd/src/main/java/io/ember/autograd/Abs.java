package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code |a|}: d/da = sign(a) (0 at 0, like PyTorch). */
final class Abs extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().abs();
        if (!Graph.needed(a)) {
            return Graph.plain("abs", out);
        }
        Abs n = new Abs();
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].mul(saved(0).sign())};
    }
}
