package io.ember.nn;

import io.ember.autograd.Tensor;
import java.util.Map;

/** Returns its input, like {@code nn.Identity} (a placeholder, e.g. to remove a layer from a model). */
public class Identity extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return input;
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of();
    }
}
