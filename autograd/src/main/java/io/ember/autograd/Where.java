package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code cond ? x : y} with broadcasting: the gradient goes to x where cond holds and to y elsewhere. */
final class Where extends Node {
    static Tensor apply(Tensor cond, Tensor x, Tensor y) {
        NDArray out = NDArray.where(cond.data(), x.data(), y.data());
        if (!Graph.needed(x, y)) {
            return Graph.plain("where", out);
        }
        Where n = new Where();
        n.save(cond.data());
        return Graph.record(n, out, x, y);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray c = saved(0);
        NDArray zero = NDArray.zeros(g[0].dtype(), g[0].device());
        return new NDArray[] {needsGrad(0) ? NDArray.where(c, g[0], zero) : null,
            needsGrad(1) ? NDArray.where(c, zero, g[0]) : null};
    }
}
