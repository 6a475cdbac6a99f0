package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import io.ember.tensor.Generator;
import java.util.Arrays;
import java.util.Map;

/**
 * 2-D convolution over [N, C, H, W] (or [C, H, W]), like {@code nn.Conv2d} with zero padding: weight
 * [out, in/groups, kH, kW], bias [out]. Initialised as PyTorch does (kaiming-uniform a = sqrt(5), bias
 * U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn = in/groups * kH * kW), from {@link Generator#global()} unless a
 * generator is passed.
 */
public class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    /** Square kernel, stride 1, no padding. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0);
    }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[] {kernelSize, kernelSize}, new int[] {stride, stride},
                new int[] {padding, padding}, new int[] {1, 1}, 1, true, Generator.global());
    }

    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
            int groups, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, Generator.global());
    }

    /** All arguments as pairs {h, w}; initial values drawn from {@code g}. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
            int groups, boolean bias, Generator g) {
        checkChannels("Conv2d", inChannels, outChannels, groups);
        checkPair("Conv2d", "kernelSize", kernelSize, 1);
        checkPair("Conv2d", "stride", stride, 1);
        checkPair("Conv2d", "padding", padding, 0);
        checkPair("Conv2d", "dilation", dilation, 1);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.groups = groups;
        this.weight = registerParameter("weight",
                Tensor.zeros(outChannels, inChannels / groups, kernelSize[0], kernelSize[1]));
        this.bias = registerParameter("bias", bias ? Tensor.zeros(outChannels) : null);
        resetParameters(g);
    }

    static void checkChannels(String op, int in, int out, int groups) {
        if (in < 1 || out < 1 || groups < 1) {
            throw new IllegalArgumentException(op + ": channels and groups must be positive, got in=" + in + ", out="
                    + out + ", groups=" + groups);
        }
        if (in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException(op + ": groups=" + groups + " must divide in=" + in + " and out="
                    + out);
        }
    }

    static void checkPair(String op, String name, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw new IllegalArgumentException(op + ": " + name + " must be two values >= " + min + ", got "
                    + Arrays.toString(v));
        }
    }

    /** Re-initialises weight and bias as the constructor does. */
    public void resetParameters(Generator g) {
        Linear.resetLinearLike(weight, bias, g);
    }

    @Override
    public Tensor forward(Tensor input) {
        if ((input.dim() != 4 && input.dim() != 3) || input.size(input.dim() - 3) != inChannels) {
            throw new IllegalArgumentException("Conv2d: expected input [N, " + inChannels + ", H, W] or ["
                    + inChannels + ", H, W], got " + input.shape());
        }
        return F.conv2d(input, weight, bias, stride, padding, dilation, groups);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("inChannels", inChannels, "outChannels", outChannels, "kernelSize", kernelSize, "stride",
                stride, "padding", padding, "dilation", dilation, "groups", groups, "bias", bias != null);
    }

    static Conv2d fromConfig(Map<String, Object> c) {
        return new Conv2d(Cfg.i(c, "inChannels"), Cfg.i(c, "outChannels"), Cfg.ints(c, "kernelSize", 2),
                Cfg.ints(c, "stride", 2), Cfg.ints(c, "padding", 2), Cfg.ints(c, "dilation", 2), Cfg.i(c, "groups"),
                Cfg.b(c, "bias"));
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernelSize=").append(Cfg.pair(kernelSize)).append(", stride=").append(Cfg.pair(stride));
        if (padding[0] != 0 || padding[1] != 0) {
            sb.append(", padding=").append(Cfg.pair(padding));
        }
        if (dilation[0] != 1 || dilation[1] != 1) {
            sb.append(", dilation=").append(Cfg.pair(dilation));
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (bias == null) {
            sb.append(", bias=false");
        }
        return sb.toString();
    }
}
