package io.ember.autograd;

import io.ember.tensor.NDArray;
import io.ember.tensor.Shape;

/** Sum over all elements or over dims; the gradient is broadcast back. */
final class Sum extends Node {
    private final int[] keptShape;

    private Sum(int[] keptShape) {
        this.keptShape = keptShape;
    }

    static Tensor apply(Tensor a, int[] dims, boolean keepdim) {
        NDArray x = a.data();
        NDArray out = dims == null ? x.sum() : x.sum(dims, keepdim);
        if (!Graph.needed(a)) {
            return Graph.plain("sum", out);
        }
        int[] kept;
        if (dims == null) {
            kept = new int[x.dim()];
            java.util.Arrays.fill(kept, 1);
        } else {
            kept = x.shape().toArray();
            for (int d : dims) {
                kept[Shape.normalizeDim("sum", d, x.dim())] = 1;
            }
        }
        return Graph.record(new Sum(kept), out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].reshape(keptShape).expand(inputShapes[0])};
    }
}
