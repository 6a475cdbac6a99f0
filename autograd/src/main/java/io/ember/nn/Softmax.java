package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** Softmax along {@code dim}, like {@code nn.Softmax}. */
public class Softmax extends Module {
    private final int dim;

    public Softmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.softmax(input, dim);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("dim", dim);
    }

    static Softmax fromConfig(Map<String, Object> c) {
        return new Softmax(Cfg.i(c, "dim"));
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
