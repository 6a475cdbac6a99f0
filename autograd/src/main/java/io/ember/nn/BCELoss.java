package io.ember.nn;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/**
 * Binary cross-entropy of probabilities in [0, 1], like {@code nn.BCELoss}: {@code -w (y log x + (1 - y) log(1 - x))}
 * with each log clamped at -100 (so a confident wrong answer costs 100, not infinity); optional weight broadcast to
 * the input.
 */
public class BCELoss extends Loss {
    private final Tensor weight;

    public BCELoss() {
        this(null, Reduction.MEAN);
    }

    public BCELoss(Tensor weight, Reduction reduction) {
        super(reduction);
        this.weight = registerBuffer("weight", copyWeight(weight));
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.binaryCrossEntropy(input, target, weight, reduction());
    }

    /** Weights are written to the config only when 1-D. */
    @Override
    public Map<String, Object> config() {
        return weight != null && weight.dim() != 1 ? null
                : Cfg.of("weight", weightList(weight), "reduction", reductionName());
    }

    static BCELoss fromConfig(Map<String, Object> c) {
        return new BCELoss(weightTensor(c, "weight"), reduction(c));
    }
}
