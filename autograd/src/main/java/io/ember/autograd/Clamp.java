package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * Clamp into [min, max] (a NaN bound is no bound): the gradient passes where {@code min <= x <= max}, bounds
 * included, like PyTorch; only that mask is saved.
 */
final class Clamp extends Node {
    static Tensor apply(Tensor a, double min, double max) {
        NDArray x = a.data();
        NDArray out = x.clamp(min, max);
        if (!Graph.needed(a)) {
            return Graph.plain("clamp", out);
        }
        NDArray pass = null;
        if (!Double.isNaN(min)) {
            pass = x.ge(min);
        }
        if (!Double.isNaN(max)) {
            pass = pass == null ? x.le(max) : pass.logicalAnd(x.le(max));
        }
        Clamp n = new Clamp();
        n.save(pass);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray pass = saved(0);
        if (pass == null) {
            return new NDArray[] {g[0]};
        }
        return new NDArray[] {NDArray.where(pass, g[0], NDArray.zeros(g[0].dtype(), g[0].device()))};
    }
}
