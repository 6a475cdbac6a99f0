package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** Elementwise {@code x >= 0 ? x : negativeSlope * x}, like {@code nn.LeakyReLU}. */
public class LeakyReLU extends Module {
    private final double negativeSlope;

    public LeakyReLU() {
        this(0.01);
    }

    public LeakyReLU(double negativeSlope) {
        this.negativeSlope = negativeSlope;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.leakyRelu(input, negativeSlope);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("negativeSlope", negativeSlope);
    }

    static LeakyReLU fromConfig(Map<String, Object> c) {
        return new LeakyReLU(Cfg.d(c, "negativeSlope"));
    }

    @Override
    protected String extraRepr() {
        return "negativeSlope=" + negativeSlope;
    }
}
