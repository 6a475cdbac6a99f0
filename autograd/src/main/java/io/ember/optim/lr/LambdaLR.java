package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/** Each rate is the base rate times a function of the epoch: {@code base * factor(epoch)}, like {@code LambdaLR}. */
public final class LambdaLR extends LRScheduler {
    private final IntToDoubleFunction factor;

    public LambdaLR(Optimizer optimizer, IntToDoubleFunction factor) {
        super("LambdaLR", optimizer);
        this.factor = Objects.requireNonNull(factor, "LambdaLR: factor is null");
        start();
    }

    @Override
    double lrAt(int group, int epoch) {
        return baseLrs[group] * factor.applyAsDouble(epoch);
    }

    @Override
    Map<String, Object> hyperparameters() {
        return Map.of();
    }
}
