package io.ember.spark.train;

import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/**
 * What the driver broadcasts at the start of a round: the averaged model state, and the optimizer state either
 * averaged ({@code shared}) or per partition ({@code perPartition}); both null before the first step.
 */
final class RoundState implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    final ArrayMap model;
    final OptState shared;
    final Map<Integer, OptState> perPartition;

    RoundState(ArrayMap model, OptState shared, Map<Integer, OptState> perPartition) {
        this.model = model;
        this.shared = shared;
        this.perPartition = perPartition;
    }

    OptState optimizerFor(int partition) {
        return perPartition != null ? perPartition.get(partition) : shared;
    }
}
