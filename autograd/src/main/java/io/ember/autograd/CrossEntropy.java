package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * Fused log-softmax + NLL with class weights, ignoreIndex and label smoothing (PyTorch's formula): per row,
 * {@code loss = (1-e) w[t] (-logp[t]) + e/C sum_c w[c] (-logp[c])}, 0 for ignored rows; MEAN divides by the summed
 * {@code w[t]} of kept rows. Backward in one pass over the rows:
 * {@code dlogits = coef (p S - q)} with {@code q = (1-e) w[t] onehot(t) + e/C w} and {@code S = sum(q)}.
 */
final class CrossEntropy extends Node {
    private ClassTargets ct;
    private final double smoothing;
    private final Reduction reduction;
    private final double denominator;

    private CrossEntropy(ClassTargets ct, double smoothing, Reduction reduction, double denominator) {
        this.ct = ct;
        this.smoothing = smoothing;
        this.reduction = reduction;
        this.denominator = denominator;
    }

    static Tensor apply(Tensor logits, Tensor target, Tensor weight, int ignoreIndex, double smoothing,
            Reduction reduction) {
        String op = "crossEntropy";
        if (!(smoothing >= 0 && smoothing <= 1)) {
            throw new IllegalArgumentException(op + ": labelSmoothing must be in [0, 1], got " + smoothing);
        }
        if (reduction == null) {
            throw new IllegalArgumentException(op + ": reduction must be NONE, MEAN or SUM, got null");
        }
        NDArray w = weight == null ? null : weight.data();
        ClassTargets ct = new ClassTargets(op, logits.data(), target.data(), w, ignoreIndex);
        NDArray logp = ct.rows.logSoftmax(1);
        NDArray loss = ct.picked(logp);
        loss.mulInPlace(ct.rowWeight);
        loss.mulInPlace(-(1 - smoothing));
        if (smoothing > 0) {
            NDArray all = w == null ? logp.sum(1) : logp.mul(w.to(logp.dtype())).sum(1);
            all.mulInPlace(ct.keep);
            loss.addInPlace(all, -smoothing / ct.classes);
        }
        double denom = reduction == Reduction.MEAN ? ct.weightSum : 1;
        NDArray out = ct.reduce(loss, reduction, denom);
        ct.rows = null;
        if (!Graph.needed(logits)) {
            return Graph.plain(op, out);
        }
        CrossEntropy n = new CrossEntropy(ct, smoothing, reduction, denom);
        n.save(logp, w == null ? null : w.to(logp.dtype()));
        return Graph.record(n, out, logits);
    }


    @Override
    void onRelease() {
        ct = null;
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        NDArray logp = saved(0);
        NDArray w = saved(1);
        NDArray coef = ClassTargets.rowCoefficient(g[0].to(logp.dtype()), reduction, denominator);
        double e = smoothing;
        int c = ct.classes;
        // S = (1-e) w[t] + e/C sum(w) keep   (without weights: S = keep)
        NDArray s = w == null ? ct.keep.mul(1.0) : ct.rowWeight.mul(1 - e);
        if (w != null && e > 0) {
            s.addInPlace(ct.keep, e / c * w.sum().item());
        }
        s.mulInPlace(coef);
        NDArray grad = logp.exp();
        grad.mulInPlace(s.unsqueeze(1));
        NDArray hit = ct.rowWeight.mul(coef);
        hit.mulInPlace(-(1 - e));
        grad.scatterAddInPlace(1, ct.safeTarget.unsqueeze(1), hit.unsqueeze(1));
        if (e > 0) {
            NDArray spread = ct.keep.mul(coef);
            spread.mulInPlace(e / c);
            NDArray sub = w == null ? spread.unsqueeze(1) : spread.unsqueeze(1).mul(w.unsqueeze(0));
            grad.subInPlace(sub);
        }
        return new NDArray[] {ct.unflatten(grad)};
    }
}
