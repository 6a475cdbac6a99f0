package io.ember.autograd;

import io.ember.tensor.NDArray;

/** The node at a leaf that requires grad: adds the incoming gradient into {@link Tensor#grad()}. */
final class AccumulateGrad extends Node {
    final Tensor leaf;

    AccumulateGrad(Tensor leaf) {
        this.leaf = leaf;
    }

    @Override
    public String name() {
        return "AccumulateGrad";
    }

    @Override
    NDArray[] backward(NDArray[] gradOutputs) {
        leaf.accumulateGrad(gradOutputs[0]);
        return new NDArray[0];
    }
}
