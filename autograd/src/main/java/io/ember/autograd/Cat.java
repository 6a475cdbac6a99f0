package io.ember.autograd;

import io.ember.tensor.NDArray;
import io.ember.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/** Concatenation along a dim: each input gets its slice of the gradient (a view). */
final class Cat extends Node {
    private final int dim;

    private Cat(int dim) {
        this.dim = dim;
    }

    static Tensor apply(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("cat: expected a non-empty list of tensors");
        }
        List<NDArray> arrays = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            arrays.add(t.data());
        }
        NDArray out = NDArray.cat(arrays, dim);
        Tensor[] in = tensors.toArray(new Tensor[0]);
        if (!Graph.needed(in)) {
            return Graph.plain("cat", out);
        }
        return Graph.record(new Cat(Shape.normalizeDim("cat", dim, out.dim())), out, in);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray[] r = new NDArray[inputShapes.length];
        int at = 0;
        for (int i = 0; i < r.length; i++) {
            int[] s = inputShapes[i];
            if (s.length == 1 && s[0] == 0 && g[0].dim() > 1) {
                continue; // a legacy empty [0] input takes no part
            }
            int len = s[dim];
            if (needsGrad(i)) {
                r[i] = g[0].narrow(dim, at, len);
            }
            at += len;
        }
        return r;
    }
}
