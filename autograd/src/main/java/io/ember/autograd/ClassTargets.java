package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.util.Arrays;

/**
 * The shared part of the classification losses: validates scores [N, C] (or [N, C, d...], or unbatched [C]) against
 * INT64 targets, flattens the scores to rows [M, C], and builds per-row arrays: the target with ignored rows set
 * to class 0, and the row weight {@code weight[target]} (0 for ignored rows).
 */
final class ClassTargets {
    /** Scores as rows [M, C] (a copy when the class dim was not last); dropped once the forward is done. */
    NDArray rows;
    /** Targets [M] with ignored rows pointing at class 0. */
    final NDArray safeTarget;
    /** Per-row weight [M]: weight[target], or 1; 0 where ignored. */
    final NDArray rowWeight;
    /** 1 for kept rows, 0 for ignored ones [M]. */
    final NDArray keep;
    /** The sum of {@link #rowWeight}: MEAN's denominator. */
    final double weightSum;
    /** The shape of an unreduced loss ([N, d...], or [] unbatched). */
    final int[] lossShape;
    /** The scores' shape with the class dim moved last (to undo the flattening). */
    private final int[] movedShape;
    final int classes;

    ClassTargets(String op, NDArray scores, NDArray target, NDArray weight, int ignoreIndex) {
        int[] s = scores.shape().toArray();
        int[] t = target.shape().toArray();
        if (target.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected target of dtype " + DType.INT64 + " (class indices), got "
                    + target.dtype() + " with shape " + target.shape());
        }
        if (s.length == 0) {
            throw new IllegalArgumentException(op + ": expected input [N, C] or [N, C, d...], got a 0-d tensor");
        }
        int[] expect = s.length == 1 ? new int[0] : new int[s.length - 1];
        if (s.length > 1) {
            expect[0] = s[0];
            System.arraycopy(s, 2, expect, 1, s.length - 2);
        }
        if (!Arrays.equals(expect, t)) {
            throw new IllegalArgumentException(op + ": expected target of shape " + Arrays.toString(expect)
                    + " for input " + scores.shape() + ", got " + target.shape());
        }
        classes = s.length == 1 ? s[0] : s[1];
        if (weight != null && (weight.dim() != 1 || weight.size(0) != classes)) {
            throw new IllegalArgumentException(op + ": expected weight of shape [" + classes + "] (one per class), got "
                    + weight.shape());
        }
        lossShape = expect;
        NDArray moved;
        if (s.length <= 2) {
            moved = scores;
        } else {
            int[] perm = new int[s.length];
            perm[0] = 0;
            for (int d = 2; d < s.length; d++) {
                perm[d - 1] = d;
            }
            perm[s.length - 1] = 1;
            moved = scores.permute(perm);
        }
        movedShape = moved.shape().toArray();
        rows = moved.reshape(-1, classes);
        DType dt = scores.dtype().isFloating() ? scores.dtype() : DType.FLOAT32;
        if (target.device().isCpu()) {
            long[] ts = target.toLongArray();
            int m = ts.length;
            long[] safe = new long[m];
            double[] kept = new double[m];
            checkTargets(op, ts, t, ignoreIndex, safe, kept);
            safeTarget = NDArray.of(safe, m).to(scores.device());
            keep = NDArray.of(kept, m).to(dt).to(scores.device());
            rowWeight = weight == null ? keep : weight.to(dt).indexSelect(0, safeTarget).mul(keep);
            weightSum = rowWeight.sum().item();
        } else {
            // On a device the same arrays are built there; the range check and the weight sum come back in one
            // small copy (one synchronisation), and only a bad target pays for the host loop that names it.
            NDArray flat = target.reshape(-1);
            NDArray kept = flat.ne(ignoreIndex);
            NDArray bad = flat.lt(0).logicalOr(flat.ge(classes)).logicalAnd(kept);
            safeTarget = NDArray.where(kept, flat, NDArray.zerosLike(flat));
            keep = kept.to(dt);
            rowWeight = weight == null ? keep : weight.to(dt).indexSelect(0, safeTarget).mul(keep);
            double[] stats = NDArray.cat(0, bad.sum().to(DType.FLOAT64).reshape(1),
                    rowWeight.sum().to(DType.FLOAT64).reshape(1)).toDoubleArray();
            if (stats[0] > 0) {
                long[] ts = target.toLongArray();
                checkTargets(op, ts, t, ignoreIndex, new long[ts.length], new double[ts.length]);
            }
            weightSum = stats[1];
        }
    }

    /** Validates host targets and fills the safe targets and the kept flags; throws naming the first bad one. */
    private void checkTargets(String op, long[] ts, int[] t, int ignoreIndex, long[] safe, double[] kept) {
        for (int i = 0; i < ts.length; i++) {
            long v = ts[i];
            if (v == ignoreIndex) {
                continue;
            }
            if (v < 0 || v >= classes) {
                throw new IllegalArgumentException(op + ": target " + v + " at " + where(i, t) + " is out of range for "
                        + classes + " classes (expected 0.." + (classes - 1) + " or ignoreIndex " + ignoreIndex + ")");
            }
            safe[i] = v;
            kept[i] = 1;
        }
    }

    private static String where(int flat, int[] shape) {
        if (shape.length <= 1) {
            return "row " + flat;
        }
        int[] idx = new int[shape.length];
        int f = flat;
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = f % shape[d];
            f /= shape[d];
        }
        return "position " + Arrays.toString(idx);
    }

    /** A gradient of the rows [M, C] in the scores' own layout. */
    NDArray unflatten(NDArray gradRows) {
        NDArray g = gradRows.reshape(movedShape);
        if (movedShape.length <= 2) {
            return g;
        }
        int n = movedShape.length;
        int[] perm = new int[n];
        perm[0] = 0;
        perm[1] = n - 1;
        for (int d = 2; d < n; d++) {
            perm[d] = d - 1;
        }
        return g.permute(perm);
    }

    /** The picked scores rows[i, target[i]] as [M]. */
    NDArray picked(NDArray scoreRows) {
        return scoreRows.gather(1, safeTarget.unsqueeze(1)).reshape(-1);
    }

    /** Applies a reduction to per-row losses [M]; MEAN divides by {@code denominator}. */
    NDArray reduce(NDArray lossRows, Reduction reduction, double denominator) {
        return switch (reduction) {
            case NONE -> lossRows.reshape(lossShape);
            case SUM -> lossRows.sum();
            case MEAN -> lossRows.sum().div(denominator);
        };
    }

    /** The per-row factor of an upstream gradient: [M] for NONE, a scalar for SUM and MEAN. */
    static NDArray rowCoefficient(NDArray g, Reduction reduction, double denominator) {
        return switch (reduction) {
            case NONE -> g.reshape(-1);
            case SUM -> g.reshape(1);
            case MEAN -> g.reshape(1).div(denominator);
        };
    }
}
