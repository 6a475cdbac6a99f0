package io.ember.tensor;

import java.util.Arrays;

/**
 * Raw kernels the nn layers need: 2-D convolution, max and average pooling, embedding lookup, each
 * with its backward. Shapes and argument rules follow PyTorch ({@code torch.nn.functional}).
 * Inputs may be any view; integer inputs are converted to FLOAT32, and mixed FLOAT32 / FLOAT64
 * operands compute in FLOAT64. Spatial arguments ({@code stride}, {@code padding}, ...) take one
 * value for both dims or {@code {h, w}}; {@code null} means the default.
 */
public final class NNOps {
    private NNOps() {
    }

    // ------------------------------------------------------------------ argument helpers

    private static String s(int[] shape) {
        return Arrays.toString(shape);
    }

    /** {h, w} from one or two values; {@code def} when null. */
    private static int[] pair(String op, String name, int[] v, int def, int min) {
        int[] r;
        if (v == null) {
            r = new int[] {def, def};
        } else if (v.length == 1) {
            r = new int[] {v[0], v[0]};
        } else if (v.length == 2) {
            r = v.clone();
        } else {
            throw new IllegalArgumentException(op + ": " + name + " must have 1 or 2 values, got " + s(v));
        }
        if (r[0] < min || r[1] < min) {
            throw new IllegalArgumentException(op + ": " + name + " must be " + (min == 0 ? "non-negative" : "positive")
                    + ", got " + s(r));
        }
        return r;
    }

    private static void check4d(String op, String what, NDArray x) {
        if (x.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected 4-D " + what + ", got " + s(x.shape));
        }
    }

    private static void check4d(String op, String what, int[] shape) {
        if (shape == null || shape.length != 4) {
            throw new IllegalArgumentException(op + ": expected a 4-D " + what + ", got "
                    + (shape == null ? "null" : s(shape)));
        }
        Shape.check(op, shape);
    }

    private static DType floating(DType a, DType b) {
        return DType.promote(a, b).toFloating();
    }

    /** The conv2d params array; validates geometry and returns the output shape in {@code outShape}. */
    private static int[] convParams(String op, int[] in, int[] wt, int[] stride, int[] padding, int[] dilation,
            int groups, int[] outShape) {
        int[] st = pair(op, "stride", stride, 1, 1);
        int[] pd = pair(op, "padding", padding, 0, 0);
        int[] dl = pair(op, "dilation", dilation, 1, 1);
        if (groups < 1) {
            throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        }
        if (wt[0] % groups != 0) {
            throw new IllegalArgumentException(op + ": weight " + s(wt) + " has " + wt[0]
                    + " output channels, which is not divisible by groups " + groups);
        }
        if (in[1] != wt[1] * groups) {
            throw new IllegalArgumentException(op + ": expected input " + s(in) + " to have " + wt[1] * groups
                    + " channels (weight " + s(wt) + ", groups " + groups + "), got " + in[1]);
        }
        int[] out = {in[0], wt[0], 0, 0};
        for (int d = 0; d < 2; d++) {
            int padded = in[2 + d] + 2 * pd[d];
            int span = dl[d] * (wt[2 + d] - 1) + 1;
            if (span > padded) {
                throw new IllegalArgumentException(op + ": kernel " + s(new int[] {wt[2], wt[3]}) + " (dilated to "
                        + s(new int[] {dl[0] * (wt[2] - 1) + 1, dl[1] * (wt[3] - 1) + 1})
                        + ") is larger than the padded input " + s(new int[] {in[2] + 2 * pd[0], in[3] + 2 * pd[1]})
                        + " (input " + s(in) + ", weight " + s(wt) + ")");
            }
            out[2 + d] = (padded - span) / st[d] + 1;
        }
        System.arraycopy(out, 0, outShape, 0, 4);
        return new int[] {st[0], st[1], pd[0], pd[1], dl[0], dl[1], groups};
    }

    // ------------------------------------------------------------------ convolution

    /** conv2d with stride 1, no padding, dilation 1 and one group. */
    public static NDArray conv2d(NDArray input, NDArray weight, NDArray bias) {
        return conv2d(input, weight, bias, null, null, null, 1);
    }

    /**
     * 2-D cross-correlation: input {@code [N, C, H, W]}, weight {@code [O, C/groups, kH, kW]}, bias
     * {@code [O]} or null; returns {@code [N, O, oH, oW]} with
     * {@code oH = (H + 2 padH - dilH (kH - 1) - 1) / strideH + 1}.
     */
    public static NDArray conv2d(NDArray input, NDArray weight, NDArray bias, int[] stride, int[] padding,
            int[] dilation, int groups) {
        String op = "conv2d";
        check4d(op, "input [N, C, H, W]", input);
        check4d(op, "weight [O, C/groups, kH, kW]", weight);
        Views.checkSameDevice(op, input, weight);
        int[] outShape = new int[4];
        int[] params = convParams(op, input.shape, weight.shape, stride, padding, dilation, groups, outShape);
        DType t = floating(input.dtype, weight.dtype);
        if (bias != null) {
            Views.checkSameDevice(op, input, bias);
            if (bias.dim() != 1 || bias.shape[0] != weight.shape[0]) {
                throw new IllegalArgumentException(op + ": expected bias of shape [" + weight.shape[0] + "] (weight "
                        + s(weight.shape) + "), got " + s(bias.shape));
            }
            t = floating(t, bias.dtype);
        }
        NDArray out = NDArray.allocate(t, input.device(), outShape);
        if (out.numel() == 0) {
            return out;
        }
        input.backend().conv2d(input.to(t).contiguous(), weight.to(t).contiguous(),
                bias == null ? null : bias.to(t).contiguous(), params, out);
        return out;
    }

    /** The gradient of {@link #conv2d} with respect to its input, of shape {@code inputShape}. */
    public static NDArray conv2dBackwardInput(NDArray gradOut, NDArray weight, int[] inputShape, int[] stride,
            int[] padding, int[] dilation, int groups) {
        String op = "conv2dBackwardInput";
        check4d(op, "gradOut", gradOut);
        check4d(op, "weight [O, C/groups, kH, kW]", weight);
        check4d(op, "input shape", inputShape);
        Views.checkSameDevice(op, gradOut, weight);
        int[] outShape = new int[4];
        int[] params = convParams(op, inputShape, weight.shape, stride, padding, dilation, groups, outShape);
        checkGradOut(op, gradOut, outShape);
        DType t = floating(gradOut.dtype, weight.dtype);
        NDArray gradInput = NDArray.allocate(t, gradOut.device(), inputShape.clone());
        if (gradInput.numel() == 0 || gradOut.numel() == 0) {
            return gradInput;
        }
        gradOut.backend().conv2dBackwardInput(gradOut.to(t).contiguous(), weight.to(t).contiguous(), params,
                gradInput);
        return gradInput;
    }

    /** The gradient of {@link #conv2d} with respect to its weight, of shape {@code weightShape}. */
    public static NDArray conv2dBackwardWeight(NDArray gradOut, NDArray input, int[] weightShape, int[] stride,
            int[] padding, int[] dilation, int groups) {
        String op = "conv2dBackwardWeight";
        check4d(op, "gradOut", gradOut);
        check4d(op, "input [N, C, H, W]", input);
        check4d(op, "weight shape", weightShape);
        Views.checkSameDevice(op, gradOut, input);
        int[] outShape = new int[4];
        int[] params = convParams(op, input.shape, weightShape, stride, padding, dilation, groups, outShape);
        checkGradOut(op, gradOut, outShape);
        DType t = floating(gradOut.dtype, input.dtype);
        NDArray gradWeight = NDArray.allocate(t, gradOut.device(), weightShape.clone());
        if (gradWeight.numel() == 0 || gradOut.numel() == 0) {
            return gradWeight;
        }
        gradOut.backend().conv2dBackwardWeight(gradOut.to(t).contiguous(), input.to(t).contiguous(), params,
                gradWeight);
        return gradWeight;
    }

    /** The gradient of {@link #conv2d} with respect to its bias: gradOut summed over dims 0, 2 and 3. */
    public static NDArray conv2dBackwardBias(NDArray gradOut) {
        check4d("conv2dBackwardBias", "gradOut", gradOut);
        return gradOut.to(gradOut.dtype.toFloating()).sum(new int[] {0, 2, 3}, false);
    }

    private static void checkGradOut(String op, NDArray gradOut, int[] expected) {
        if (!Arrays.equals(gradOut.shape, expected)) {
            throw new IllegalArgumentException(op + ": expected gradOut of shape " + s(expected) + ", got "
                    + s(gradOut.shape));
        }
    }

    // ------------------------------------------------------------------ pooling

    /** PyTorch's pooling output size: floor (or ceil, keeping the last window inside input + left pad). */
    private static int poolOut(int in, int k, int pad, int stride, int dil, boolean ceil) {
        long num = (long) in + 2L * pad - (long) dil * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        long out = Math.floorDiv(num, (long) stride) + 1;
        if (ceil && (out - 1) * stride >= (long) in + pad) {
            out--;
        }
        return (int) out;
    }

    /** Validates pooling geometry; returns {kH, kW, sH, sW, pH, pW, dH, dW, oH, oW}. */
    private static int[] poolGeometry(String op, int[] in, int[] kernel, int[] stride, int[] padding,
            int[] dilation, boolean ceilMode) {
        if (kernel == null) {
            throw new IllegalArgumentException(op + ": kernel size is required");
        }
        int[] k = pair(op, "kernel size", kernel, 1, 1);
        int[] st = stride == null || stride.length == 0 ? k : pair(op, "stride", stride, 1, 1);
        int[] pd = pair(op, "padding", padding, 0, 0);
        int[] dl = pair(op, "dilation", dilation, 1, 1);
        if (pd[0] > k[0] / 2 || pd[1] > k[1] / 2) {
            throw new IllegalArgumentException(op + ": padding should be at most half of the kernel size, got padding "
                    + s(pd) + " for kernel " + s(k));
        }
        int oh = poolOut(in[2], k[0], pd[0], st[0], dl[0], ceilMode);
        int ow = poolOut(in[3], k[1], pd[1], st[1], dl[1], ceilMode);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException(op + ": input " + s(in) + " is too small for kernel " + s(k)
                    + " (padding " + s(pd) + ", dilation " + s(dl) + "): output size would be " + s(new int[] {oh, ow}));
        }
        return new int[] {k[0], k[1], st[0], st[1], pd[0], pd[1], dl[0], dl[1], oh, ow};
    }

    /**
     * 2-D max pooling over {@code [N, C, H, W]}; {@code stride} null means the kernel size. Returns
     * the maxima and, as INT64, the flat {@code h * W + w} position of each within its plane (the
     * first one on ties).
     */
    public static ValuesIndices maxPool2d(NDArray input, int[] kernel, int[] stride, int[] padding, int[] dilation,
            boolean ceilMode) {
        check4d("maxPool2d", "input [N, C, H, W]", input);
        int[] g = poolGeometry("maxPool2d", input.shape, kernel, stride, padding, dilation, ceilMode);
        DType t = input.dtype.toFloating();
        int[] outShape = {input.shape[0], input.shape[1], g[8], g[9]};
        NDArray out = NDArray.allocate(t, input.device(), outShape);
        NDArray indices = NDArray.allocate(DType.INT64, input.device(), outShape.clone());
        if (out.numel() > 0) {
            input.backend().maxPool2d(input.to(t).contiguous(), Arrays.copyOf(g, 8), out, indices);
        }
        return new ValuesIndices(out, indices);
    }

    /** The gradient of {@link #maxPool2d}: gradOut scattered (added) at the saved indices. */
    public static NDArray maxPool2dBackward(NDArray gradOut, NDArray indices, int[] inputShape) {
        String op = "maxPool2dBackward";
        check4d(op, "gradOut", gradOut);
        check4d(op, "input shape", inputShape);
        Views.checkSameDevice(op, gradOut, indices);
        if (!Arrays.equals(gradOut.shape, indices.shape)) {
            throw new IllegalArgumentException(op + ": gradOut " + s(gradOut.shape) + " and indices "
                    + s(indices.shape) + " differ in shape");
        }
        if (indices.dtype != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected " + DType.INT64 + " indices, got " + indices.dtype);
        }
        if (gradOut.shape[0] != inputShape[0] || gradOut.shape[1] != inputShape[1]) {
            throw new IllegalArgumentException(op + ": gradOut " + s(gradOut.shape) + " does not match input shape "
                    + s(inputShape) + " in the first two dims");
        }
        DType t = gradOut.dtype.toFloating();
        NDArray gradInput = NDArray.allocate(t, gradOut.device(), inputShape.clone());
        if (gradOut.numel() > 0) {
            gradOut.backend().maxPool2dBackward(gradOut.to(t).contiguous(), indices.contiguous(), gradInput);
        }
        return gradInput;
    }

    /** The params array of the avgPool2d kernels; also checks gradOut against the output shape. */
    private static int[] avgParams(String op, int[] in, int[] kernel, int[] stride, int[] padding,
            boolean ceilMode, boolean countIncludePad, int divisorOverride, int[] outShape) {
        if (divisorOverride < 0) {
            throw new IllegalArgumentException(op + ": divisorOverride must be positive (or 0 for none), got "
                    + divisorOverride);
        }
        int[] g = poolGeometry(op, in, kernel, stride, padding, null, ceilMode);
        outShape[0] = in[0];
        outShape[1] = in[1];
        outShape[2] = g[8];
        outShape[3] = g[9];
        return new int[] {g[0], g[1], g[2], g[3], g[4], g[5], countIncludePad ? 1 : 0, divisorOverride};
    }

    /**
     * 2-D average pooling; {@code stride} null means the kernel size. {@code countIncludePad} counts
     * zero padding in the divisor; {@code divisorOverride} (0 = none) replaces the divisor.
     */
    public static NDArray avgPool2d(NDArray input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
            boolean countIncludePad, int divisorOverride) {
        check4d("avgPool2d", "input [N, C, H, W]", input);
        int[] outShape = new int[4];
        int[] params = avgParams("avgPool2d", input.shape, kernel, stride, padding, ceilMode, countIncludePad,
                divisorOverride, outShape);
        DType t = input.dtype.toFloating();
        NDArray out = NDArray.allocate(t, input.device(), outShape);
        if (out.numel() > 0) {
            input.backend().avgPool2d(input.to(t).contiguous(), params, out);
        }
        return out;
    }

    /** The gradient of {@link #avgPool2d} with respect to its input, of shape {@code inputShape}. */
    public static NDArray avgPool2dBackward(NDArray gradOut, int[] inputShape, int[] kernel, int[] stride,
            int[] padding, boolean ceilMode, boolean countIncludePad, int divisorOverride) {
        String op = "avgPool2dBackward";
        check4d(op, "gradOut", gradOut);
        check4d(op, "input shape", inputShape);
        int[] outShape = new int[4];
        int[] params = avgParams(op, inputShape, kernel, stride, padding, ceilMode, countIncludePad, divisorOverride,
                outShape);
        checkGradOut(op, gradOut, outShape);
        DType t = gradOut.dtype.toFloating();
        NDArray gradInput = NDArray.allocate(t, gradOut.device(), inputShape.clone());
        if (gradOut.numel() > 0) {
            gradOut.backend().avgPool2dBackward(gradOut.to(t).contiguous(), params, gradInput);
        }
        return gradInput;
    }

    // ------------------------------------------------------------------ embedding

    private static void checkIndices(String op, NDArray indices) {
        if (indices.dtype != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected " + DType.INT64 + " indices, got " + indices.dtype);
        }
    }

    /** Range check with the embedding ops' own message (before the index kernels see the indices). */
    private static void checkRange(String op, NDArray indices, int count) {
        if (!indices.device().isCpu()) {
            // on a device: one flag comes back (one synchronisation), not the indices; only a bad index pays more
            if (indices.numel() == 0 || indices.lt(0).logicalOr(indices.ge(count)).any().item() == 0) {
                return;
            }
        }
        for (long i : indices.toLongArray()) {
            if (i < 0 || i >= count) {
                throw new IllegalArgumentException(op + ": index " + i + " is out of range for " + count + " embeddings");
            }
        }
    }

    /** Rows of {@code weight [V, D]} picked by INT64 {@code indices} of any shape: {@code [...indices, D]}. */
    public static NDArray embedding(NDArray weight, NDArray indices) {
        String op = "embedding";
        if (weight.dim() != 2) {
            throw new IllegalArgumentException(op + ": expected a 2-D weight [V, D], got " + s(weight.shape));
        }
        checkIndices(op, indices);
        Views.checkSameDevice(op, weight, indices);
        checkRange(op, indices, weight.shape[0]);
        int[] outShape = Arrays.copyOf(indices.shape, indices.dim() + 1);
        outShape[indices.dim()] = weight.shape[1];
        return weight.indexSelect(0, indices.reshape(-1)).view(outShape);
    }

    /**
     * The gradient of {@link #embedding} with respect to its weight: {@code [numEmbeddings, D]}, rows
     * of gradOut {@code [...indices, D]} added at their indices (duplicates accumulate); the row
     * {@code paddingIdx} (-1 for none) stays zero.
     */
    public static NDArray embeddingBackward(NDArray gradOut, NDArray indices, int numEmbeddings, int paddingIdx) {
        String op = "embeddingBackward";
        checkIndices(op, indices);
        Views.checkSameDevice(op, gradOut, indices);
        if (numEmbeddings < 0) {
            throw new IllegalArgumentException(op + ": numEmbeddings must be non-negative, got " + numEmbeddings);
        }
        if (paddingIdx < -1 || paddingIdx >= numEmbeddings) {
            throw new IllegalArgumentException(op + ": paddingIdx " + paddingIdx + " is out of range for "
                    + numEmbeddings + " embeddings (-1 for none)");
        }
        if (gradOut.dim() != indices.dim() + 1
                || !Arrays.equals(Arrays.copyOf(gradOut.shape, indices.dim()), indices.shape)) {
            throw new IllegalArgumentException(op + ": expected gradOut of shape " + s(indices.shape)
                    + " + [D] (indices " + s(indices.shape) + "), got " + s(gradOut.shape));
        }
        if (indices.device().isCpu()) { // on a device the forward pass checked these very indices
            checkRange(op, indices, numEmbeddings);
        }
        int d = gradOut.shape[indices.dim()];
        DType t = gradOut.dtype.toFloating();
        NDArray out = NDArray.allocate(t, gradOut.device(), new int[] {numEmbeddings, d});
        out.indexAddInPlace(0, indices.reshape(-1), gradOut.to(t).reshape(-1, d));
        if (paddingIdx >= 0) {
            out.select(0, paddingIdx).zeroInPlace();
        }
        return out;
    }

    /**
     * The gradient of {@code relu}: {@code gradOut} where {@code output} (relu's result) is positive, else 0 (0 at
     * 0, like PyTorch).
     */
    public static NDArray reluBackward(NDArray gradOut, NDArray output) {
        String op = "reluBackward";
        if (!java.util.Arrays.equals(gradOut.shape, output.shape)) {
            throw new IllegalArgumentException(op + ": gradient " + gradOut.shape() + " and output " + output.shape()
                    + " differ in shape");
        }
        Views.checkSameDevice(op, gradOut, output);
        DType t = DType.promote(gradOut.dtype, output.dtype);
        NDArray out = NDArray.allocate(t, gradOut.device(), gradOut.shape.clone());
        if (out.numel() > 0) {
            gradOut.backend().reluBackward(gradOut.to(t), output.to(t), out);
        }
        return out;
    }
}
