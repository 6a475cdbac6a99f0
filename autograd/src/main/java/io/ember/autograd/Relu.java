package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code max(a, 0)}: the gradient passes where the output is positive (0 at 0, like PyTorch). */
final class Relu extends Node {
    static Tensor apply(Tensor a) {
        NDArray out = a.data().relu();
        if (!Graph.needed(a)) {
            return Graph.plain("relu", out);
        }
        Relu n = new Relu();
        n.save(out);
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {io.ember.tensor.NNOps.reluBackward(g[0], saved(0))};
    }
}
