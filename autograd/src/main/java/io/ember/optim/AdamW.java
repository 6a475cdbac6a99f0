package io.ember.optim;

import io.ember.autograd.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * AdamW (Adam with decoupled weight decay), like {@code torch.optim.AdamW}: first {@code p = p * (1 - lr *
 * weightDecay)}, then the {@link Adam} update without the L2 term. Options as Adam's, but {@code weightDecay}
 * defaults to 1e-2.
 */
public final class AdamW extends Optimizer {
    /** AdamW's hyperparameters, with PyTorch's defaults. */
    public static final class Options {
        final Map<String, Object> values = Adam.defaults(1e-2);

        public Options lr(double v) {
            values.put("lr", v);
            return this;
        }

        public Options betas(double beta1, double beta2) {
            values.put("beta1", beta1);
            values.put("beta2", beta2);
            return this;
        }

        public Options eps(double v) {
            values.put("eps", v);
            return this;
        }

        public Options weightDecay(double v) {
            values.put("weightDecay", v);
            return this;
        }

        public Options amsgrad(boolean v) {
            values.put("amsgrad", v);
            return this;
        }

        public Options maximize(boolean v) {
            values.put("maximize", v);
            return this;
        }
    }

    /** AdamW with learning rate {@code lr} and the other defaults. */
    public AdamW(List<Tensor> params, double lr) {
        this(params, new Options().lr(lr));
    }

    public AdamW(List<Tensor> params, Options options) {
        super("AdamW", options.values, single(params));
    }

    /** AdamW over parameter groups; their options override {@code defaults}. */
    public AdamW(Options defaults, ParamGroup... groups) {
        super("AdamW", defaults.values, Arrays.asList(groups));
    }

    @Override
    void validate(Map<String, Object> o, String where) {
        Adam.check(this, o, where);
    }

    @Override
    Set<String> stateNames() {
        return Adam.STATE;
    }

    @Override
    void update(ParamGroup group) {
        Adam.run(this, group, true);
    }
}
