package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/** A dtype conversion; the engine casts the gradient back to the input's dtype. */
final class Cast extends Node {
    static Tensor apply(Tensor a, DType dtype) {
        NDArray out = a.data().to(dtype);
        return Graph.needed(a) && dtype.isFloating() ? Graph.record(new Cast(), out, a) : Graph.plain("to", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0]};
    }
}
