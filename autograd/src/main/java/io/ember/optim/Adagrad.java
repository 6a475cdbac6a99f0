package io.ember.optim;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adagrad, like {@code torch.optim.Adagrad}:
 * <pre>
 * t = t + 1;  g = grad (negated when maximize) + weightDecay * p
 * clr = lr / (1 + (t - 1) * lrDecay)
 * sum = sum + g * g                      (sum starts at initialAccumulatorValue)
 * p = p - clr * g / (sqrt(sum) + eps)
 * </pre>
 * Options: {@code lr} (1e-2), {@code lrDecay} (0), {@code weightDecay} (0), {@code initialAccumulatorValue} (0),
 * {@code eps} (1e-10), {@code maximize} (false). State: {@code sum}.
 */
public final class Adagrad extends Optimizer {
    /** Adagrad's hyperparameters, with PyTorch's defaults. */
    public static final class Options extends OptionsBase<Options> {
        public Options() {
            super("lr", 1e-2, "lrDecay", 0.0, "weightDecay", 0.0, "initialAccumulatorValue", 0.0, "eps", 1e-10,
                    "maximize", false);
        }

        public Options lrDecay(double v) {
            return put("lrDecay", v);
        }

        public Options initialAccumulatorValue(double v) {
            return put("initialAccumulatorValue", v);
        }

        public Options eps(double v) {
            return put("eps", v);
        }
    }

    /** Adagrad with learning rate {@code lr} and the other defaults. */
    public Adagrad(List<Tensor> params, double lr) {
        this(params, new Options().lr(lr));
    }

    public Adagrad(List<Tensor> params, Options options) {
        super("Adagrad", options, params);
    }

    /** Adagrad over parameter groups; their options override {@code defaults}. */
    public Adagrad(Options defaults, ParamGroup... groups) {
        super("Adagrad", defaults, groups);
    }

    @Override
    void validate(Map<String, Object> o, String where) {
        requireNonNegative(o, where, "lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps");
        requireInitialLr(o, where);
    }

    @Override
    Set<String> stateNames() {
        return Set.of("sum");
    }

    @Override
    void update(ParamGroup group) {
        double lr = group.lr();
        double lrDecay = group.getDouble("lrDecay");
        double wd = group.getDouble("weightDecay");
        double init = group.getDouble("initialAccumulatorValue");
        double eps = group.getDouble("eps");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor t : group.params()) {
            Tensor gt = t.grad();
            if (gt == null) {
                continue;
            }
            NDArray p = t.data();
            ParamState st = stateOf(t);
            NDArray sum = st.buffer("sum", p, init);
            st.step++;
            NDArray g = direction(gt.data(), p, maximize, wd);
            double clr = lr / (1 + (st.step - 1) * lrDecay);
            sum.addcmulInPlace(g, g, 1);
            NDArray std = sum.sqrt().addInPlace(eps);
            p.addcdivInPlace(g, std, -clr);
        }
    }
}
