package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * Negative log-likelihood of log-probabilities at INT64 targets, with class weights and ignoreIndex: per row
 * {@code -w[t] logp[t]}; MEAN divides by the summed {@code w[t]} of kept rows. The gradient is
 * {@code -coef w[t]} at the target and 0 elsewhere.
 */
final class NllLoss extends Node {
    private ClassTargets ct;
    private final Reduction reduction;
    private final double denominator;

    private NllLoss(ClassTargets ct, Reduction reduction, double denominator) {
        this.ct = ct;
        this.reduction = reduction;
        this.denominator = denominator;
    }

    static Tensor apply(Tensor logProbs, Tensor target, Tensor weight, int ignoreIndex, Reduction reduction) {
        String op = "nllLoss";
        if (reduction == null) {
            throw new IllegalArgumentException(op + ": reduction must be NONE, MEAN or SUM, got null");
        }
        ClassTargets ct = new ClassTargets(op, logProbs.data(), target.data(), weight == null ? null : weight.data(),
                ignoreIndex);
        NDArray loss = ct.picked(ct.rows);
        loss.mulInPlace(ct.rowWeight);
        loss.negInPlace();
        double denom = reduction == Reduction.MEAN ? ct.weightSum : 1;
        NDArray out = ct.reduce(loss, reduction, denom);
        ct.rows = null;
        if (!Graph.needed(logProbs)) {
            return Graph.plain(op, out);
        }
        return Graph.record(new NllLoss(ct, reduction, denom), out, logProbs);
    }

    @Override
    void onRelease() {
        ct = null;
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray coef = ClassTargets.rowCoefficient(g[0].to(ct.rowWeight.dtype()), reduction, denominator);
        NDArray hit = ct.rowWeight.mul(coef);
        hit.negInPlace();
        NDArray grad = NDArray.zeros(hit.dtype(), hit.device(), ct.safeTarget.size(0), ct.classes);
        grad.scatterAddInPlace(1, ct.safeTarget.unsqueeze(1), hit.unsqueeze(1));
        return new NDArray[] {ct.unflatten(grad)};
    }
}
