package io.ember.autograd;

import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;

/** Concatenation along a dim for the recurrent functions (stacking directions and layers); backward narrows. */
final class RnnCellJoin extends Node {
    private final int dim;
    private final int[] sizes;

    private RnnCellJoin(int dim, int[] sizes) {
        this.dim = dim;
        this.sizes = sizes;
    }

    @Override
    public String name() {
        return "CatBackward";
    }

    static Tensor apply(List<Tensor> parts, int dim) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        List<NDArray> arrays = new ArrayList<>(parts.size());
        int[] sizes = new int[parts.size()];
        for (int i = 0; i < parts.size(); i++) {
            arrays.add(parts.get(i).data());
            sizes[i] = parts.get(i).size(dim);
        }
        NDArray out = NDArray.cat(arrays, dim);
        Tensor[] in = parts.toArray(new Tensor[0]);
        if (!Graph.needed(in)) {
            return Graph.plain("cat", out);
        }
        return Graph.record(new RnnCellJoin(dim, sizes), out, in);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray[] out = new NDArray[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (needsGrad(i)) {
                out[i] = g[0].narrow(dim, at, sizes[i]);
            }
            at += sizes[i];
        }
        return out;
    }
}
