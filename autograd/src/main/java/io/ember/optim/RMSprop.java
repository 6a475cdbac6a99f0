package io.ember.optim;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
    public static final class Options {
        final Map<String, Object> values = new LinkedHashMap<>();

        public Options() {
            values.put("lr", 1e-2);
            values.put("alpha", 0.99);
            values.put("eps", 1e-8);
            values.put("weightDecay", 0.0);
            values.put("momentum", 0.0);
            values.put("centered", false);
            values.put("maximize", false);
        }

        public Options lr(double v) {
            values.put("lr", v);
            return this;
        }

        public Options alpha(double v) {
            values.put("alpha", v);
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

        public Options momentum(double v) {
            values.put("momentum", v);
            return this;
        }

        public Options centered(boolean v) {
            values.put("centered", v);
            return this;
        }

        public Options maximize(boolean v) {
            values.put("maximize", v);
            return this;
        }
    }

    /** RMSprop with learning rate {@code lr} and the other defaults. */
    public RMSprop(List<Tensor> params, double lr) {
        this(params, new Options().lr(lr));
    }

    public RMSprop(List<Tensor> params, Options options) {
        super("RMSprop", options.values, single(params));
    }

    /** RMSprop over parameter groups; their options override {@code defaults}. */
    public RMSprop(Options defaults, ParamGroup... groups) {
        super("RMSprop", defaults.values, Arrays.asList(groups));
    }

    @Override
    void validate(Map<String, Object> o, String where) {
        requireAtLeast(o, "lr", 0, where);
        requireAtLeast(o, "eps", 0, where);
        requireAtLeast(o, "momentum", 0, where);
        requireAtLeast(o, "weightDecay", 0, where);
        requireAtLeast(o, "alpha", 0, where);
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
            NDArray g = maximize ? gt.data().neg() : gt.data();
            if (wd != 0) {
                g = g.add(p, wd);
            }
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
