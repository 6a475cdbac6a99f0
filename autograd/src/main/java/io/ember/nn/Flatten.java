package io.ember.nn;

import io.ember.autograd.Tensor;
import java.util.Map;

/** Flattens dims startDim..endDim into one, like {@code nn.Flatten} (defaults 1 and -1: keep the batch dim). */
public class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        int n = input.dim();
        int s = startDim < 0 ? startDim + n : startDim;
        int e = endDim < 0 ? endDim + n : endDim;
        if (n == 0 || s < 0 || s >= n || e < 0 || e >= n || s > e) {
            throw new IllegalArgumentException("Flatten: startDim=" + startDim + ", endDim=" + endDim
                    + " do not fit input " + input.shape());
        }
        return input.flatten(s, e);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("startDim", startDim, "endDim", endDim);
    }

    @Override
    protected String extraRepr() {
        return "startDim=" + startDim + ", endDim=" + endDim;
    }
}
