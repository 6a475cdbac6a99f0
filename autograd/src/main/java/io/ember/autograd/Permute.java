package io.ember.autograd;

import io.ember.tensor.NDArray;
import io.ember.tensor.Shape;

/** A permutation of dims (a view); the gradient goes through the inverse permutation. */
final class Permute extends Node {
    private final int[] inverse;

    private Permute(int[] inverse) {
        this.inverse = inverse;
    }

    static Tensor apply(Tensor a, int[] dims) {
        NDArray out = a.data().permute(dims);
        if (!Graph.needed(a)) {
            return Graph.plain("permute", out);
        }
        int[] inv = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            inv[Shape.normalizeDim("permute", dims[i], dims.length)] = i;
        }
        return Graph.record(new Permute(inv), out, a);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].permute(inverse)};
    }
}
