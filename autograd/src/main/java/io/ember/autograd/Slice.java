package io.ember.autograd;

import io.ember.tensor.NDArray;

/** {@code start:end:step} along a dim (a view; narrow is the step-1 case): the gradient fills that slice of zeros. */
final class Slice extends Node {
    private final int dim;
    private final int start;
    private final int end;
    private final int step;

    private Slice(int dim, int start, int end, int step) {
        this.dim = dim;
        this.start = start;
        this.end = end;
        this.step = step;
    }

    static Tensor apply(Tensor a, int dim, int start, int end, int step) {
        NDArray out = a.data().slice(dim, start, end, step);
        return Graph.needed(a) ? Graph.record(new Slice(dim, start, end, step), out, a) : Graph.plain("slice", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray r = NDArray.zeros(g[0].dtype(), g[0].device(), inputShapes[0]);
        r.slice(dim, start, end, step).copyFrom(g[0]);
        return new NDArray[] {r};
    }
}
