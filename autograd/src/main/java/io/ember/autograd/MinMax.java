package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * Elementwise {@code minimum}/{@code maximum} with broadcasting: the gradient goes to the chosen operand, and is
 * split half and half on ties, like PyTorch.
 */
final class MinMax extends Node {
    private final boolean max;

    private MinMax(boolean max) {
        this.max = max;
    }

    static Tensor apply(Tensor a, Tensor b, boolean max) {
        NDArray out = max ? a.data().maximum(b.data()) : a.data().minimum(b.data());
        if (!Graph.needed(a, b)) {
            return Graph.plain(max ? "maximum" : "minimum", out);
        }
        MinMax n = new MinMax(max);
        n.save(a.data(), b.data());
        return Graph.record(n, out, a, b);
    }

    @Override
    public String name() {
        return max ? "MaximumBackward" : "MinimumBackward";
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray a = saved(0);
        NDArray b = saved(1);
        NDArray wins = (max ? a.gt(b) : a.lt(b)).to(g[0].dtype());
        wins.addInPlace(a.eq(b).to(g[0].dtype()).mul(0.5));
        NDArray ga = g[0].mul(wins);
        NDArray gb = needsGrad(1) ? g[0].sub(ga) : null;
        return new NDArray[] {needsGrad(0) ? ga : null, gb};
    }
}
