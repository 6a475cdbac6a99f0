package io.ember.autograd;

import io.ember.tensor.Index;
import io.ember.tensor.NDArray;

/** The elements where mask (broadcast) holds, as 1-D: the gradient is put back at those positions. */
final class MaskedSelect extends Node {
    static Tensor apply(Tensor a, Tensor mask) {
        NDArray out = a.data().maskedSelect(mask.data());
        if (!Graph.needed(a)) {
            return Graph.plain("maskedSelect", out);
        }
        MaskedSelect n = new MaskedSelect();
        n.save(mask.data());
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray mask = saved(0);
        int[] shape = NDArray.broadcastShapes(mask.shape(), io.ember.tensor.Shape.of(inputShapes[0])).toArray();
        NDArray r = NDArray.zeros(g[0].dtype(), g[0].device(), shape);
        if (shape.length == 0) {
            return new NDArray[] {mask.getBoolean() ? g[0].reshape() : r};
        }
        r.indexPut(new Index[] {Index.of(mask.expand(shape))}, g[0], false);
        return new NDArray[] {r};
    }
}
