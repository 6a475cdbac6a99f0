package io.ember.nn;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/**
 * Cross-entropy of logits [N, C, d...] against INT64 class indices [N, d...] or class probabilities, like
 * {@code nn.CrossEntropyLoss}: optional class weights [C], ignoreIndex (default -100), labelSmoothing, reduction
 * (MEAN divides by the summed weights of the counted targets).
 */
public class CrossEntropyLoss extends Loss {
    private final Tensor weight;
    private final int ignoreIndex;
    private final double labelSmoothing;

    public CrossEntropyLoss() {
        this(null, -100, 0.0, Reduction.MEAN);
    }

    public CrossEntropyLoss(Tensor weight, int ignoreIndex, double labelSmoothing, Reduction reduction) {
        super(reduction);
        if (weight != null && weight.dim() != 1) {
            throw new IllegalArgumentException("CrossEntropyLoss: expected class weights [C], got " + weight.shape());
        }
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("CrossEntropyLoss: labelSmoothing must be in [0, 1], got "
                    + labelSmoothing);
        }
        this.weight = registerBuffer("weight", copyWeight(weight));
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.crossEntropy(input, target, weight, ignoreIndex, labelSmoothing, reduction());
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("weight", weightList(weight), "ignoreIndex", ignoreIndex, "labelSmoothing", labelSmoothing,
                "reduction", reductionName());
    }

    static CrossEntropyLoss fromConfig(Map<String, Object> c) {
        return new CrossEntropyLoss(weightTensor(c, "weight"), Cfg.i(c, "ignoreIndex"), Cfg.d(c, "labelSmoothing"),
                reduction(c));
    }
}
