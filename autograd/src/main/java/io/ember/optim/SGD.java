package io.ember.optim;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, L2 weight decay and maximize,
 * like {@code torch.optim.SGD}:
 * <pre>
 * g = grad (negated when maximize) + weightDecay * p
 * buf = g at the first step, else momentum * buf + (1 - dampening) * g      (when momentum != 0)
 * g = nesterov ? g + momentum * buf : buf                                    (when momentum != 0)
 * p = p - lr * g
 * </pre>
 * Options: {@code lr} (1e-3), {@code momentum} (0), {@code dampening} (0), {@code weightDecay} (0),
 * {@code nesterov} (false), {@code maximize} (false). State: {@code momentumBuffer}.
 */
public final class SGD extends Optimizer {
    static final String BUF = "momentumBuffer";

    /** SGD's hyperparameters, with PyTorch's defaults. */
    public static final class Options extends OptionsBase<Options> {
        public Options() {
            super("lr", 1e-3, "momentum", 0.0, "dampening", 0.0, "weightDecay", 0.0, "nesterov", false,
                    "maximize", false);
        }

        public Options momentum(double v) {
            return put("momentum", v);
        }

        public Options dampening(double v) {
            return put("dampening", v);
        }

        public Options nesterov(boolean v) {
            return put("nesterov", v);
        }
    }

    /** Plain SGD with learning rate {@code lr}. */
    public SGD(List<Tensor> params, double lr) {
        this(params, new Options().lr(lr));
    }

    public SGD(List<Tensor> params, Options options) {
        super("SGD", options, params);
    }

    /** SGD over parameter groups; their options override {@code defaults}. */
    public SGD(Options defaults, ParamGroup... groups) {
        super("SGD", defaults, groups);
    }

    @Override
    void validate(Map<String, Object> o, String where) {
        requireNonNegative(o, where, "lr", "momentum", "weightDecay");
        requireInitialLr(o, where);
        if ((Boolean) o.get("nesterov") && (num(o, "momentum") <= 0 || num(o, "dampening") != 0)) {
            throw new IllegalArgumentException("SGD: nesterov requires momentum > 0 and dampening = 0, got momentum="
                    + num(o, "momentum") + ", dampening=" + num(o, "dampening") + where);
        }
    }

    @Override
    Set<String> stateNames() {
        return Set.of(BUF);
    }

    @Override
    void update(ParamGroup group) {
        double lr = group.lr();
        double momentum = group.getDouble("momentum");
        double dampening = group.getDouble("dampening");
        double wd = group.getDouble("weightDecay");
        boolean nesterov = group.getBoolean("nesterov");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor t : group.params()) {
            Tensor gt = t.grad();
            if (gt == null) {
                continue;
            }
            NDArray p = t.data();
            NDArray g = gt.data();
            ParamState st = stateOf(t);
            st.step++;
            NDArray buf = momentum != 0 ? st.buffers.get(BUF) : null;
            boolean first = momentum != 0 && buf == null;
            if (first) {
                buf = io.ember.tensor.MemoryScope.keep(NDArray.zerosLike(p));
                st.buffers.put(BUF, buf);
            }
            if (Fused.eligible(p, g, buf)) {
                Fused.sgd(p, g, buf, first, (float) lr, (float) wd, (float) momentum, (float) dampening, nesterov,
                        maximize);
                continue;
            }
            if (Fused.onDevice(p, g, buf, null, null) && io.ember.tensor.spi.Backends.of(p.device()).sgdUpdate(p, g,
                    buf, first, (float) lr, (float) wd, (float) momentum, (float) dampening, nesterov, maximize)) {
                continue;
            }
            NDArray d = direction(g, p, maximize, wd);
            if (momentum != 0) {
                if (first) {
                    buf.copyFrom(d);
                } else {
                    buf.mulInPlace(momentum).addInPlace(d, 1 - dampening);
                }
                d = nesterov ? d.add(buf, momentum) : buf;
            }
            p.addInPlace(d, -lr);
        }
    }
}
