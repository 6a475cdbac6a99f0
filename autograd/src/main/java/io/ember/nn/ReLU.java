package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** Elementwise {@code max(0, x)}, like {@code nn.ReLU}. */
public class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of();
    }
}
