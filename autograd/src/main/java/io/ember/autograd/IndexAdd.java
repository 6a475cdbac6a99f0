package io.ember.autograd;

import io.ember.tensor.NDArray;

/** A copy of self with slices of src added at INT64 positions along a dim: self gets g, src gets g's slices. */
final class IndexAdd extends Node {
    private final int dim;

    private IndexAdd(int dim) {
        this.dim = dim;
    }

    static Tensor apply(Tensor self, int dim, Tensor index, Tensor src) {
        NDArray out = self.data().indexAdd(dim, index.data(), src.data());
        if (!Graph.needed(self, src)) {
            return Graph.plain("indexAdd", out);
        }
        IndexAdd n = new IndexAdd(dim);
        n.save(index.data());
        return Graph.record(n, out, self, src);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray gsrc = null;
        if (needsGrad(1)) {
            gsrc = g[0].indexSelect(dim, saved(0).reshape(-1));
            gsrc = gsrc.reshape(inputShapes[1]);
        }
        return new NDArray[] {needsGrad(0) ? g[0] : null, gsrc};
    }
}
