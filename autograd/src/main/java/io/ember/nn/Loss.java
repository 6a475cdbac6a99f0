package io.ember.nn;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The base of the loss modules: {@code forward(input, target)} and a {@link Reduction} (NONE, MEAN or SUM), like
 * PyTorch's {@code _Loss}. Optional weight tensors are registered as buffers (PyTorch's names), so they follow
 * {@link #to} and the state dict.
 */
public abstract class Loss extends Module {
    private final Reduction reduction;

    Loss(Reduction reduction) {
        if (reduction == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": reduction must not be null");
        }
        this.reduction = reduction;
    }

    /** The loss of {@code input} against {@code target}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " is a loss; call forward(input, target)");
    }

    public Reduction reduction() {
        return reduction;
    }

    String reductionName() {
        return reduction.name().toLowerCase(Locale.ROOT);
    }

    static Reduction reduction(Map<String, Object> cfg) {
        return Reduction.parse(Cfg.s(cfg, "reduction"));
    }

    /** A weight buffer as a JSON list, or null. */
    static List<Double> weightList(Tensor w) {
        return w == null ? null : Cfg.list(w.data().toDoubleArray());
    }

    static Tensor weightTensor(Map<String, Object> cfg, String key) {
        double[] w = Cfg.doubles(cfg, key);
        return w == null ? null : Tensor.of(w, w.length).to(io.ember.tensor.DType.FLOAT32);
    }

    /** A detached copy of a weight tensor, or null. */
    static Tensor copyWeight(Tensor w) {
        if (w == null) {
            return null;
        }
        if (w.requiresGrad()) {
            return w.detach().clone();
        }
        return w.clone();
    }

    @Override
    protected String extraRepr() {
        return "reduction='" + reductionName() + "'";
    }
}
