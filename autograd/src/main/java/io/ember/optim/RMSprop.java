package io.ember.optim;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * RMSprop, like {@code torch.optim.RMSprop}:
 * <pre>
 * g = grad (negated when maximize) + weightDecay * p
 * s = alpha * s + (1 - alpha) * g * g
 * centered: a = alpha * a + (1 - alpha) * g;   avg = sqrt(s - a * a) + eps
 * otherwise: avg = sqrt(s) + eps
 * momentum > 0: buf = momentum * buf + g / avg;  p = p - lr * buf
 * otherwise:    p = p - lr * g / avg
 * </pre>
 * Options: {@code lr} (1e-2), {@code alpha} (0.99), {@code eps} (1e-8), {@code weightDecay} (0), {@code momentum}
 * (0), {@code centered} (false), {@code maximize} (false). State: {@code squareAvg}, {@code momentumBuffer},
 * {@code gradAvg}.
 */
public final class RMSprop extends Optimizer {
    /** RMSprop's hyperparameters, with PyTorch's defaults. */
    public static final class Options extends OptionsBase<Options> {
        public Options() {
            super("lr", 1e-2, "alpha", 0.99, "eps", 1e-8, "weightDecay", 0.0, "momentum", 0.0, "centered", false,
                    "maximize", false);
        }

        public Options alpha(double v) {
            return put("alpha", v);
        }

        public Options eps(double v) {
            return put("eps", v);
        }

        public Options momentum(double v) {
            return put("momentum", v);
        }

        public Options centered(boolean v) {
            return put("centered", v);
        }
    }

    /** RMSprop with learning rate {@code lr} and the other defaults. */
    public RMSprop(List<Tensor> params, double lr) {
        this(params, new Options().lr(lr));
    }

    public RMSprop(List<Tensor> params, Options options) {
        super("RMSprop", options, params);
    }

    /** RMSprop over parameter groups; their options override {@code defaults}. */
    public RMSprop(Options defaults, ParamGroup... groups) {
        super("RMSprop", defaults, groups);
    }

    @Override
    void validate(Map<String, Object> o, String where) {
        requireNonNegative(o, where, "lr", "eps", "momentum", "weightDecay", "alpha");
        requireInitialLr(o, where);
    }

    @Override
    Set<String> stateNames() {
        return Set.of("squareAvg", "momentumBuffer", "gradAvg");
    }

    @Override
    void update(ParamGroup group) {
        double lr = group.lr();
        double alpha = group.getDouble("alpha");
        double eps = group.getDouble("eps");
        double wd = group.getDouble("weightDecay");
        double momentum = group.getDouble("momentum");
        boolean centered = group.getBoolean("centered");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor t : group.params()) {
            Tensor gt = t.grad();
            if (gt == null) {
                continue;
            }
            NDArray p = t.data();
            ParamState st = stateOf(t);
            NDArray sq = st.buffer("squareAvg", p, 0);
            st.step++;
            NDArray g = direction(gt.data(), p, maximize, wd);
            sq.mulInPlace(alpha).addcmulInPlace(g, g, 1 - alpha);
            NDArray avg;
            if (centered) {
                NDArray ga = st.buffer("gradAvg", p, 0);
                ga.lerpInPlace(g, 1 - alpha);
                avg = sq.sub(ga.mul(ga)).sqrtInPlace();
            } else {
                avg = sq.sqrt();
            }
            avg.addInPlace(eps);
            if (momentum > 0) {
                NDArray buf = st.buffer("momentumBuffer", p, 0);
                buf.mulInPlace(momentum).addcdivInPlace(g, avg, 1);
                p.addInPlace(buf, -lr);
            } else {
                p.addcdivInPlace(g, avg, -lr);
            }
        }
    }
}
