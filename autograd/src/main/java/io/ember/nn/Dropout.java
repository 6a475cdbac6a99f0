package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import io.ember.tensor.Generator;
import java.util.Map;

/**
 * Inverted dropout, like {@code nn.Dropout}: in training zeroes each element with probability p and scales the
 * rest by 1/(1-p); in evaluation the identity. Masks come from {@link Generator#global()} unless a generator is
 * passed.
 */
public class Dropout extends Module {
    private final double p;
    private final Generator generator;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, null);
    }

    /** Draws masks from {@code g} (null: the global generator at each call). */
    public Dropout(double p, Generator g) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("Dropout: probability must be in [0, 1], got " + p);
        }
        this.p = p;
        this.generator = g;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining(), generator == null ? Generator.global() : generator);
    }

    public double p() {
        return p;
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("p", p);
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
