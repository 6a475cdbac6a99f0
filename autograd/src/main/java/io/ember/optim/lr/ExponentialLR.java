package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import java.util.Map;

/** Decays each rate by {@code gamma} every epoch: {@code base * gamma^epoch}. */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super("ExponentialLR", optimizer);
        Checks.gamma("ExponentialLR", gamma);
        this.gamma = gamma;
        start();
    }

    @Override
    double lrAt(int group, int epoch) {
        return baseLrs[group] * Math.pow(gamma, epoch);
    }

    @Override
    Map<String, Object> hyperparameters() {
        return Map.of("gamma", gamma);
    }
}
