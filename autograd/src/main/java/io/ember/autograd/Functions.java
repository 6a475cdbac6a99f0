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
        return Conv2d.apply(input, weight, bias, stride, padding, dilation, groups);
    }

    /** Max pooling over [N, C, H, W]; stride null means the kernel size. */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
            boolean ceilMode) {
        return MaxPool2d.apply(input, kernel, stride, padding, dilation, ceilMode);
    }

    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
            boolean countIncludePad, int divisorOverride) {
        return AvgPool2d.apply(input, kernel, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** Adaptive average pooling of [N, C, H, W] to [N, C, outH, outW] with PyTorch's window bounds. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        if (input.dim() != 4) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected input [N, C, H, W], got " + input.shape());
        }
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size must be positive, got [" + outH + ", "
                    + outW + "]");
        }
        int h = input.size(2);
        int w = input.size(3);
        if (outH == 1 && outW == 1) {
            return input.mean(new int[] {2, 3}, true);
        }
        if (h % outH == 0 && w % outW == 0) {
            int[] k = {h / outH, w / outW};
            return AvgPool2d.apply(input, k, k, new int[] {0, 0}, false, true, 0);
        }
        // out = P_h x P_w^T, with P [out, in] holding 1/len over each window [floor(i in/out), ceil((i+1) in/out))
        io.ember.tensor.DType dt = input.dtype().isFloating() ? input.dtype() : io.ember.tensor.DType.FLOAT32;
        Tensor ph = Tensor.of(poolMatrix(outH, h).to(dt).to(input.device()));
        Tensor pwT = Tensor.of(poolMatrix(outW, w).to(dt).to(input.device()).t());
        return ph.matmul(input.matmul(pwT));
    }

    /** Rows of weight [V, D] at INT64 indices; paddingIdx (-1 none) gets no gradient. */
    public static Tensor embedding(Tensor weight, Tensor indices, int paddingIdx) {
        return Embedding.apply(weight, indices, paddingIdx);
    }

    /** Inverted dropout: zero with probability p, scale the rest by 1/(1-p); identity when not training. */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator g) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout: probability p must be in [0, 1], got " + p);
        }
        if (!training || p == 0) {
            return input;
        }
        if (p == 1) {
            return input.mul(0.0);
        }
        if (g == null) {
            throw new IllegalArgumentException("dropout: a Generator is required in training mode");
        }
        return Dropout.apply(input, p, g);
    }

    /**
     * Cross-entropy of logits [N, C] (or [N, C, d...]) against INT64 class indices [N] (or [N, d...]), fused
     * log-softmax and NLL: class weights [C] or null, ignoreIndex, labelSmoothing in [0, 1), reduction as PyTorch
     * (MEAN divides by the summed weights of the non-ignored targets).
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Tensor weight, int ignoreIndex,
            double labelSmoothing, Reduction reduction) {
        return CrossEntropy.apply(logits, target, weight, ignoreIndex, labelSmoothing, reduction);
    }

    /** Negative log-likelihood of log-probabilities [N, C] (or [N, C, d...]) at INT64 targets. */
    public static Tensor nllLoss(Tensor logProbs, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        return NllLoss.apply(logProbs, target, weight, ignoreIndex, reduction);
    }

    /** {@code x W^T + b} for x [..., in], W [out, in], b [out] or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return Addmm.apply(x, weight, bias);
    }

    /** The [out, in] averaging matrix of adaptive pooling along one dim (PyTorch's window bounds). */
    private static io.ember.tensor.NDArray poolMatrix(int out, int in) {
        double[] m = new double[out * in];
        for (int i = 0; i < out; i++) {
            int start = (int) Math.floorDiv((long) i * in, out);
            int end = (int) -Math.floorDiv(-(long) (i + 1) * in, out);
            for (int j = start; j < end; j++) {
                m[i * in + j] = 1.0 / (end - start);
            }
        }
        return io.ember.tensor.NDArray.of(m, out, in);
    }
}
