package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/**
 * A whole GRU layer direction as one node: inputs {@code xg = x W_ih^T + b_ih} [T, B, 3H] (gates r, z, n),
 * {@code W_hh} [3H, H], {@code b_hh} [3H] (or null) and h0 [B, H]; outputs the hidden states [T, B, H] and hN, with
 * PyTorch's {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}. One GEMM per step plus a fused elementwise pass;
 * backward keeps r, z, n and {@code W_hn h + b_hn} per step. Optional per-sequence lengths as in {@link LstmSequence}.
 */
final class GruSequence extends Node {
    private final int steps;
    private final int batch;
    private final int hidden;
    private final boolean reverse;
    private final int[] lengths;

    private GruSequence(int steps, int batch, int hidden, boolean reverse, int[] lengths) {
        this.steps = steps;
        this.batch = batch;
        this.hidden = hidden;
        this.reverse = reverse;
        this.lengths = lengths;
        this.numOutputs = 2;
    }

    /** Returns {output, hN}. */
    static Tensor[] apply(Tensor xg, Tensor wHh, Tensor bHh, Tensor h0, int[] lengths, boolean reverse) {
        int steps = xg.size(0);
        int batch = xg.size(1);
        int hidden = wHh.size(1);
        DType dt = xg.dtype();
        NDArray x = RnnCellKernels.dense(xg.data());
        NDArray w = RnnCellKernels.dense(wHh.data().to(dt));
        NDArray bias = bHh == null ? null : RnnCellKernels.dense(bHh.data().to(dt));
        NDArray hsArr = RnnCellKernels.zeros(dt, steps + 1, batch, hidden);
        NDArray acts = RnnCellKernels.zeros(dt, steps, batch, 4 * hidden);
        NDArray out = RnnCellKernels.zeros(dt, steps, batch, hidden);
        NDArray hhArr = RnnCellKernels.zeros(dt, batch, 3 * hidden);
        hsArr.select(0, reverse ? steps : 0).copyFrom(h0.data());
        GruSequence n = new GruSequence(steps, batch, hidden, reverse, lengths);
        if (dt == DType.FLOAT32) {
            n.forwardF(RnnCellKernels.f(x), RnnCellKernels.f(hsArr), RnnCellKernels.f(acts), RnnCellKernels.f(out),
                    bias == null ? null : RnnCellKernels.f(bias), w, hsArr, hhArr);
        } else {
            n.forwardD(RnnCellKernels.d(x), RnnCellKernels.d(hsArr), RnnCellKernels.d(acts), RnnCellKernels.d(out),
                    bias == null ? null : RnnCellKernels.d(bias), w, hsArr, hhArr);
        }
        NDArray hN = hsArr.select(0, reverse ? 0 : steps).clone();
        if (!Graph.needed(xg, wHh, bHh, h0)) {
            return new Tensor[] {Graph.plain("gru", out), Graph.plain("gru", hN)};
        }
        n.save(acts, hsArr, w);
        Graph.link(n, xg, wHh, bHh, h0);
        return new Tensor[] {Graph.output(n, out, 0), Graph.output(n, hN, 1)};
    }

    @Override
    NDArray[] backward(NDArray[] grads) {
        NDArray acts = saved(0);
        NDArray hsArr = saved(1);
        NDArray w = saved(2);
        DType dt = acts.dtype();
        NDArray gOut = grads[0] == null ? null : RnnCellKernels.dense(grads[0].to(dt));
        NDArray dh = RnnCellKernels.dense(grads[1] == null ? RnnCellKernels.zeros(dt, batch, hidden)
                : grads[1].to(dt).clone());
        NDArray dX = RnnCellKernels.zeros(dt, steps, batch, 3 * hidden);
        NDArray dHH = RnnCellKernels.zeros(dt, steps, batch, 3 * hidden);
        NDArray dhp = RnnCellKernels.zeros(dt, batch, hidden);
        if (dt == DType.FLOAT32) {
            backwardF(gOut == null ? null : RnnCellKernels.f(gOut), RnnCellKernels.f(dh), RnnCellKernels.f(dX),
                    RnnCellKernels.f(dHH), RnnCellKernels.f(hsArr), RnnCellKernels.f(acts), w, dHH, dhp);
        } else {
            backwardD(gOut == null ? null : RnnCellKernels.d(gOut), RnnCellKernels.d(dh), RnnCellKernels.d(dX),
                    RnnCellKernels.d(dHH), RnnCellKernels.d(hsArr), RnnCellKernels.d(acts), w, dHH, dhp);
        }
        NDArray dW = null;
        if (needsGrad(1)) {
            dW = RnnCellKernels.zeros(dt, 3 * hidden, hidden);
            RnnCellKernels.gemm(dHH, 0, true, hsArr, reverse ? batch * hidden : 0, false, dW, 3 * hidden, hidden,
                    steps * batch);
        }
        NDArray dB = needsGrad(2) ? dHH.reshape(steps * batch, 3 * hidden).sum(0) : null;
        return new NDArray[] {needsGrad(0) ? dX : null, dW, dB, needsGrad(3) ? dh : null};
    }

    private void forwardF(float[] xg, float[] hs, float[] acts, float[] out, float[] bias, NDArray w, NDArray hsArr,
            NDArray hhArr) {
        int b3 = 3 * hidden;
        int b4 = 4 * hidden;
        float[] hh = RnnCellKernels.f(hhArr);
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            int ps = reverse ? t + 1 : t;
            int cur = reverse ? t : t + 1;
            RnnCellKernels.gemm(hsArr, ps * batch * hidden, false, w, 0, true, hhArr, batch, b3, hidden);
            RnnCellKernels.forRows(batch, b4, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    int hp = (ps * batch + b) * hidden;
                    int hc = (cur * batch + b) * hidden;
                    if (lengths != null && t >= lengths[b]) {
                        System.arraycopy(hs, hp, hs, hc, hidden);
                        continue;
                    }
                    int xo = (t * batch + b) * b3;
                    int ao = (t * batch + b) * b4;
                    int ho = b * b3;
                    int oo = (t * batch + b) * hidden;
                    for (int j = 0; j < hidden; j++) {
                        float hr = hh[ho + j];
                        float hz = hh[ho + hidden + j];
                        float hn = hh[ho + 2 * hidden + j];
                        if (bias != null) {
                            hr += bias[j];
                            hz += bias[hidden + j];
                            hn += bias[2 * hidden + j];
                        }
                        float r = RnnCellKernels.sigmoid(xg[xo + j] + hr);
                        float z = RnnCellKernels.sigmoid(xg[xo + hidden + j] + hz);
                        float n = RnnCellKernels.tanh(xg[xo + 2 * hidden + j] + r * hn);
                        float h = (1f - z) * n + z * hs[hp + j];
                        acts[ao + j] = r;
                        acts[ao + hidden + j] = z;
                        acts[ao + 2 * hidden + j] = n;
                        acts[ao + 3 * hidden + j] = hn;
                        hs[hc + j] = h;
                        out[oo + j] = h;
                    }
                }
            });
        }
    }

    private void backwardF(float[] gOut, float[] dh, float[] dX, float[] dHH, float[] hs, float[] acts, NDArray w,
            NDArray dHHArr, NDArray dhpArr) {
        int b3 = 3 * hidden;
        int b4 = 4 * hidden;
        float[] dhp = RnnCellKernels.f(dhpArr);
        for (int k = steps - 1; k >= 0; k--) {
            int t = reverse ? steps - 1 - k : k;
            int ps = reverse ? t + 1 : t;
            RnnCellKernels.forRows(batch, b4, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    if (lengths != null && t >= lengths[b]) {
                        continue;
                    }
                    int hp = (ps * batch + b) * hidden;
                    int xo = (t * batch + b) * b3;
                    int ao = (t * batch + b) * b4;
                    int oo = (t * batch + b) * hidden;
                    int so = b * hidden;
                    for (int j = 0; j < hidden; j++) {
                        float r = acts[ao + j];
                        float z = acts[ao + hidden + j];
                        float n = acts[ao + 2 * hidden + j];
                        float hn = acts[ao + 3 * hidden + j];
                        float dhv = dh[so + j] + (gOut == null ? 0f : gOut[oo + j]);
                        float dpn = dhv * (1f - z) * (1f - n * n);
                        float dpz = dhv * (hs[hp + j] - n) * z * (1f - z);
                        float dpr = dpn * hn * r * (1f - r);
                        dX[xo + j] = dpr;
                        dX[xo + hidden + j] = dpz;
                        dX[xo + 2 * hidden + j] = dpn;
                        dHH[xo + j] = dpr;
                        dHH[xo + hidden + j] = dpz;
                        dHH[xo + 2 * hidden + j] = dpn * r;
                        dh[so + j] = dhv * z;
                    }
                }
            });
            if (k == 0 && !needsGrad(3)) {
                break;
            }
            RnnCellKernels.gemm(dHHArr, t * batch * b3, false, w, 0, false, dhpArr, batch, hidden, b3);
            for (int b = 0; b < batch; b++) {
                if (lengths == null || t < lengths[b]) {
                    for (int j = b * hidden; j < (b + 1) * hidden; j++) {
                        dh[j] += dhp[j];
                    }
                }
            }
        }
    }

    private void forwardD(double[] xg, double[] hs, double[] acts, double[] out, double[] bias, NDArray w, NDArray hsArr,
            NDArray hhArr) {
        int b3 = 3 * hidden;
        int b4 = 4 * hidden;
        double[] hh = RnnCellKernels.d(hhArr);
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            int ps = reverse ? t + 1 : t;
            int cur = reverse ? t : t + 1;
            RnnCellKernels.gemm(hsArr, ps * batch * hidden, false, w, 0, true, hhArr, batch, b3, hidden);
            RnnCellKernels.forRows(batch, b4, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    int hp = (ps * batch + b) * hidden;
                    int hc = (cur * batch + b) * hidden;
                    if (lengths != null && t >= lengths[b]) {
                        System.arraycopy(hs, hp, hs, hc, hidden);
                        continue;
                    }
                    int xo = (t * batch + b) * b3;
                    int ao = (t * batch + b) * b4;
                    int ho = b * b3;
                    int oo = (t * batch + b) * hidden;
                    for (int j = 0; j < hidden; j++) {
                        double hr = hh[ho + j];
                        double hz = hh[ho + hidden + j];
                        double hn = hh[ho + 2 * hidden + j];
                        if (bias != null) {
                            hr += bias[j];
                            hz += bias[hidden + j];
                            hn += bias[2 * hidden + j];
                        }
                        double r = RnnCellKernels.sigmoid(xg[xo + j] + hr);
                        double z = RnnCellKernels.sigmoid(xg[xo + hidden + j] + hz);
                        double n = Math.tanh(xg[xo + 2 * hidden + j] + r * hn);
                        double h = (1.0 - z) * n + z * hs[hp + j];
                        acts[ao + j] = r;
                        acts[ao + hidden + j] = z;
                        acts[ao + 2 * hidden + j] = n;
                        acts[ao + 3 * hidden + j] = hn;
                        hs[hc + j] = h;
                        out[oo + j] = h;
                    }
                }
            });
        }
    }

    private void backwardD(double[] gOut, double[] dh, double[] dX, double[] dHH, double[] hs, double[] acts, NDArray w,
            NDArray dHHArr, NDArray dhpArr) {
        int b3 = 3 * hidden;
        int b4 = 4 * hidden;
        double[] dhp = RnnCellKernels.d(dhpArr);
        for (int k = steps - 1; k >= 0; k--) {
            int t = reverse ? steps - 1 - k : k;
            int ps = reverse ? t + 1 : t;
            RnnCellKernels.forRows(batch, b4, (lo, hi) -> {
                for (int b = lo; b < hi; b++) {
                    if (lengths != null && t >= lengths[b]) {
                        continue;
                    }
                    int hp = (ps * batch + b) * hidden;
                    int xo = (t * batch + b) * b3;
                    int ao = (t * batch + b) * b4;
                    int oo = (t * batch + b) * hidden;
                    int so = b * hidden;
                    for (int j = 0; j < hidden; j++) {
                        double r = acts[ao + j];
                        double z = acts[ao + hidden + j];
                        double n = acts[ao + 2 * hidden + j];
                        double hn = acts[ao + 3 * hidden + j];
                        double dhv = dh[so + j] + (gOut == null ? 0.0 : gOut[oo + j]);
                        double dpn = dhv * (1.0 - z) * (1.0 - n * n);
                        double dpz = dhv * (hs[hp + j] - n) * z * (1.0 - z);
                        double dpr = dpn * hn * r * (1.0 - r);
                        dX[xo + j] = dpr;
                        dX[xo + hidden + j] = dpz;
                        dX[xo + 2 * hidden + j] = dpn;
                        dHH[xo + j] = dpr;
                        dHH[xo + hidden + j] = dpz;
                        dHH[xo + 2 * hidden + j] = dpn * r;
                        dh[so + j] = dhv * z;
                    }
                }
            });
            if (k == 0 && !needsGrad(3)) {
                break;
            }
            RnnCellKernels.gemm(dHHArr, t * batch * b3, false, w, 0, false, dhpArr, batch, hidden, b3);
            for (int b = 0; b < batch; b++) {
                if (lengths == null || t < lengths[b]) {
                    for (int j = b * hidden; j < (b + 1) * hidden; j++) {
                        dh[j] += dhp[j];
                    }
                }
            }
        }
    }
}
