package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decays each rate by {@code gamma} at every milestone epoch: {@code base * gamma^(number of milestones <= epoch)}
 * (a milestone given twice counts twice, as in PyTorch).
 */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        super("MultiStepLR", optimizer);
        if (milestones == null) {
            throw new IllegalArgumentException("MultiStepLR: milestones is null");
        }
        this.milestones = milestones.clone();
        Arrays.sort(this.milestones);
        if (this.milestones.length > 0 && this.milestones[0] < 0) {
            throw new IllegalArgumentException("MultiStepLR: milestones must be >= 0, got "
                    + Arrays.toString(milestones));
        }
        Checks.gamma("MultiStepLR", gamma);
        this.gamma = gamma;
        start();
    }

    @Override
    double lrAt(int group, int epoch) {
        int passed = 0;
        while (passed < milestones.length && milestones[passed] <= epoch) {
            passed++;
        }
        return baseLrs[group] * Math.pow(gamma, passed);
    }

    @Override
    Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> ms = new ArrayList<>();
        for (int v : milestones) {
            ms.add(v);
        }
        m.put("milestones", ms);
        m.put("gamma", gamma);
        return m;
    }
}
