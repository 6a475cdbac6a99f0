package io.ember.optim;

import io.ember.autograd.Tensor;
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
    public static final class Options extends AdamOptions<Options> {
        public Options() {
            super(1e-2);
        }
    }

    /** AdamW with learning rate {@code lr} and the other defaults. */
    public AdamW(List<Tensor> params, double lr) {
        this(params, new Options().lr(lr));
    }

    public AdamW(List<Tensor> params, Options options) {
        super("AdamW", options, params);
    }

    /** AdamW over parameter groups; their options override {@code defaults}. */
    public AdamW(Options defaults, ParamGroup... groups) {
        super("AdamW", defaults, groups);
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
