package io.ember.autograd;

import io.ember.tensor.NDArray;
import io.ember.tensor.NNOps;

/** 2-D average pooling; backward spreads each gradient over its window (nothing saved). */
final class AvgPool2d extends Node {
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final int divisorOverride;

    private AvgPool2d(int[] kernel, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad,
            int divisorOverride) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    static Tensor apply(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
            boolean countIncludePad, int divisorOverride) {
        NDArray out = NNOps.avgPool2d(input.data(), kernel, stride, padding, ceilMode, countIncludePad,
                divisorOverride);
        if (!Graph.needed(input)) {
            return Graph.plain("avgPool2d", out);
        }
        return Graph.record(new AvgPool2d(kernel, stride, padding, ceilMode, countIncludePad, divisorOverride), out,
                input);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {NNOps.avgPool2dBackward(g[0], inputShapes[0], kernel, stride, padding, ceilMode,
                countIncludePad, divisorOverride)};
    }
}
