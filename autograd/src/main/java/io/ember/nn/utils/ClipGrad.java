package io.ember.nn.utils;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Gradient clipping, like {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}: both change the
 * gradients in place and skip parameters without one.
 */
public final class ClipGrad {
    private ClipGrad() {
    }

    /** {@link #clipGradNorm(List, double, double, boolean)} with the 2-norm. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, 2, false);
    }

    /** {@link #clipGradNorm(List, double, double, boolean)} without the non-finite check. */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType) {
        return clipGradNorm(params, maxNorm, normType, false);
    }

    /**
     * Scales all gradients by {@code min(1, maxNorm / (total + 1e-6))}, where {@code total} is the
     * {@code normType}-norm of all gradients taken together ({@code Double.POSITIVE_INFINITY}: the largest absolute
     * value). Returns {@code total}, measured before clipping.
     *
     * @param errorIfNonfinite throw {@link IllegalStateException} when the total norm is NaN or infinite, rather
     *                         than scaling by it
     */
    public static double clipGradNorm(List<Tensor> params, double maxNorm, double normType,
            boolean errorIfNonfinite) {
        Objects.requireNonNull(params, "clipGradNorm: params is null");
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("clipGradNorm: maxNorm must be >= 0, got " + maxNorm);
        }
        if (!(normType > 0)) {
            throw new IllegalArgumentException("clipGradNorm: normType must be > 0 (or Infinity), got " + normType);
        }
        List<NDArray> grads = grads(params);
        if (grads.isEmpty()) {
            return 0;
        }
        double total;
        boolean inf = normType == Double.POSITIVE_INFINITY;
        if (inf) {
            total = 0;
            for (NDArray g : grads) {
                total = maxNan(total, g.numel() == 0 ? 0 : g.norm(normType).item());
            }
        } else {
            double acc = 0;
            for (NDArray g : grads) {
                acc += Math.pow(g.norm(normType).item(), normType);
            }
            total = Math.pow(acc, 1 / normType);
        }
        if (errorIfNonfinite && !Double.isFinite(total)) {
            throw new IllegalStateException("clipGradNorm: the total norm of order " + normType + " of the gradients "
                    + "is " + total + "; set errorIfNonfinite to false to clip anyway");
        }
        double coef = maxNorm / (total + 1e-6);
        if (coef < 1 || Double.isNaN(coef)) {
            try (Autograd.Scope s = Autograd.noGrad()) {
                for (NDArray g : grads) {
                    g.mulInPlace(coef);
                }
            }
        }
        return total;
    }

    /** Clamps every gradient element into {@code [-clipValue, clipValue]}. */
    public static void clipGradValue(List<Tensor> params, double clipValue) {
        Objects.requireNonNull(params, "clipGradValue: params is null");
        if (!(clipValue >= 0)) {
            throw new IllegalArgumentException("clipGradValue: clipValue must be >= 0, got " + clipValue);
        }
        for (NDArray g : grads(params)) {
            g.clampInPlace(-clipValue, clipValue);
        }
    }

    private static List<NDArray> grads(List<Tensor> params) {
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            if (p == null) {
                throw new IllegalArgumentException("clipGrad: parameter " + i + " is null");
            }
            if (p.grad() != null) {
                out.add(p.grad().data());
            }
        }
        return out;
    }

    private static double maxNan(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
    }
}
