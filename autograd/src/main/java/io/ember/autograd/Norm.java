package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * The p-norm of all elements (finite p > 0): d/dx = sign(x) |x|^(p-1) / norm^(p-1), and 0 when the norm is 0
 * (like PyTorch, where a composite sqrt(sum(x^2)) would give NaN).
 */
final class Norm extends Node {
    private final double p;

    private Norm(double p) {
        this.p = p;
    }

    static Tensor apply(Tensor a, double p) {
        NDArray out = a.data().norm(p);
        if (!Graph.needed(a)) {
            return Graph.plain("norm", out);
        }
        Norm n = new Norm(p);
        n.save(a.data(), out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray x = saved(0);
        double norm = saved(1).item();
        if (norm == 0) {
            return new NDArray[] {NDArray.zeros(x.dtype(), x.device(), inputShapes[0])};
        }
        NDArray d;
        if (p == 1) {
            d = x.sign();
        } else if (p == 2) {
            d = x.mul(1.0 / norm);
        } else {
            d = x.abs().pow(p - 1);
            d.mulInPlace(x.sign());
            d.mulInPlace(1.0 / Math.pow(norm, p - 1));
        }
        d.mulInPlace(g[0]);
        return new NDArray[] {d};
    }
}
