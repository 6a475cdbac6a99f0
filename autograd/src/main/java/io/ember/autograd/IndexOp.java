package io.ember.autograd;

import io.ember.tensor.Index;
import io.ember.tensor.NDArray;

/**
 * Basic and advanced indexing {@code x[...]}: the gradient is put back at the same positions of zeros,
 * accumulating where an index array names a position more than once.
 */
final class IndexOp extends Node {
    private final Index[] indices;

    private IndexOp(Index[] indices) {
        this.indices = indices;
    }

    static Tensor apply(Tensor a, Index[] indices) {
        NDArray out = a.data().index(indices);
        if (!Graph.needed(a)) {
            return Graph.plain("index", out);
        }
        return Graph.record(new IndexOp(indices.clone()), out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray r = NDArray.zeros(g[0].dtype(), g[0].device(), inputShapes[0]);
        r.indexPut(indices, g[0], true);
        return new NDArray[] {r};
    }
}
