package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Map;

/** Elementwise {@code x * sigmoid(x)}, like {@code nn.SiLU}. */
public class SiLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.silu(input);
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of();
    }
}
