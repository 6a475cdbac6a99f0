package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import io.ember.tensor.Generator;
import java.util.Map;

/**
 * 1-D convolution over [N, C, L] (or [C, L]), like {@code nn.Conv1d} with zero padding: weight
 * [out, in/groups, k], bias [out]; computed as a 2-D convolution of height 1. Initialised as PyTorch does, from
 * {@link Generator#global()} unless a generator is passed.
 */
public class Conv1d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernelSize;
    private final int stride;
    private final int padding;
    private final int dilation;
    private final int groups;
    private final Tensor weight;
    private final Tensor bias;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation,
            int groups, boolean bias) {
        this(inChannels, outChannels, kernelSize, stride, padding, dilation, groups, bias, Generator.global());
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation,
            int groups, boolean bias, Generator g) {
        Conv2d.checkChannels("Conv1d", inChannels, outChannels, groups);
        if (kernelSize < 1 || stride < 1 || padding < 0 || dilation < 1) {
            throw new IllegalArgumentException("Conv1d: expected kernelSize, stride, dilation >= 1 and padding >= 0,"
                    + " got kernelSize=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation="
                    + dilation);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        this.weight = registerParameter("weight", Tensor.zeros(outChannels, inChannels / groups, kernelSize));
        this.bias = registerParameter("bias", bias ? Tensor.zeros(outChannels) : null);
        resetParameters(g);
    }

    /** Re-initialises weight and bias as the constructor does. */
    public void resetParameters(Generator g) {
        Linear.resetLinearLike(weight, bias, g);
    }

    @Override
    public Tensor forward(Tensor input) {
        if ((input.dim() != 3 && input.dim() != 2) || input.size(input.dim() - 2) != inChannels) {
            throw new IllegalArgumentException("Conv1d: expected input [N, " + inChannels + ", L] or [" + inChannels
                    + ", L], got " + input.shape());
        }
        return F.conv1d(input, weight, bias, stride, padding, dilation, groups);
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

    static Conv1d fromConfig(Map<String, Object> c) {
        return new Conv1d(Cfg.i(c, "inChannels"), Cfg.i(c, "outChannels"), Cfg.i(c, "kernelSize"),
                Cfg.i(c, "stride"), Cfg.i(c, "padding"), Cfg.i(c, "dilation"), Cfg.i(c, "groups"), Cfg.b(c, "bias"));
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernelSize=" + kernelSize + ", stride=" + stride
                + (padding != 0 ? ", padding=" + padding : "") + (dilation != 1 ? ", dilation=" + dilation : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=false" : "");
    }
}
