package io.ember.autograd;

import io.ember.tensor.Generator;

/**
 * The differentiable nn kernels that are primitives (one node each, backward on the raw layer's kernels), like
 * {@code torch._C._VariableFunctions}. Users normally call them through {@code io.ember.nn.functional.F} and the
 * layers, which add defaults and argument checks.
 */
public final class Functions {
    private Functions() {
    }

    /** input [N, C, H, W], weight [O, C/groups, kH, kW], bias [O] or null. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
            int groups) {
        throw Todo.of("conv2d");
    }

    /** Max pooling over [N, C, H, W]; stride null means the kernel size. */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
            boolean ceilMode) {
        throw Todo.of("maxPool2d");
    }

    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
            boolean countIncludePad, int divisorOverride) {
        throw Todo.of("avgPool2d");
    }

    /** Adaptive average pooling of [N, C, H, W] to [N, C, outH, outW] with PyTorch's window bounds. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        throw Todo.of("adaptiveAvgPool2d");
    }

    /** Rows of weight [V, D] at INT64 indices; paddingIdx (-1 none) gets no gradient. */
    public static Tensor embedding(Tensor weight, Tensor indices, int paddingIdx) {
        throw Todo.of("embedding");
    }

    /** Inverted dropout: zero with probability p, scale the rest by 1/(1-p); identity when not training. */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator g) {
        throw Todo.of("dropout");
    }

    /**
     * Cross-entropy of logits [N, C] (or [N, C, d...]) against INT64 class indices [N] (or [N, d...]), fused
     * log-softmax and NLL: class weights [C] or null, ignoreIndex, labelSmoothing in [0, 1), reduction as PyTorch
     * (MEAN divides by the summed weights of the non-ignored targets).
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Tensor weight, int ignoreIndex,
            double labelSmoothing, Reduction reduction) {
        throw Todo.of("crossEntropy");
    }

    /** Negative log-likelihood of log-probabilities [N, C] (or [N, C, d...]) at INT64 targets. */
    public static Tensor nllLoss(Tensor logProbs, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        throw Todo.of("nllLoss");
    }

    /** {@code x W^T + b} for x [..., in], W [out, in], b [out] or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
    }
}
