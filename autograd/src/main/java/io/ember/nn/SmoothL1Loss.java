package io.ember.nn;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/**
 * {@code 0.5 d^2 / beta} where {@code |d| < beta}, {@code |d| - 0.5 beta} elsewhere (d = input - target; beta 0 is
 * L1), reduced, like {@code nn.SmoothL1Loss}.
 */
public class SmoothL1Loss extends Loss {
    private final double beta;

    public SmoothL1Loss() {
        this(Reduction.MEAN, 1.0);
    }

    public SmoothL1Loss(Reduction reduction, double beta) {
        super(reduction);
        if (!(beta >= 0)) {
            throw new IllegalArgumentException("SmoothL1Loss: beta must be >= 0, got " + beta);
        }
        this.beta = beta;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        return F.smoothL1Loss(input, target, reduction(), beta);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("reduction", reductionName(), "beta", beta);
    }

    static SmoothL1Loss fromConfig(Map<String, Object> c) {
        return new SmoothL1Loss(reduction(c), Cfg.d(c, "beta"));
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + ", beta=" + beta;
    }
}
