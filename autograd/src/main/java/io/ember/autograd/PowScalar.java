package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code a^p} for a number p: d/da = p a^(p-1). */
final class PowScalar extends Node {
    private final double p;

    private PowScalar(double p) {
        this.p = p;
    }

    static Tensor apply(Tensor a, double p) {
        NDArray out = a.data().pow(p);
        if (!Graph.needed(a)) {
            return Graph.plain("pow", out);
        }
        PowScalar n = new PowScalar(p);
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        if (p == 0) {
            return new NDArray[] {NDArray.zerosLike(g[0])};
        }
        NDArray d = p == 2 ? saved(0).mul(2.0) : saved(0).pow(p - 1).mul(p);
        return new NDArray[] {g[0].mul(d)};
    }
}
