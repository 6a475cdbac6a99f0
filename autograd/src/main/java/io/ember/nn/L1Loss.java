package io.ember.nn;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** The elementwise absolute error {@code  of same-shaped tensors, reduced, like {@code input - target|}|nn.L1Loss}. */
public class L1Loss extends Loss {
    public L1Loss() {
        this(Reduction.MEAN);
    }

    public L1Loss(Reduction reduction) {
        super(reduction);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.l1Loss(input, target, reduction());
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("reduction", reductionName());
    }

    static L1Loss fromConfig(Map<String, Object> c) {
        return new L1Loss(reduction(c));
    }
}
