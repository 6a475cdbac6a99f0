package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs, PyTorch's closed form:
 * {@code etaMin + (base - etaMin) * (1 + cos(pi * epoch / tMax)) / 2} (past {@code tMax} the cosine continues, rising
 * again, as in PyTorch).
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** {@code etaMin} 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super("CosineAnnealingLR", optimizer);
        if (tMax < 1) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be >= 1, got " + tMax);
        }
        if (!(etaMin >= 0)) {
            throw new IllegalArgumentException("CosineAnnealingLR: etaMin must be >= 0, got " + etaMin);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        start();
    }

    @Override
    double lrAt(int group, int epoch) {
        return etaMin + (baseLrs[group] - etaMin) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }

    @Override
    Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tMax", tMax);
        m.put("etaMin", etaMin);
        return m;
    }
}
