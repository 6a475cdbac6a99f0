package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** Average pooling of [N, C, H, W] (or [C, H, W]) to a fixed [outH, outW], like {@code nn.AdaptiveAvgPool2d}. */
public class AdaptiveAvgPool2d extends Module {
    private final int[] outputSize;

    public AdaptiveAvgPool2d(int outputSize) {
        this(outputSize, outputSize);
    }

    public AdaptiveAvgPool2d(int outH, int outW) {
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException("AdaptiveAvgPool2d: output size must be positive, got [" + outH
                    + ", " + outW + "]");
        }
        this.outputSize = new int[] {outH, outW};
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.adaptiveAvgPool2d(input, outputSize[0], outputSize[1]);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("outputSize", outputSize);
    }

    static AdaptiveAvgPool2d fromConfig(Map<String, Object> c) {
        int[] o = Cfg.ints(c, "outputSize", 2);
        return new AdaptiveAvgPool2d(o[0], o[1]);
    }

    @Override
    protected String extraRepr() {
        return "outputSize=" + Cfg.pair(outputSize);
    }
}
