package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** Log-softmax along {@code dim}, computed stably, like {@code nn.LogSoftmax}. */
public class LogSoftmax extends Module {
    private final int dim;

    public LogSoftmax(int dim) {
        this.dim = dim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.logSoftmax(input, dim);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("dim", dim);
    }

    static LogSoftmax fromConfig(Map<String, Object> c) {
        return new LogSoftmax(Cfg.i(c, "dim"));
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
