package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linear warm-up (or decay) of a multiplicative factor from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs, then constant: {@code base * (start + (end - start) * min(epoch, totalIters) /
 * totalIters)}.
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /** PyTorch's defaults: from 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super("LinearLR", optimizer);
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: startFactor must be in (0, 1], got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: endFactor must be in [0, 1], got " + endFactor);
        }
        if (totalIters < 1) {
            throw new IllegalArgumentException("LinearLR: totalIters must be >= 1, got " + totalIters);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        start();
    }

    @Override
    double lrAt(int group, int epoch) {
        return baseLrs[group] * (startFactor + (endFactor - startFactor) * Math.min(epoch, totalIters) / totalIters);
    }

    @Override
    Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startFactor", startFactor);
        m.put("endFactor", endFactor);
        m.put("totalIters", totalIters);
        return m;
    }
}
