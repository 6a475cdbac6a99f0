package io.ember.autograd;

import io.ember.tensor.NDArray;
import io.ember.tensor.Shape;

/**
 * max/min over all elements ({@code dims} null) or over dims (amax/amin): the gradient is shared evenly among
 * the elements equal to the result, like PyTorch.
 */
final class Extremum extends Node {
    private final boolean max;
    private final int[] keptShape;

    private Extremum(boolean max, int[] keptShape) {
        this.max = max;
        this.keptShape = keptShape;
    }

    static Tensor apply(Tensor a, boolean max, int[] dims, boolean keepdim) {
        NDArray x = a.data();
        NDArray out = dims == null ? (max ? x.max() : x.min()) : (max ? x.amax(dims, keepdim) : x.amin(dims, keepdim));
        if (!Graph.needed(a)) {
            return Graph.plain(max ? "max" : "min", out);
        }
        int[] kept = x.shape().toArray();
        if (dims == null || dims.length == 0) {
            java.util.Arrays.fill(kept, 1);
        } else {
            for (int d : dims) {
                kept[Shape.normalizeDim(max ? "amax" : "amin", d, x.dim())] = 1;
            }
        }
        Extremum n = new Extremum(max, kept);
        n.save(x, out);
        return Graph.record(n, out, a);
    }

    @Override
    public String name() {
        return max ? "MaxBackward" : "MinBackward";
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray x = saved(0);
        NDArray hit = x.eq(saved(1).reshape(keptShape)).to(g[0].dtype());
        int[] all = new int[x.dim()];
        int k = 0;
        for (int d = 0; d < x.dim(); d++) {
            if (keptShape[d] == 1 && x.size(d) != 1) {
                all[k++] = d;
            }
        }
        NDArray share = g[0].reshape(keptShape);
        if (k > 0) {
            share = share.div(hit.sum(java.util.Arrays.copyOf(all, k), true));
        }
        hit.mulInPlace(share);
        return new NDArray[] {hit};
    }
}
