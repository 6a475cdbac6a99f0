package io.ember.nn.functional;

import io.ember.autograd.Autograd;
import io.ember.autograd.Functions;
import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.Arrays;

/**
 * The layers and losses as functions, like {@code torch.nn.functional}; the {@code io.ember.nn} layers call these.
 * Arguments are checked here (shapes, ranges) with messages that name the function; the kernels are the
 * differentiable primitives of {@link Functions} and the ops of {@link Tensor}.
 *
 * <pre>{@code
 * Tensor h = F.relu(F.linear(x, w1, b1));
 * Tensor loss = F.crossEntropy(F.linear(h, w2, b2), labels);
 * }</pre>
 */
public final class F {
    private F() {
    }

    // ---------------------------------------------------------------- linear and convolution

    /** {@code x W^T + b} for x [..., in], W [out, in], b [out] or null. */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("linear: expected weight [out, in], got " + weight.shape());
        }
        if (x.dim() < 1 || x.size(-1 + x.dim()) != weight.size(1)) {
            throw new IllegalArgumentException("linear: expected input [..., " + weight.size(1) + "], got "
                    + x.shape());
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("linear: expected bias [" + weight.size(0) + "], got " + bias.shape());
        }
        return Functions.linear(x, weight, bias);
    }

    /** 2-D convolution with stride 1, no padding, no dilation, one group. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv2d(input, weight, bias, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1);
    }

    /**
     * 2-D convolution (cross-correlation) of input [N, C, H, W] (or unbatched [C, H, W]) with weight
     * [O, C/groups, kH, kW] and bias [O] or null.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
            int[] dilation, int groups) {
        checkPair("conv2d", "stride", stride, 1);
        checkPair("conv2d", "padding", padding, 0);
        checkPair("conv2d", "dilation", dilation, 1);
        if (weight.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected weight [out, in/groups, kH, kW], got "
                    + weight.shape());
        }
        if (groups < 1 || weight.size(0) % groups != 0) {
            throw new IllegalArgumentException("conv2d: groups must be positive and divide the " + weight.size(0)
                    + " output channels, got " + groups);
        }
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        int c = weight.size(1) * groups;
        if (x.dim() != 4 || x.size(1) != c) {
            throw new IllegalArgumentException("conv2d: expected input [N, " + c + ", H, W] or [" + c
                    + ", H, W], got " + input.shape());
        }
        for (int d = 0; d < 2; d++) {
            int eff = dilation[d] * (weight.size(2 + d) - 1) + 1;
            if (x.size(2 + d) + 2 * padding[d] < eff) {
                throw new IllegalArgumentException("conv2d: input " + input.shape() + " padded by "
                        + Arrays.toString(padding) + " is smaller than the dilated kernel " + weight.shape());
            }
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != weight.size(0))) {
            throw new IllegalArgumentException("conv2d: expected bias [" + weight.size(0) + "], got " + bias.shape());
        }
        Tensor y = Functions.conv2d(x, weight, bias, stride, padding, dilation, groups);
        return unbatched ? y.squeeze(0) : y;
    }

    /**
     * 1-D convolution of input [N, C, L] (or [C, L]) with weight [O, C/groups, K], computed as a 2-D convolution
     * over [N, C, 1, L].
     */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation,
            int groups) {
        if (weight.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected weight [out, in/groups, k], got " + weight.shape());
        }
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected input [N, C, L] or [C, L], got " + input.shape());
        }
        int h = input.dim() - 1;
        Tensor y = conv2d(input.unsqueeze(h), weight.unsqueeze(2), bias, new int[] {1, stride},
                new int[] {0, padding}, new int[] {1, dilation}, groups);
        return y.squeeze(h);
    }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
        return conv1d(input, weight, bias, 1, 0, 1, 1);
    }

    // ---------------------------------------------------------------- pooling

    /** Max pooling with a square kernel, stride = kernel. */
    public static Tensor maxPool2d(Tensor input, int kernel) {
        return maxPool2d(input, new int[] {kernel, kernel}, null, new int[] {0, 0}, new int[] {1, 1}, false);
    }

    /** Max pooling over [N, C, H, W] (or [C, H, W]); stride null means the kernel size. */
    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
            boolean ceilMode) {
        checkPair("maxPool2d", "kernel", kernel, 1);
        int[] s = stride == null ? kernel : stride;
        checkPair("maxPool2d", "stride", s, 1);
        checkPair("maxPool2d", "padding", padding, 0);
        checkPair("maxPool2d", "dilation", dilation, 1);
        for (int d = 0; d < 2; d++) {
            if (padding[d] * 2 > kernel[d]) {
                throw new IllegalArgumentException("maxPool2d: padding " + Arrays.toString(padding)
                        + " must be at most half the kernel " + Arrays.toString(kernel));
            }
        }
        return pool4d("maxPool2d", input, x -> Functions.maxPool2d(x, kernel, s, padding, dilation, ceilMode));
    }

    /** Average pooling with a square kernel, stride = kernel. */
    public static Tensor avgPool2d(Tensor input, int kernel) {
        return avgPool2d(input, new int[] {kernel, kernel}, null, new int[] {0, 0}, false, true, 0);
    }

    /**
     * Average pooling over [N, C, H, W] (or [C, H, W]); stride null means the kernel size; divisorOverride 0 means
     * none (divide by the window size, with or without padding per countIncludePad).
     */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
            boolean countIncludePad, int divisorOverride) {
        checkPair("avgPool2d", "kernel", kernel, 1);
        int[] s = stride == null ? kernel : stride;
        checkPair("avgPool2d", "stride", s, 1);
        checkPair("avgPool2d", "padding", padding, 0);
        if (divisorOverride < 0) {
            throw new IllegalArgumentException("avgPool2d: divisorOverride must be positive (0 for none), got "
                    + divisorOverride);
        }
        for (int d = 0; d < 2; d++) {
            if (padding[d] * 2 > kernel[d]) {
                throw new IllegalArgumentException("avgPool2d: padding " + Arrays.toString(padding)
                        + " must be at most half the kernel " + Arrays.toString(kernel));
            }
        }
        return pool4d("avgPool2d", input,
                x -> Functions.avgPool2d(x, kernel, s, padding, ceilMode, countIncludePad, divisorOverride));
    }

    /** Adaptive average pooling of [N, C, H, W] (or [C, H, W]) to outH x outW. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: output size must be positive, got [" + outH + ", "
                    + outW + "]");
        }
        return pool4d("adaptiveAvgPool2d", input, x -> Functions.adaptiveAvgPool2d(x, outH, outW));
    }

    private static Tensor pool4d(String op, Tensor input, java.util.function.UnaryOperator<Tensor> f) {
        if (input.dim() == 3) {
            return f.apply(input.unsqueeze(0)).squeeze(0);
        }
        if (input.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected input [N, C, H, W] or [C, H, W], got "
                    + input.shape());
        }
        return f.apply(input);
    }

    // ---------------------------------------------------------------- normalisation

    /**
     * Batch normalisation over dim 1 of [N, C, ...], like {@code F.batch_norm}. In training the batch's mean and
     * biased variance normalise, and the running statistics (when given) are updated in place with
     * {@code running = (1 - momentum) running + momentum batch}, the variance unbiased; otherwise the running
     * statistics normalise. weight and bias [C] may be null.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
            boolean training, double momentum, double eps) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("batchNorm: expected input [N, C, ...], got " + input.shape());
        }
        int c = input.size(1);
        for (Tensor t : new Tensor[] {runningMean, runningVar, weight, bias}) {
            if (t != null && (t.dim() != 1 || t.size(0) != c)) {
                throw new IllegalArgumentException("batchNorm: expected statistics and affine parameters of shape ["
                        + c + "] for input " + input.shape() + ", got " + t.shape());
            }
        }
        int[] dims = new int[input.dim() - 1];
        int[] bshape = new int[input.dim()];
        Arrays.fill(bshape, 1);
        bshape[1] = c;
        dims[0] = 0;
        for (int d = 2; d < input.dim(); d++) {
            dims[d - 1] = d;
        }
        Tensor y;
        if (training) {
            long n = input.numel() / Math.max(1, c);
            if (n <= 1) {
                throw new IllegalArgumentException("batchNorm: expected more than 1 value per channel when "
                        + "training, got input " + input.shape());
            }
            Tensor mean = input.mean(dims, true);
            Tensor centred = input.sub(mean);
            Tensor var = centred.mul(centred).mean(dims, true);
            y = centred.mul(var.add(eps).pow(-0.5));
            try (Autograd.Scope s = Autograd.noGrad()) {
                if (runningMean != null) {
                    NDArray m = mean.data().reshape(c).to(runningMean.dtype());
                    runningMean.data().mulInPlace(1 - momentum).addInPlace(m, momentum);
                }
                if (runningVar != null) {
                    NDArray v = var.data().reshape(c).mul((double) n / (n - 1)).to(runningVar.dtype());
                    runningVar.data().mulInPlace(1 - momentum).addInPlace(v, momentum);
                }
            }
        } else {
            if (runningMean == null || runningVar == null) {
                throw new IllegalArgumentException("batchNorm: evaluation needs running mean and variance");
            }
            Tensor mean = runningMean.to(input.dtype()).reshape(bshape);
            Tensor var = runningVar.to(input.dtype()).reshape(bshape);
            y = input.sub(mean).mul(var.add(eps).pow(-0.5));
        }
        if (weight != null) {
            y = y.mul(weight.reshape(bshape));
        }
        if (bias != null) {
            y = y.add(bias.reshape(bshape));
        }
        return y;
    }

    /** Layer normalisation over the trailing {@code normalizedShape} dims (biased variance); weight/bias may be null. */
    public static Tensor layerNorm(Tensor input, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length;
        int[] in = input.sizes();
        boolean ok = k >= 1 && in.length >= k
                && Arrays.equals(Arrays.copyOfRange(in, in.length - k, in.length), normalizedShape);
        if (!ok) {
            throw new IllegalArgumentException("layerNorm: expected input [..., "
                    + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "") + "], got " + input.shape());
        }
        for (Tensor t : new Tensor[] {weight, bias}) {
            if (t != null && !Arrays.equals(t.sizes(), normalizedShape)) {
                throw new IllegalArgumentException("layerNorm: expected weight and bias "
                        + Arrays.toString(normalizedShape) + ", got " + t.shape());
            }
        }
        int[] dims = new int[k];
        for (int i = 0; i < k; i++) {
            dims[i] = in.length - k + i;
        }
        Tensor centred = input.sub(input.mean(dims, true));
        Tensor var = centred.mul(centred).mean(dims, true);
        Tensor y = centred.mul(var.add(eps).pow(-0.5));
        if (weight != null) {
            y = y.mul(weight);
        }
        if (bias != null) {
            y = y.add(bias);
        }
        return y;
    }

    // ---------------------------------------------------------------- dropout and embedding

    /** Inverted dropout from the global generator. */
    public static Tensor dropout(Tensor input, double p, boolean training) {
        return dropout(input, p, training, Generator.global());
    }

    /** Zeroes elements with probability p and scales the rest by 1/(1-p) when training; identity otherwise. */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator g) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout: probability must be in [0, 1], got " + p);
        }
        if (!training || p == 0) {
            return input;
        }
        return Functions.dropout(input, p, training, g);
    }

    /** Rows of weight [V, D] at INT64 indices of any shape; output [..., D]. */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return embedding(indices, weight, -1);
    }

    /** As {@link #embedding(Tensor, Tensor)}; row {@code paddingIdx} (-1 for none) gets no gradient. */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
        if (weight.dim() != 2) {
            throw new IllegalArgumentException("embedding: expected weight [num, dim], got " + weight.shape());
        }
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("embedding: expected INT64 indices, got " + indices.dtype());
        }
        if (indices.device().isCpu()) { // on a device NNOps.embedding checks with a single synchronisation
            checkRange("embedding", indices.data(), weight.size(0), Long.MIN_VALUE, "embeddings");
        }
        return Functions.embedding(weight, indices, paddingIdx);
    }

    /** One-hot INT64 encoding [..., numClasses] of INT64 indices; numClasses -1 means max + 1. */
    public static Tensor oneHot(Tensor indices, int numClasses) {
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException("oneHot: expected INT64 indices, got " + indices.dtype());
        }
        NDArray idx = indices.data();
        if (numClasses == -1) {
            numClasses = idx.numel() == 0 ? 0 : (int) idx.max().item() + 1;
        }
        checkRange("oneHot", idx, numClasses, Long.MIN_VALUE, "classes");
        int[] shape = Arrays.copyOf(idx.shape().toArray(), idx.dim() + 1);
        shape[idx.dim()] = numClasses;
        if (idx.numel() == 0) {
            return Tensor.of(NDArray.zeros(DType.INT64, idx.device(), shape));
        }
        return Tensor.of(NDArray.zeros(DType.INT64, idx.device(), shape).scatter(idx.dim(), idx.unsqueeze(idx.dim()), 1.0));
    }

    // ---------------------------------------------------------------- activations

    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return x.leakyRelu(negativeSlope);
    }

    public static Tensor elu(Tensor x, double alpha) {
        return x.elu(alpha);
    }

    /** GELU with approximate "none" (exact, erf) or "tanh". */
    public static Tensor gelu(Tensor x, String approximate) {
        if ("none".equals(approximate)) {
            return x.gelu();
        }
        if ("tanh".equals(approximate)) {
            return x.geluTanh();
        }
        throw new IllegalArgumentException("gelu: approximate must be 'none' or 'tanh', got '" + approximate + "'");
    }

    public static Tensor gelu(Tensor x) {
        return x.gelu();
    }

    public static Tensor silu(Tensor x) {
        return x.silu();
    }

    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    // ---------------------------------------------------------------- losses

    /** Mean cross-entropy of logits [N, C] against INT64 class indices [N]. */
    public static Tensor crossEntropy(Tensor input, Tensor target) {
        return crossEntropy(input, target, null, -100, 0.0, Reduction.MEAN);
    }

    /**
     * Cross-entropy of logits [N, C, d...] (or [C]) against INT64 class indices [N, d...] (or []) or against class
     * probabilities of the input's shape, like {@code F.cross_entropy}: class weights [C] or null, targets equal to
     * ignoreIndex contribute nothing, labelSmoothing in [0, 1] mixes the target with the uniform distribution. MEAN
     * divides by the summed weights of the non-ignored targets (by the batch size for probability targets).
     */
    public static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex,
            double labelSmoothing, Reduction reduction) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("crossEntropy: labelSmoothing must be in [0, 1], got "
                    + labelSmoothing);
        }
        if (input.dim() == 1) {
            Tensor out = crossEntropy(input.unsqueeze(0), target.unsqueeze(0), weight, ignoreIndex, labelSmoothing,
                    reduction);
            return reduction == Reduction.NONE ? out.squeeze(0) : out;
        }
        checkWeight("crossEntropy", input, weight);
        if (target.dtype().isFloating()) {
            if (!target.shape().equals(input.shape())) {
                throw new IllegalArgumentException("crossEntropy: class-probability target must have the input's "
                        + "shape " + input.shape() + ", got " + target.shape());
            }
            int c = input.size(1);
            Tensor t = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / c) : target;
            if (weight != null) {
                int[] bshape = new int[input.dim()];
                Arrays.fill(bshape, 1);
                bshape[1] = c;
                t = t.mul(weight.reshape(bshape));
            }
            Tensor loss = t.mul(input.logSoftmax(1)).sum(1).neg();
            return reduce(loss, reduction);
        }
        checkClassTarget("crossEntropy", input, target, ignoreIndex);
        return Functions.crossEntropy(input, target, weight, ignoreIndex, labelSmoothing, reduction);
    }

    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, -100, Reduction.MEAN);
    }

    /** Negative log-likelihood of log-probabilities [N, C, d...] at INT64 targets [N, d...], like F.nll_loss. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        if (input.dim() == 1) {
            Tensor out = nllLoss(input.unsqueeze(0), target.unsqueeze(0), weight, ignoreIndex, reduction);
            return reduction == Reduction.NONE ? out.squeeze(0) : out;
        }
        checkWeight("nllLoss", input, weight);
        checkClassTarget("nllLoss", input, target, ignoreIndex);
        return Functions.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** (input - target)^2, reduced. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("mseLoss", input, target);
        Tensor d = input.sub(target);
        return reduce(d.mul(d), reduction);
    }

    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /** |input - target|, reduced. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        checkSameShape("l1Loss", input, target);
        return reduce(input.sub(target).abs(), reduction);
    }

    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, Reduction.MEAN, 1.0);
    }

    /** Huber-like loss: 0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta elsewhere (beta 0: L1), reduced. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, Reduction reduction, double beta) {
        checkSameShape("smoothL1Loss", input, target);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("smoothL1Loss: beta must be >= 0, got " + beta);
        }
        return reduce(new PointwiseLosses.SmoothL1(beta).apply(input, target.to(input.dtype())), reduction);
    }

    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy of probabilities in [0, 1]: {@code -w (y log x + (1 - y) log(1 - x))} with each log
     * clamped at -100 like PyTorch; weight broadcasts to the input or is null.
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        checkSameShape("binaryCrossEntropy", input, target);
        if (input.numel() > 0) {
            double lo = input.data().min().item();
            double hi = input.data().max().item();
            if (!(lo >= 0 && hi <= 1)) {
                throw new IllegalArgumentException("binaryCrossEntropy: all elements of input should be between 0 "
                        + "and 1, found values in [" + lo + ", " + hi + "]");
            }
        }
        NDArray w = broadcastWeight("binaryCrossEntropy", "weight", weight, input);
        return reduce(new PointwiseLosses.BinaryCrossEntropy(w).apply(input, target.to(input.dtype())), reduction);
    }

    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target) {
        return binaryCrossEntropyWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * Sigmoid plus binary cross-entropy in one numerically stable formula; posWeight (broadcast over the last
     * dim, e.g. [C]) weights the positive term. weight and posWeight get no gradient.
     */
    public static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight,
            Reduction reduction) {
        checkSameShape("binaryCrossEntropyWithLogits", input, target);
        NDArray w = broadcastWeight("binaryCrossEntropyWithLogits", "weight", weight, input);
        NDArray pw = broadcastWeight("binaryCrossEntropyWithLogits", "posWeight", posWeight, input);
        return reduce(new PointwiseLosses.BinaryCrossEntropyWithLogits(w, pw).apply(input,
                target.to(input.dtype())), reduction);
    }

    // ---------------------------------------------------------------- helpers

    static Tensor reduce(Tensor loss, Reduction reduction) {
        switch (reduction) {
            case NONE:
                return loss;
            case SUM:
                return loss.sum();
            default:
                return loss.mean();
        }
    }

    private static void checkPair(String op, String name, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(op + ": " + name + " must be two values >= " + min + ", got "
                    + Arrays.toString(v));
        }
    }

    private static void checkSameShape(String op, Tensor input, Tensor target) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException(op + ": input " + input.shape() + " and target " + target.shape()
                    + " must have the same shape");
        }
    }

    private static void checkWeight(String op, Tensor input, Tensor weight) {
        if (weight != null && (weight.dim() != 1 || weight.size(0) != input.size(1))) {
            throw new IllegalArgumentException(op + ": expected class weights [" + input.size(1) + "] for input "
                    + input.shape() + ", got " + weight.shape());
        }
    }

    private static NDArray broadcastWeight(String op, String name, Tensor w, Tensor input) {
        if (w == null) {
            return null;
        }
        try {
            if (!NDArray.broadcastShapes(w.shape(), input.shape()).equals(input.shape())) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(op + ": " + name + " " + w.shape() + " does not broadcast to input "
                    + input.shape());
        }
        return w.data().to(input.dtype());
    }

    private static void checkClassTarget(String op, Tensor input, Tensor target, int ignoreIndex) {
        int[] in = input.sizes();
        int[] expected = new int[in.length - 1];
        expected[0] = in[0];
        System.arraycopy(in, 2, expected, 1, in.length - 2);
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected INT64 class indices as target, got "
                    + target.dtype());
        }
        if (!Arrays.equals(target.sizes(), expected)) {
            throw new IllegalArgumentException(op + ": expected target " + Arrays.toString(expected)
                    + " for input " + input.shape() + ", got " + target.shape());
        }
        if (target.device().isCpu()) { // on a device the loss checks the range itself, in its one synchronisation
            checkRange(op, target.data(), in[1], ignoreIndex, "classes");
        }
    }

    /** Throws if any value outside [0, n) other than {@code allowed} is present. */
    private static void checkRange(String op, NDArray idx, int n, long allowed, String what) {
        if (idx.numel() == 0) {
            return;
        }
        NDArray bad = idx.lt(0).logicalOr(idx.ge(n)).logicalAnd(idx.ne(allowed));
        if (bad.any().item() != 0) {
            long v = idx.maskedSelect(bad).toLongArray()[0];
            throw new IllegalArgumentException(op + ": index " + v + " is out of range for " + n + " " + what);
        }
    }
}
