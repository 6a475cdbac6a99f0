package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** Elementwise {@code x > 0 ? x : alpha (exp(x) - 1)}, like {@code nn.ELU}. */
public class ELU extends Module {
    private final double alpha;

    public ELU() {
        this(1.0);
    }

    public ELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.elu(input, alpha);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("alpha", alpha);
    }

    static ELU fromConfig(Map<String, Object> c) {
        return new ELU(Cfg.d(c, "alpha"));
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
