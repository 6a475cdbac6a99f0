package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code a^b} elementwise with broadcasting: d/da = b a^(b-1), d/db = a^b log(a) (0 where a = 0 and b >= 0). */
final class Pow extends Node {
    static Tensor apply(Tensor a, Tensor b) {
        NDArray out = a.data().pow(b.data());
        if (!Graph.needed(a, b)) {
            return Graph.plain("pow", out);
        }
        Pow n = new Pow();
        n.save(a.data(), b.data(), b.requiresGrad() ? out : null);
        return Graph.record(n, out, a, b);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray a = saved(0);
        NDArray b = saved(1);
        NDArray ga = needsGrad(0) ? g[0].mul(b.mul(a.pow(b.sub(1.0)))) : null;
        NDArray gb = null;
        if (needsGrad(1)) {
            NDArray d = saved(2).mul(a.log());
            NDArray zero = NDArray.zeros(d.dtype(), d.device());
            d = NDArray.where(a.eq(0.0).logicalAnd(b.ge(0.0)), zero, d);
            gb = g[0].mul(d);
        }
        return new NDArray[] {ga, gb};
    }
}
