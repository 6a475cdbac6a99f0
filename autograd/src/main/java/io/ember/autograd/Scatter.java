package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * Out-of-place scatter ({@code accumulate} false) or scatterAdd along a dim. The source gets the gradient gathered
 * at index; self gets the gradient, with the overwritten positions zeroed for scatter.
 */
final class Scatter extends Node {
    private final int dim;
    private final boolean accumulate;

    private Scatter(int dim, boolean accumulate) {
        this.dim = dim;
        this.accumulate = accumulate;
    }

    static Tensor apply(Tensor self, int dim, Tensor index, Tensor src, boolean accumulate) {
        NDArray out = accumulate ? self.data().scatterAdd(dim, index.data(), src.data())
                : self.data().scatter(dim, index.data(), src.data());
        if (!Graph.needed(self, src)) {
            return Graph.plain(accumulate ? "scatterAdd" : "scatter", out);
        }
        Scatter n = new Scatter(dim, accumulate);
        n.save(index.data());
        return Graph.record(n, out, self, src);
    }

    @Override
    public String name() {
        return accumulate ? "ScatterAddBackward" : "ScatterBackward";
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray idx = saved(0);
        NDArray gs = null;
        if (needsGrad(0)) {
            gs = accumulate ? g[0] : g[0].scatter(dim, idx, 0.0);
        }
        NDArray gsrc = null;
        if (needsGrad(1)) {
            gsrc = g[0].gather(dim, idx);
            int[] want = inputShapes[1];
            if (!java.util.Arrays.equals(want, gsrc.shape().toArray())) {
                // src may be larger than index: only its first index.shape elements were used
                NDArray full = NDArray.zeros(gsrc.dtype(), gsrc.device(), want);
                NDArray view = full;
                for (int d = 0; d < want.length; d++) {
                    view = view.narrow(d, 0, gsrc.size(d));
                }
                view.copyFrom(gsrc);
                gsrc = full;
            }
        }
        return new NDArray[] {gs, gsrc};
    }
}
