package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import io.ember.tensor.Shape;
import io.ember.tensor.ValuesIndices;

/** max/min along one dim with indices: the gradient goes to the chosen position (the first on ties). */
final class MaxDim extends Node {
    private final boolean max;
    private final int dim;
    private final boolean keepdim;

    private MaxDim(boolean max, int dim, boolean keepdim) {
        this.max = max;
        this.dim = dim;
        this.keepdim = keepdim;
    }

    static TensorPair apply(Tensor a, boolean max, int dim, boolean keepdim) {
        NDArray x = a.data();
        ValuesIndices vi = max ? x.max(dim, keepdim) : x.min(dim, keepdim);
        Tensor indices = Tensor.of(vi.indices());
        if (!Graph.needed(a)) {
            return new TensorPair(Graph.plain(max ? "max" : "min", vi.values()), indices);
        }
        int d = Shape.normalizeDim(max ? "max" : "min", dim, Math.max(1, x.dim()));
        MaxDim n = new MaxDim(max, d, keepdim);
        n.save(vi.indices());
        return new TensorPair(Graph.record(n, vi.values(), a), indices);
    }

    @Override
    public String name() {
        return max ? "MaxBackward" : "MinBackward";
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        int[] shape = inputShapes[0];
        NDArray gv = g[0];
        NDArray idx = saved(0);
        if (shape.length == 0) {
            return new NDArray[] {gv};
        }
        if (!keepdim) {
            gv = gv.unsqueeze(dim);
            idx = idx.unsqueeze(dim);
        }
        NDArray out = NDArray.zeros(gv.dtype(), gv.device(), shape);
        out.scatterAddInPlace(dim, idx.to(DType.INT64), gv);
        return new NDArray[] {out};
    }
}
