package io.ember.autograd;

import io.ember.tensor.NDArray;

/** A reshape (a view where the layout allows); the gradient is reshaped back. */
final class Reshape extends Node {
    static Tensor apply(Tensor a, int[] shape) {
        NDArray out = a.data().reshape(shape);
        return Graph.needed(a) ? Graph.record(new Reshape(), out, a) : Graph.plain("reshape", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].reshape(inputShapes[0])};
    }
}
