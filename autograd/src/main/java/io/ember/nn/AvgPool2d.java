package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/**
 * Average pooling over [N, C, H, W] (or [C, H, W]), like {@code nn.AvgPool2d}; stride defaults to the kernel size,
 * divisorOverride 0 means none.
 */
public class AvgPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final int divisorOverride;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding}, false,
                true, 0);
    }

    /** Pairs {h, w}; stride null means the kernel size. */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
            int divisorOverride) {
        Conv2d.checkPair("AvgPool2d", "kernelSize", kernelSize, 1);
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        Conv2d.checkPair("AvgPool2d", "stride", this.stride, 1);
        Conv2d.checkPair("AvgPool2d", "padding", padding, 0);
        if (divisorOverride < 0) {
            throw new IllegalArgumentException("AvgPool2d: divisorOverride must be >= 0 (0 for none), got "
                    + divisorOverride);
        }
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("kernelSize", kernelSize, "stride", stride, "padding", padding, "ceilMode", ceilMode,
                "countIncludePad", countIncludePad, "divisorOverride", divisorOverride);
    }

    static AvgPool2d fromConfig(Map<String, Object> c) {
        return new AvgPool2d(Cfg.ints(c, "kernelSize", 2), Cfg.ints(c, "stride", 2), Cfg.ints(c, "padding", 2),
                Cfg.b(c, "ceilMode"), Cfg.b(c, "countIncludePad"), Cfg.i(c, "divisorOverride"));
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + Cfg.pair(kernelSize) + ", stride=" + Cfg.pair(stride) + ", padding="
                + Cfg.pair(padding);
    }
}
