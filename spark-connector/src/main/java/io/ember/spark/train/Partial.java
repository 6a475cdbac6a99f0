package io.ember.spark.train;

import java.io.Serial;
import java.io.Serializable;
import java.util.TreeMap;

/**
 * A round's result from one or more partitions, summed in treeAggregate: model state times samples, optimizer state
 * times samples (when averaged) or per partition, samples, and the loss summed over samples.
 */
final class Partial implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    ArrayMap model;
    ArrayMap optimizer;
    String optimizerMeta;
    int metaPartition = Integer.MAX_VALUE;
    TreeMap<Integer, OptState> perPartition = new TreeMap<>();
    long samples;
    double lossSum;

    static Partial empty() {
        return new Partial();
    }

    /** Adds {@code o} into this one and returns this. */
    Partial merge(Partial o) {
        if (o.model != null) {
            model = model == null ? o.model : model.plus(o.model);
        }
        if (o.optimizer != null) {
            optimizer = optimizer == null ? o.optimizer : optimizer.plus(o.optimizer);
        }
        if (o.optimizerMeta != null && o.metaPartition < metaPartition) {
            optimizerMeta = o.optimizerMeta;
            metaPartition = o.metaPartition;
        }
        perPartition.putAll(o.perPartition);
        samples += o.samples;
        lossSum += o.lossSum;
        return this;
    }
}
