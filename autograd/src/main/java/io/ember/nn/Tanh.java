package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** Elementwise {@code tanh(x)}, like {@code nn.Tanh}. */
public class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.tanh(input);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of();
    }
}
