package io.ember.nn;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** The elementwise squared error {@code (input - target)^2} of same-shaped tensors, reduced, like {@code nn.MSELoss}. */
public class MSELoss extends Loss {
    public MSELoss() {
        this(Reduction.MEAN);
    }

    public MSELoss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.mseLoss(input, target, reduction());
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("reduction", reductionName());
    }

    static MSELoss fromConfig(Map<String, Object> c) {
        return new MSELoss(reduction(c));
    }
}
