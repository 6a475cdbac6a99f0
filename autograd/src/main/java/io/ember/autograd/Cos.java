package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code cos(a)}: d/da = -sin(a). */
final class Cos extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().cos();
        if (!Graph.needed(a)) {
            return Graph.plain("cos", out);
        }
        Cos n = new Cos();
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray d = saved(0).sin();
        d.negInPlace();
        return new NDArray[] {g[0].mul(d)};
    }
}
