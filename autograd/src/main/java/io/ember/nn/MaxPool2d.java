package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** Max pooling over [N, C, H, W] (or [C, H, W]), like {@code nn.MaxPool2d}; stride defaults to the kernel size. */
public class MaxPool2d extends Module {
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize, kernelSize}, new int[] {stride, stride}, new int[] {padding, padding},
                new int[] {1, 1}, false);
    }

    /** Pairs {h, w}; stride null means the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Conv2d.checkPair("MaxPool2d", "kernelSize", kernelSize, 1);
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
        Conv2d.checkPair("MaxPool2d", "stride", this.stride, 1);
        Conv2d.checkPair("MaxPool2d", "padding", padding, 0);
        Conv2d.checkPair("MaxPool2d", "dilation", dilation, 1);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.maxPool2d(input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("kernelSize", kernelSize, "stride", stride, "padding", padding, "dilation", dilation,
                "ceilMode", ceilMode);
    }

    static MaxPool2d fromConfig(Map<String, Object> c) {
        return new MaxPool2d(Cfg.ints(c, "kernelSize", 2), Cfg.ints(c, "stride", 2), Cfg.ints(c, "padding", 2),
                Cfg.ints(c, "dilation", 2), Cfg.b(c, "ceilMode"));
    }

    @Override
    protected String extraRepr() {
        return "kernelSize=" + Cfg.pair(kernelSize) + ", stride=" + Cfg.pair(stride) + ", padding="
                + Cfg.pair(padding) + ", dilation=" + Cfg.pair(dilation) + ", ceilMode=" + ceilMode;
    }
}
