package io.ember.optim;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
    public static final class Options {
        final Map<String, Object> values = new LinkedHashMap<>();

        public Options() {
            values.put("lr", 1e-2);
            values.put("lrDecay", 0.0);
            values.put("weightDecay", 0.0);
            values.put("initialAccumulatorValue", 0.0);
            values.put("eps", 1e-10);
            values.put("maximize", false);
        }

        public Options lr(double v) {
            values.put("lr", v);
            return this;
        }

        public Options lrDecay(double v) {
            values.put("lrDecay", v);
            return this;
        }

        public Options weightDecay(double v) {
            values.put("weightDecay", v);
            return this;
        }

        public Options initialAccumulatorValue(double v) {
            values.put("initialAccumulatorValue", v);
            return this;
        }

        public Options eps(double v) {
            values.put("eps", v);
            return this;
        }

        public Options maximize(boolean v) {
            values.put("maximize", v);
            return this;
        }
    }

    /** Adagrad with learning rate {@code lr} and the other defaults. */
    public Adagrad(List<Tensor> params, double lr) {
        this(params, new Options().lr(lr));
    }

    public Adagrad(List<Tensor> params, Options options) {
        super("Adagrad", options.values, single(params));
    }

    /** Adagrad over parameter groups; their options override {@code defaults}. */
    public Adagrad(Options defaults, ParamGroup... groups) {
        super("Adagrad", defaults.values, Arrays.asList(groups));
    }

    @Override
    void validate(Map<String, Object> o, String where) {
        requireAtLeast(o, "lr", 0, where);
        requireAtLeast(o, "lrDecay", 0, where);
        requireAtLeast(o, "weightDecay", 0, where);
        requireAtLeast(o, "initialAccumulatorValue", 0, where);
        requireAtLeast(o, "eps", 0, where);
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
            NDArray g = maximize ? gt.data().neg() : gt.data();
            if (wd != 0) {
                g = g.add(p, wd);
            }
            double clr = lr / (1 + (st.step - 1) * lrDecay);
            sum.addcmulInPlace(g, g, 1);
            NDArray std = sum.sqrt().addInPlace(eps);
            p.addcdivInPlace(g, std, -clr);
        }
    }
}
