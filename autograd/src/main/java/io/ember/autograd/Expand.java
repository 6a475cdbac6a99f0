package io.ember.autograd;

import io.ember.tensor.NDArray;

/** Broadcast to a larger shape (a view); the engine sums the gradient back to the input's shape. */
final class Expand extends Node {
    static Tensor apply(Tensor a, int[] sizes) {
        NDArray out = a.data().expand(sizes);
        return Graph.needed(a) ? Graph.record(new Expand(), out, a) : Graph.plain("expand", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0]};
    }
}
