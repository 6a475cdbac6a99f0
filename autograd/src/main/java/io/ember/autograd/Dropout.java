package io.ember.autograd;

import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;

/** Inverted dropout: multiplies by a saved mask of 0 and 1/(1-p); backward multiplies by the same mask. */
final class Dropout extends Node {
    static Tensor apply(Tensor input, double p, Generator g) {
        NDArray x = input.data();
        NDArray mask = NDArray.rand(g, x.shape().toArray()).ge(p)
                .to(x.dtype().isFloating() ? x.dtype() : io.ember.tensor.DType.FLOAT32).to(x.device());
        mask.mulInPlace(1.0 / (1.0 - p));
        NDArray out = x.mul(mask);
        if (!Graph.needed(input)) {
            return Graph.plain("dropout", out);
        }
        Dropout n = new Dropout();
        n.save(mask);
        return Graph.record(n, out, input);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].mul(saved(0))};
    }
}
