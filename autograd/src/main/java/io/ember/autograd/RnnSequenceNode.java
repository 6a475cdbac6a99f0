package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/**
 * What the fused recurrent layer nodes ({@link LstmSequence}, {@link GruSequence}, {@link RnnCellSequence}) share:
 * the sizes, the direction and the optional lengths; the state buffer layout (slot s of a [T + 1, B, H] buffer,
 * step t reads slot {@link #prev} and writes slot {@link #cur}); the generic step loops around one GEMM per step;
 * the weight gradient over all steps; and the output assembly.
 */
abstract class RnnSequenceNode extends Node {
    final int steps;
    final int batch;
    final int hidden;
    final boolean reverse;
    final int[] lengths;

    RnnSequenceNode(int steps, int batch, int hidden, boolean reverse, int[] lengths, int outputs) {
        this.steps = steps;
        this.batch = batch;
        this.hidden = hidden;
        this.reverse = reverse;
        this.lengths = lengths;
        this.numOutputs = outputs;
    }

    /** The time index of the k-th step in the direction of travel. */
    final int time(int k) {
        return reverse ? steps - 1 - k : k;
    }

    /** The state slot step t reads. */
    final int prev(int t) {
        return reverse ? t + 1 : t;
    }

    /** The state slot step t writes. */
    final int cur(int t) {
        return reverse ? t : t + 1;
    }

    /** The slot of the initial state. */
    final int firstSlot() {
        return reverse ? steps : 0;
    }

    /** The slot of the final state. */
    final int lastSlot() {
        return reverse ? 0 : steps;
    }

    /** Whether batch row b is past its length at step t (it keeps its state). */
    final boolean past(int t, int b) {
        return lengths != null && t >= lengths[b];
    }

    /** A zero [T + 1, B, H] state buffer whose initial slot holds init. */
    final NDArray states(DType dt, Tensor init) {
        NDArray s = RnnCellKernels.zeros(dt, steps + 1, batch, hidden);
        s.select(0, firstSlot()).copyFrom(init.data());
        return s;
    }

    /** The final state of a state buffer, as its own array. */
    final NDArray finalState(NDArray states) {
        return states.select(0, lastSlot()).clone();
    }

    /** The incoming gradient of the output sequence, dense in dtype dt, or null. */
    static NDArray gradOutput(NDArray g, DType dt) {
        return g == null ? null : RnnCellKernels.dense(g.to(dt));
    }

    /** The incoming gradient of a final state as a private dense [B, H] array in dtype dt (zeros when absent). */
    final NDArray gradState(NDArray g, DType dt) {
        return RnnCellKernels.dense(g == null ? RnnCellKernels.zeros(dt, batch, hidden) : g.to(dt).clone());
    }

    /**
     * Links this node when any input needs a gradient (saving the arrays for backward) and returns the outputs
     * as tensors; plain tensors named op otherwise.
     */
    final Tensor[] finish(String op, Tensor[] inputs, NDArray[] toSave, NDArray... outputs) {
        Tensor[] r = new Tensor[outputs.length];
        if (!Graph.needed(inputs)) {
            for (int i = 0; i < outputs.length; i++) {
                r[i] = Graph.plain(op, outputs[i]);
            }
            return r;
        }
        save(toSave);
        Graph.link(this, inputs);
        for (int i = 0; i < outputs.length; i++) {
            r[i] = Graph.output(this, outputs[i], i);
        }
        return r;
    }

    /** The work of one batch row at step t, reading state slot ps and writing slot cs. */
    interface Row {
        void run(int t, int ps, int cs, int b);
    }

    /**
     * The generic forward: per step, {@code hh = h[prev] W_hh^T} ([B, gates]) by one GEMM, then cell(t, ...) on the
     * rows still within their length and carry(t, ...) on the others, rows in parallel (work: elements per row).
     */
    final void forwardSteps(NDArray hs, NDArray w, NDArray hh, int gates, int work, Row cell, Row carry) {
        for (int k = 0; k < steps; k++) {
            int t = time(k);
            int ps = prev(t);
            int cs = cur(t);
            RnnCellKernels.gemm(hs, ps * batch * hidden, false, w, 0, true, hh, batch, gates, hidden);
            RnnCellKernels.forRows(batch, work, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    (past(t, b) ? carry : cell).run(t, ps, cs, b);
                }
            });
        }
    }

    /**
     * The generic backward: per step from the last, cell(t, ...) on the rows within their length (it writes the
     * pre-activation gradients dGates[t] and updates dh), then, unless this is the first step and input hIndex (h0)
     * needs no gradient, {@code dhp = dGates[t] W_hh} by one GEMM, which replaces dh (accumulate: is added to dh)
     * on the rows within their length.
     */
    final void backwardSteps(NDArray dGates, NDArray w, NDArray dhpArr, RnnArray dh, int gates, int work,
            int hIndex, boolean accumulate, Row cell) {
        RnnArray dhp = RnnArray.of(dhpArr);
        for (int k = steps - 1; k >= 0; k--) {
            int t = time(k);
            int ps = prev(t);
            int cs = cur(t);
            RnnCellKernels.forRows(batch, work, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    if (!past(t, b)) {
                        cell.run(t, ps, cs, b);
                    }
                }
            });
            if (k == 0 && !needsGrad(hIndex)) {
                break;
            }
            RnnCellKernels.gemm(dGates, t * batch * gates, false, w, 0, false, dhpArr, batch, hidden, gates);
            for (int b = 0; b < batch; b++) {
                if (!past(t, b)) {
                    if (accumulate) {
                        for (int j = b * hidden; j < (b + 1) * hidden; j++) {
                            dh.add(j, dhp.get(j));
                        }
                    } else {
                        dhp.copy(b * hidden, dh, b * hidden, hidden);
                    }
                }
            }
        }
    }

    /** {@code dW_hh = sum over steps of dGates[t]^T h[prev(t)]} ([gates, H]) by one GEMM. */
    final NDArray weightGrad(NDArray dGates, NDArray hs, int gates) {
        NDArray dW = RnnCellKernels.zeros(dGates.dtype(), gates, hidden);
        RnnCellKernels.gemm(dGates, 0, true, hs, reverse ? batch * hidden : 0, false, dW, gates, hidden,
                steps * batch);
        return dW;
    }
}
