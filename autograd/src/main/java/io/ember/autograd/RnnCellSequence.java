package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/**
 * A whole Elman RNN layer direction as one node: inputs {@code xg = x W_ih^T + b_ih + b_hh} [T, B, H],
 * {@code W_hh} [H, H] and h0 [B, H]; outputs the hidden states [T, B, H] and hN, {@code h' = act(xg + h W_hh^T)}
 * with act tanh or relu. Backward keeps only the hidden states. Optional lengths as in {@link LstmSequence}.
 */
final class RnnCellSequence extends Node {
    private final int steps;
    private final int batch;
    private final int hidden;
    private final boolean reverse;
    private final boolean relu;
    private final int[] lengths;

    private RnnCellSequence(int steps, int batch, int hidden, boolean reverse, boolean relu, int[] lengths) {
        this.steps = steps;
        this.batch = batch;
        this.hidden = hidden;
        this.reverse = reverse;
        this.relu = relu;
        this.lengths = lengths;
        this.numOutputs = 2;
    }

    @Override
    public String name() {
        return relu ? "RnnReluBackward" : "RnnTanhBackward";
    }

    /** Returns {output, hN}. */
    static Tensor[] apply(Tensor xg, Tensor wHh, Tensor h0, boolean relu, int[] lengths, boolean reverse) {
        int steps = xg.size(0);
        int batch = xg.size(1);
        int hidden = wHh.size(1);
        DType dt = xg.dtype();
        NDArray x = RnnCellKernels.dense(xg.data());
        NDArray w = RnnCellKernels.dense(wHh.data().to(dt));
        NDArray hsArr = RnnCellKernels.zeros(dt, steps + 1, batch, hidden);
        NDArray out = RnnCellKernels.zeros(dt, steps, batch, hidden);
        NDArray hhArr = RnnCellKernels.zeros(dt, batch, hidden);
        hsArr.select(0, reverse ? steps : 0).copyFrom(h0.data());
        RnnCellSequence n = new RnnCellSequence(steps, batch, hidden, reverse, relu, lengths);
        if (dt == DType.FLOAT32) {
            n.forwardF(RnnCellKernels.f(x), RnnCellKernels.f(hsArr), RnnCellKernels.f(out), w, hsArr, hhArr);
        } else {
            n.forwardD(RnnCellKernels.d(x), RnnCellKernels.d(hsArr), RnnCellKernels.d(out), w, hsArr, hhArr);
        }
        NDArray hN = hsArr.select(0, reverse ? 0 : steps).clone();
        if (!Graph.needed(xg, wHh, h0)) {
            return new Tensor[] {Graph.plain("rnn", out), Graph.plain("rnn", hN)};
        }
        n.save(hsArr, w);
        Graph.link(n, xg, wHh, h0);
        return new Tensor[] {Graph.output(n, out, 0), Graph.output(n, hN, 1)};
    }

    @Override
    NDArray[] backward(NDArray[] grads) {
        NDArray hsArr = saved(0);
        NDArray w = saved(1);
        DType dt = hsArr.dtype();
        NDArray gOut = grads[0] == null ? null : RnnCellKernels.dense(grads[0].to(dt));
        NDArray dh = RnnCellKernels.dense(grads[1] == null ? RnnCellKernels.zeros(dt, batch, hidden)
                : grads[1].to(dt).clone());
        NDArray dX = RnnCellKernels.zeros(dt, steps, batch, hidden);
        NDArray dhp = RnnCellKernels.zeros(dt, batch, hidden);
        if (dt == DType.FLOAT32) {
            backwardF(gOut == null ? null : RnnCellKernels.f(gOut), RnnCellKernels.f(dh), RnnCellKernels.f(dX),
                    RnnCellKernels.f(hsArr), w, dX, dhp);
        } else {
            backwardD(gOut == null ? null : RnnCellKernels.d(gOut), RnnCellKernels.d(dh), RnnCellKernels.d(dX),
                    RnnCellKernels.d(hsArr), w, dX, dhp);
        }
        NDArray dW = null;
        if (needsGrad(1)) {
            dW = RnnCellKernels.zeros(dt, hidden, hidden);
            RnnCellKernels.gemm(dX, 0, true, hsArr, reverse ? batch * hidden : 0, false, dW, hidden, hidden,
                    steps * batch);
        }
        return new NDArray[] {needsGrad(0) ? dX : null, dW, needsGrad(2) ? dh : null};
    }

    private void forwardF(float[] xg, float[] hs, float[] out, NDArray w, NDArray hsArr, NDArray hhArr) {
        float[] hh = RnnCellKernels.f(hhArr);
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            int ps = reverse ? t + 1 : t;
            int cur = reverse ? t : t + 1;
            RnnCellKernels.gemm(hsArr, ps * batch * hidden, false, w, 0, true, hhArr, batch, hidden, hidden);
            RnnCellKernels.forRows(batch, hidden, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    int hp = (ps * batch + b) * hidden;
                    int hc = (cur * batch + b) * hidden;
                    if (lengths != null && t >= lengths[b]) {
                        System.arraycopy(hs, hp, hs, hc, hidden);
                        continue;
                    }
                    int xo = (t * batch + b) * hidden;
                    int ho = b * hidden;
                    for (int j = 0; j < hidden; j++) {
                        float v = xg[xo + j] + hh[ho + j];
                        float h = relu ? Math.max(v, 0f) : RnnCellKernels.tanh(v);
                        hs[hc + j] = h;
                        out[xo + j] = h;
                    }
                }
            });
        }
    }

    private void backwardF(float[] gOut, float[] dh, float[] dX, float[] hs, NDArray w, NDArray dXArr,
            NDArray dhpArr) {
        float[] dhp = RnnCellKernels.f(dhpArr);
        for (int k = steps - 1; k >= 0; k--) {
            int t = reverse ? steps - 1 - k : k;
            int cur = reverse ? t : t + 1;
            RnnCellKernels.forRows(batch, hidden, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    if (lengths != null && t >= lengths[b]) {
                        continue;
                    }
                    int hc = (cur * batch + b) * hidden;
                    int xo = (t * batch + b) * hidden;
                    int so = b * hidden;
                    for (int j = 0; j < hidden; j++) {
                        float h = hs[hc + j];
                        float dhv = dh[so + j] + (gOut == null ? 0f : gOut[xo + j]);
                        dX[xo + j] = relu ? (h > 0f ? dhv : 0f) : dhv * (1f - h * h);
                    }
                }
            });
            if (k == 0 && !needsGrad(2)) {
                break;
            }
            RnnCellKernels.gemm(dXArr, t * batch * hidden, false, w, 0, false, dhpArr, batch, hidden, hidden);
            for (int b = 0; b < batch; b++) {
                if (lengths == null || t < lengths[b]) {
                    System.arraycopy(dhp, b * hidden, dh, b * hidden, hidden);
                }
            }
        }
    }

    private void forwardD(double[] xg, double[] hs, double[] out, NDArray w, NDArray hsArr, NDArray hhArr) {
        double[] hh = RnnCellKernels.d(hhArr);
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            int ps = reverse ? t + 1 : t;
            int cur = reverse ? t : t + 1;
            RnnCellKernels.gemm(hsArr, ps * batch * hidden, false, w, 0, true, hhArr, batch, hidden, hidden);
            RnnCellKernels.forRows(batch, hidden, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    int hp = (ps * batch + b) * hidden;
                    int hc = (cur * batch + b) * hidden;
                    if (lengths != null && t >= lengths[b]) {
                        System.arraycopy(hs, hp, hs, hc, hidden);
                        continue;
                    }
                    int xo = (t * batch + b) * hidden;
                    int ho = b * hidden;
                    for (int j = 0; j < hidden; j++) {
                        double v = xg[xo + j] + hh[ho + j];
                        double h = relu ? Math.max(v, 0.0) : Math.tanh(v);
                        hs[hc + j] = h;
                        out[xo + j] = h;
                    }
                }
            });
        }
    }

    private void backwardD(double[] gOut, double[] dh, double[] dX, double[] hs, NDArray w, NDArray dXArr,
            NDArray dhpArr) {
        double[] dhp = RnnCellKernels.d(dhpArr);
        for (int k = steps - 1; k >= 0; k--) {
            int t = reverse ? steps - 1 - k : k;
            int cur = reverse ? t : t + 1;
            RnnCellKernels.forRows(batch, hidden, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    if (lengths != null && t >= lengths[b]) {
                        continue;
                    }
                    int hc = (cur * batch + b) * hidden;
                    int xo = (t * batch + b) * hidden;
                    int so = b * hidden;
                    for (int j = 0; j < hidden; j++) {
                        double h = hs[hc + j];
                        double dhv = dh[so + j] + (gOut == null ? 0.0 : gOut[xo + j]);
                        dX[xo + j] = relu ? (h > 0.0 ? dhv : 0.0) : dhv * (1.0 - h * h);
                    }
                }
            });
            if (k == 0 && !needsGrad(2)) {
                break;
            }
            RnnCellKernels.gemm(dXArr, t * batch * hidden, false, w, 0, false, dhpArr, batch, hidden, hidden);
            for (int b = 0; b < batch; b++) {
                if (lengths == null || t < lengths[b]) {
                    System.arraycopy(dhp, b * hidden, dh, b * hidden, hidden);
                }
            }
        }
    }
}
