package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code x > 0 ? x : slope x}: the gradient is g where x > 0, slope g elsewhere. */
final class LeakyRelu extends Node {
    private final double slope;

    private LeakyRelu(double slope) {
        this.slope = slope;
    }

    static Tensor apply(Tensor a, double slope) {
        NDArray out = a.data().leakyRelu(slope);
        if (!Graph.needed(a)) {
            return Graph.plain("leakyRelu", out);
        }
        LeakyRelu n = new LeakyRelu(slope);
        n.save(a.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {NDArray.where(saved(0).gt(0.0), g[0], g[0].mul(slope))};
    }
}
