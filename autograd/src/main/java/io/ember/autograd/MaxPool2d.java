package io.ember.autograd;

import io.ember.tensor.NDArray;
import io.ember.tensor.NNOps;
import io.ember.tensor.ValuesIndices;

/** 2-D max pooling; saves the argmax indices, backward scatters the gradient there. */
final class MaxPool2d extends Node {
    static Tensor apply(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        ValuesIndices vi = NNOps.maxPool2d(input.data(), kernel, stride, padding, dilation, ceilMode);
        if (!Graph.needed(input)) {
            return Graph.plain("maxPool2d", vi.values());
        }
        MaxPool2d n = new MaxPool2d();
        n.save(vi.indices());
        return Graph.record(n, vi.values(), input);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {NNOps.maxPool2dBackward(g[0], saved(0), inputShapes[0])};
    }
}
