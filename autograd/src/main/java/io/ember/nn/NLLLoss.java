package io.ember.nn;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/**
 * Negative log-likelihood of log-probabilities [N, C, d...] at INT64 class indices [N, d...], like
 * {@code nn.NLLLoss}: optional class weights [C], ignoreIndex (default -100), reduction.
 */
public class NLLLoss extends Loss {
    private final Tensor weight;
    private final int ignoreIndex;

    public NLLLoss() {
        this(null, -100, Reduction.MEAN);
    }

    public NLLLoss(Tensor weight, int ignoreIndex, Reduction reduction) {
        super(reduction);
        if (weight != null && weight.dim() != 1) {
            throw new IllegalArgumentException("NLLLoss: expected class weights [C], got " + weight.shape());
        }
        this.weight = registerBuffer("weight", copyWeight(weight));
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.nllLoss(input, target, weight, ignoreIndex, reduction());
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("weight", weightList(weight), "ignoreIndex", ignoreIndex, "reduction", reductionName());
    }

    static NLLLoss fromConfig(Map<String, Object> c) {
        return new NLLLoss(weightTensor(c, "weight"), Cfg.i(c, "ignoreIndex"), reduction(c));
    }
}
