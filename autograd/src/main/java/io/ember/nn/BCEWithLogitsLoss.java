package io.ember.nn;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/**
 * Sigmoid and binary cross-entropy in one numerically stable formula, like {@code nn.BCEWithLogitsLoss}:
 * {@code w ((1 - y) x + (1 + (p - 1) y) softplus(-x))}, with optional weight (broadcast to the input) and posWeight
 * (broadcast over the last dim, e.g. one per class) that weights the positive examples.
 */
public class BCEWithLogitsLoss extends Loss {
    private final Tensor weight;
    private final Tensor posWeight;

    public BCEWithLogitsLoss() {
        this(null, Reduction.MEAN, null);
    }

    public BCEWithLogitsLoss(Tensor weight, Reduction reduction, Tensor posWeight) {
        super(reduction);
        this.weight = registerBuffer("weight", copyWeight(weight));
        this.posWeight = registerBuffer("pos_weight", copyWeight(posWeight));
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropyWithLogits(input, target, weight, posWeight, reduction());
    }

    /** Weights are written to the config only when 1-D. */
    @Override
    public Map<String, Object> config() {
        if ((weight != null && weight.dim() != 1) || (posWeight != null && posWeight.dim() != 1)) {
            return null;
        }
        return Cfg.of("weight", weightList(weight), "reduction", reductionName(), "posWeight",
                weightList(posWeight));
    }

    static BCEWithLogitsLoss fromConfig(Map<String, Object> c) {
        return new BCEWithLogitsLoss(weightTensor(c, "weight"), reduction(c), weightTensor(c, "posWeight"));
    }
}
