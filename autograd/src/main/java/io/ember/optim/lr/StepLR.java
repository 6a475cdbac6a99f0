package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Decays each rate by {@code gamma} every {@code stepSize} epochs: {@code base * gamma^floor(epoch / stepSize)}. */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** {@code gamma} 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super("StepLR", optimizer);
        if (stepSize < 1) {
            throw new IllegalArgumentException("StepLR: stepSize must be >= 1, got " + stepSize);
        }
        Checks.gamma("StepLR", gamma);
        this.stepSize = stepSize;
        this.gamma = gamma;
        start();
    }

    @Override
    double lrAt(int group, int epoch) {
        return baseLrs[group] * Math.pow(gamma, epoch / stepSize);
    }

    @Override
    Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stepSize", stepSize);
        m.put("gamma", gamma);
        return m;
    }
}
