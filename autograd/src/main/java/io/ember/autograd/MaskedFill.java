package io.ember.autograd;

import io.ember.tensor.NDArray;

/** A copy with {@code value} where mask (broadcast) holds: the gradient is zero there. */
final class MaskedFill extends Node {
    static Tensor apply(Tensor a, Tensor mask, double value) {
        NDArray out = a.data().maskedFill(mask.data(), value);
        if (!Graph.needed(a)) {
            return Graph.plain("maskedFill", out);
        }
        MaskedFill n = new MaskedFill();
        n.save(mask.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {NDArray.where(saved(0), NDArray.zeros(g[0].dtype(), g[0].device()), g[0])};
    }
}
