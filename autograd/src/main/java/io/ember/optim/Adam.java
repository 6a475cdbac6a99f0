package io.ember.optim;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adam, like {@code torch.optim.Adam} (L2 weight decay added to the gradient; see {@link AdamW} for decoupled decay):
 * <pre>
 * t = t + 1;  g = grad (negated when maximize) + weightDecay * p
 * m = beta1 * m + (1 - beta1) * g;   v = beta2 * v + (1 - beta2) * g * g
 * vmax = max(vmax, v)                                                        (amsgrad)
 * p = p - lr / (1 - beta1^t) * m / (sqrt(amsgrad ? vmax : v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * Options: {@code lr} (1e-3), {@code beta1} (0.9), {@code beta2} (0.999), {@code eps} (1e-8), {@code weightDecay}
 * (0), {@code amsgrad} (false), {@code maximize} (false). State: {@code expAvg}, {@code expAvgSq},
 * {@code maxExpAvgSq}.
 */
public final class Adam extends Optimizer {
    static final Set<String> STATE = Set.of("expAvg", "expAvgSq", "maxExpAvgSq");

    /** Adam's hyperparameters, with PyTorch's defaults. */
    public static final class Options extends AdamOptions<Options> {
        public Options() {
            super(0.0);
        }
    }

    /** Adam with learning rate {@code lr} and the other defaults. */
    public Adam(List<Tensor> params, double lr) {
        this(params, new Options().lr(lr));
    }

    public Adam(List<Tensor> params, Options options) {
        super("Adam", options, params);
    }

    /** Adam over parameter groups; their options override {@code defaults}. */
    public Adam(Options defaults, ParamGroup... groups) {
        super("Adam", defaults, groups);
    }

    @Override
    void validate(Map<String, Object> o, String where) {
        check(this, o, where);
    }

    static void check(Optimizer opt, Map<String, Object> o, String where) {
        opt.requireNonNegative(o, where, "lr", "eps");
        opt.requireUnit(o, "beta1", where);
        opt.requireUnit(o, "beta2", where);
        opt.requireNonNegative(o, where, "weightDecay");
        opt.requireInitialLr(o, where);
    }

    @Override
    Set<String> stateNames() {
        return STATE;
    }

    @Override
    void update(ParamGroup group) {
        run(this, group, false);
    }

    /** The Adam update of one group; {@code decoupled} applies weight decay to p (AdamW) instead of to g. */
    static void run(Optimizer opt, ParamGroup group, boolean decoupled) {
        double lr = group.lr();
        double beta1 = group.getDouble("beta1");
        double beta2 = group.getDouble("beta2");
        double eps = group.getDouble("eps");
        double wd = group.getDouble("weightDecay");
        boolean amsgrad = group.getBoolean("amsgrad");
        boolean maximize = group.getBoolean("maximize");
        for (Tensor t : group.params()) {
            Tensor gt = t.grad();
            if (gt == null) {
                continue;
            }
            NDArray p = t.data();
            NDArray g = gt.data();
            ParamState st = opt.stateOf(t);
            NDArray m = st.buffer("expAvg", p, 0);
            NDArray v = st.buffer("expAvgSq", p, 0);
            NDArray vmax = amsgrad ? st.buffer("maxExpAvgSq", p, 0) : null;
            st.step++;
            double bc1 = 1 - Math.pow(beta1, st.step);
            double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, st.step));
            double stepSize = lr / bc1;
            double decay = decoupled ? 1 - lr * wd : 1;
            double l2 = decoupled ? 0 : wd;
            if (Fused.eligible(p, g, m, v, vmax)) {
                Fused.adam(p, g, m, v, vmax, (float) decay, (float) l2, (float) beta1, (float) beta2,
                        (float) stepSize, (float) bc2Sqrt, (float) eps, maximize);
                continue;
            }
            if (Fused.onDevice(p, g, m, v, vmax) && io.ember.tensor.spi.Backends.of(p.device()).adamUpdate(p, g, m, v,
                    vmax, (float) decay, (float) l2, (float) beta1, (float) beta2, (float) stepSize, (float) bc2Sqrt,
                    (float) eps, maximize)) {
                continue;
            }
            if (decay != 1) {
                p.mulInPlace(decay);
            }
            NDArray d = direction(g, p, maximize, l2);
            m.lerpInPlace(d, 1 - beta1);
            v.mulInPlace(beta2).addcmulInPlace(d, d, 1 - beta2);
            NDArray second = v;
            if (vmax != null) {
                vmax.maximumInPlace(v);
                second = vmax;
            }
            NDArray denom = second.sqrt().divInPlace(bc2Sqrt).addInPlace(eps);
            p.addcdivInPlace(m, denom, -stepSize);
        }
    }
}
