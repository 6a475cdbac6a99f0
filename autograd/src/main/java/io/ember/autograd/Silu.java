package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code x sigmoid(x)}: d/dx = s (1 + x (1 - s)) with s = sigmoid(x). */
final class Silu extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().silu();
        if (!Graph.needed(a)) {
            return Graph.plain("silu", out);
        }
        Silu n = new Silu();
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray x = saved(0);
        NDArray s = x.sigmoid();
        NDArray d = s.rsub(1.0);
        d.mulInPlace(x);
        d.addInPlace(1.0);
        d.mulInPlace(s);
        d.mulInPlace(g[0]);
        return new NDArray[] {d};
    }
}
