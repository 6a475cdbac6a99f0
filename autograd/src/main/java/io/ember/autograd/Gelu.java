package io.ember.autograd;

import io.ember.tensor.NDArray;

/** Exact GELU {@code x Phi(x)}: d/dx = Phi(x) + x phi(x), with Phi from erf. */
final class Gelu extends Node {
    private static final double INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    static Tensor apply(Tensor a) {
        NDArray out = a.data().gelu();
        if (!Graph.needed(a)) {
            return Graph.plain("gelu", out);
        }
        Gelu n = new Gelu();
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray x = saved(0);
        NDArray d = x.mul(INV_SQRT_2).erf();
        d.addInPlace(1.0);
        d.mulInPlace(0.5);
        NDArray pdf = x.square();
        pdf.mulInPlace(-0.5);
        pdf.expInPlace();
        pdf.mulInPlace(INV_SQRT_2PI);
        pdf.mulInPlace(x);
        d.addInPlace(pdf);
        d.mulInPlace(g[0]);
        return new NDArray[] {d};
    }
}
