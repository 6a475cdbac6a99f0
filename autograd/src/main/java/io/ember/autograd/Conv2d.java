package io.ember.autograd;

import io.ember.tensor.NDArray;
import io.ember.tensor.NNOps;

/** 2-D convolution; backward through the raw layer's input, weight and bias gradient kernels. */
final class Conv2d extends Node {
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;

    private Conv2d(int[] stride, int[] padding, int[] dilation, int groups) {
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
    }

    static Tensor apply(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
            int groups) {
        NDArray out = NNOps.conv2d(input.data(), weight.data(), bias == null ? null : bias.data(), stride, padding,
                dilation, groups);
        if (!Graph.needed(input, weight, bias)) {
            return Graph.plain("conv2d", out);
        }
        Conv2d n = new Conv2d(stride, padding, dilation, groups);
        n.save(weight.requiresGrad() ? input.data() : null, input.requiresGrad() ? weight.data() : null);
        return Graph.record(n, out, input, weight, bias);
    }

    @Override
    NDArray[] backward(NDArray[] grads) {
        NDArray g = grads[0];
        NDArray gi = needsGrad(0)
                ? NNOps.conv2dBackwardInput(g, saved(1), inputShapes[0], stride, padding, dilation, groups) : null;
        NDArray gw = needsGrad(1)
                ? NNOps.conv2dBackwardWeight(g, saved(0), inputShapes[1], stride, padding, dilation, groups) : null;
        NDArray gb = needsGrad(2) ? NNOps.conv2dBackwardBias(g) : null;
        return new NDArray[] {gi, gw, gb};
    }
}
