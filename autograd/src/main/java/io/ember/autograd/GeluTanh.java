package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * GELU with the tanh approximation, {@code x/2 (1 + tanh(u))} with {@code u = k (x + 0.044715 x^3)}:
 * d/dx = (1 + t)/2 + x/2 (1 - t^2) k (1 + 3 * 0.044715 x^2), PyTorch's derivative.
 */
final class GeluTanh extends Node {
    private static final double K = 0.7978845608028654;
    private static final double C = 0.044715;

    static Tensor apply(Tensor a) {
        NDArray out = a.data().geluTanh();
        if (!Graph.needed(a)) {
            return Graph.plain("geluTanh", out);
        }
        GeluTanh n = new GeluTanh();
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray x = saved(0);
        NDArray x2 = x.square();
        NDArray t = x2.mul(C);
        t.addInPlace(1.0);
        t.mulInPlace(x);
        t.mulInPlace(K);
        NDArray tanh = t.tanh();
        // right = x/2 (1 - tanh^2) k (1 + 3c x^2)
        NDArray right = tanh.square();
        right.negInPlace();
        right.addInPlace(1.0);
        right.mulInPlace(x);
        right.mulInPlace(0.5 * K);
        x2.mulInPlace(3 * C);
        x2.addInPlace(1.0);
        right.mulInPlace(x2);
        // left = (1 + tanh) / 2
        tanh.addInPlace(1.0);
        tanh.mulInPlace(0.5);
        right.addInPlace(tanh);
        right.mulInPlace(g[0]);
        return new NDArray[] {right};
    }
}
