package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/**
 * A whole LSTM layer direction as one node: inputs {@code xg = x W_ih^T + b_ih + b_hh} [T, B, 4H] (gates i, f, g, o),
 * {@code W_hh} [4H, H], h0 and c0 [B, H]; outputs the hidden states [T, B, H], hN and cN. Each step is one GEMM
 * ({@code h W_hh^T}) plus an elementwise pass on the raw arrays; backward walks the steps once, keeping only the
 * gate activations, the cell states and their tanh and the hidden states, and computes {@code dW_hh} with one GEMM
 * over all steps. Optional per-sequence lengths: beyond its length a sequence keeps its state and outputs zeros.
 *
 * <p>Float32 speed (the char-LSTM benchmark's path): the gate buffer is xg itself when the caller owns it; each step
 * adds {@code W_hh h^T} (computed as a [4H, B] product, which OpenBLAS runs faster than [B, 4H]) and applies the
 * activations in place with branch-free rational tanh/sigmoid loops that C2 vectorises; backward keeps the running
 * dh transposed for the same reason. Float64 keeps plain loops and exact {@code Math.tanh}.
 */
final class LstmSequence extends RnnSequenceNode {
    private LstmSequence(int steps, int batch, int hidden, boolean reverse, int[] lengths) {
        super(steps, batch, hidden, reverse, lengths, 3);
    }

    /** Returns {output, hN, cN}. */
    static Tensor[] apply(Tensor xg, Tensor wHh, Tensor h0, Tensor c0, int[] lengths, boolean reverse) {
        return apply(xg, wHh, h0, c0, lengths, reverse, false);
    }

    /**
     * Returns {output, hN, cN}. {@code ownsInput}: xg is a private intermediate no one else reads, so its storage may
     * become the gate buffer (saves a copy of [T, B, 4H]).
     */
    static Tensor[] apply(Tensor xg, Tensor wHh, Tensor h0, Tensor c0, int[] lengths, boolean reverse,
            boolean ownsInput) {
        if (!xg.device().isCpu()) {
            return RnnDevice.lstm(xg, wHh, h0, c0, lengths, reverse);
        }
        int hidden = wHh.size(1);
        DType dt = xg.dtype();
        LstmSequence n = new LstmSequence(xg.size(0), xg.size(1), hidden, reverse, lengths);
        int steps = n.steps;
        int batch = n.batch;
        NDArray x = RnnCellKernels.dense(xg.data());
        NDArray w = RnnCellKernels.dense(wHh.data().to(dt));
        NDArray hsArr = n.states(dt, h0);
        NDArray csArr = n.states(dt, c0);
        // tanh of the cell states, kept for backward (slot s holds tanh(cs[s]))
        NDArray tcArr = RnnCellKernels.zeros(dt, steps + 1, batch, hidden);
        NDArray out = RnnCellKernels.zeros(dt, steps, batch, hidden);
        NDArray acts;
        if (dt == DType.FLOAT32) {
            // the gate buffer starts as xg; each step adds h W_hh^T into it and applies the activations in place
            acts = ownsInput || x != xg.data() ? x : x.clone();
            n.forwardF(RnnCellKernels.f(hsArr), RnnCellKernels.f(csArr), RnnCellKernels.f(tcArr),
                    RnnCellKernels.f(acts), RnnCellKernels.f(out), RnnCellKernels.f(w));
        } else {
            acts = RnnCellKernels.zeros(dt, steps, batch, 4 * hidden);
            NDArray hhArr = RnnCellKernels.zeros(dt, batch, 4 * hidden);
            n.forwardD(RnnCellKernels.d(x), RnnCellKernels.d(hsArr), RnnCellKernels.d(csArr),
                    RnnCellKernels.d(tcArr), RnnCellKernels.d(acts), RnnCellKernels.d(out), w, hsArr, hhArr);
        }
        return n.finish("lstm", new Tensor[] {xg, wHh, h0, c0}, new NDArray[] {acts, hsArr, tcArr, w, csArr}, out,
                n.finalState(hsArr), n.finalState(csArr));
    }

    @Override
    NDArray[] backward(NDArray[] grads) {
        NDArray acts = saved(0);
        NDArray hsArr = saved(1);
        NDArray tcArr = saved(2);
        NDArray w = saved(3);
        NDArray csArr = saved(4);
        DType dt = acts.dtype();
        NDArray gOut = gradOutput(grads[0], dt);
        NDArray dh = gradState(grads[1], dt);
        NDArray dc = gradState(grads[2], dt);
        NDArray dG = RnnCellKernels.zeros(dt, steps, batch, 4 * hidden);
        NDArray dW = null;
        if (dt == DType.FLOAT32) {
            backwardF(gOut == null ? null : RnnCellKernels.f(gOut), RnnCellKernels.f(dh), RnnCellKernels.f(dc),
                    RnnCellKernels.f(dG), RnnCellKernels.f(csArr), RnnCellKernels.f(tcArr), RnnCellKernels.f(acts),
                    RnnCellKernels.f(w));
            if (needsGrad(1)) {
                int hsOff = reverse ? batch * hidden : 0;
                dW = RnnCellKernels.zeros(dt, 4 * hidden, hidden);
                RnnCellKernels.sgemm(true, false, 4 * hidden, hidden, steps * batch, RnnCellKernels.f(dG), 0,
                        4 * hidden, RnnCellKernels.f(hsArr), hsOff, hidden, 0f, RnnCellKernels.f(dW), 0, hidden);
            }
        } else {
            backwardD(gOut == null ? null : RnnCellKernels.d(gOut), dh, RnnCellKernels.d(dc), RnnCellKernels.d(dG),
                    RnnCellKernels.d(csArr), RnnCellKernels.d(tcArr), RnnCellKernels.d(acts), w, dG,
                    RnnCellKernels.zeros(dt, batch, hidden));
            dW = needsGrad(1) ? weightGrad(dG, hsArr, 4 * hidden) : null;
        }
        return new NDArray[] {needsGrad(0) ? dG : null, dW, needsGrad(2) ? dh : null, needsGrad(3) ? dc : null};
    }

    /** Float forward; {@code acts} holds xg on entry and the gate activations i, f, g, o on return. */
    private void forwardF(float[] hs, float[] cs, float[] tcs, float[] acts, float[] out, float[] w) {
        int h1 = hidden;
        int b4 = 4 * hidden;
        float[] gT = new float[b4 * batch];
        for (int k = 0; k < steps; k++) {
            int t = time(k);
            int ps = prev(t);
            int cur = cur(t);
            // acts[t] += h[ps] W_hh^T, computed as its transpose W_hh h[ps]^T [4H, B] (a tall result, which OpenBLAS
            // runs about 30% faster) and added back transposed
            RnnCellKernels.sgemm(false, true, b4, batch, h1, w, 0, h1, hs, ps * batch * h1, h1, 0f, gT, 0, batch);
            RnnCellKernels.addTransposed(gT, b4, batch, acts, t * batch * b4, b4);
            for (int b = 0; b < batch; b++) {
                int hp = (ps * batch + b) * h1;
                int hc = (cur * batch + b) * h1;
                if (past(t, b)) {
                    System.arraycopy(hs, hp, hs, hc, h1);
                    System.arraycopy(cs, hp, cs, hc, h1);
                    System.arraycopy(tcs, hp, tcs, hc, h1);
                    continue;
                }
                int zo = (t * batch + b) * b4;
                int oo = (t * batch + b) * h1;
                RnnCellKernels.sigmoidInPlace(acts, zo, zo + 2 * h1);
                RnnCellKernels.tanhInPlace(acts, zo + 2 * h1, zo + 3 * h1);
                RnnCellKernels.sigmoidInPlace(acts, zo + 3 * h1, zo + b4);
                for (int j = 0; j < h1; j++) {
                    cs[hc + j] = acts[zo + h1 + j] * cs[hp + j] + acts[zo + j] * acts[zo + 2 * h1 + j];
                }
                RnnCellKernels.tanhInto(cs, tcs, hc, hc + h1);
                for (int j = 0; j < h1; j++) {
                    float h = acts[zo + 3 * h1 + j] * tcs[hc + j];
                    hs[hc + j] = h;
                    out[oo + j] = h;
                }
            }
        }
    }

    private void backwardF(float[] gOut, float[] dh, float[] dc, float[] dG, float[] cs, float[] tcs, float[] acts,
            float[] w) {
        int h1 = hidden;
        int b4 = 4 * hidden;
        int nb = batch;
        // the running dh is kept transposed, [H, B]: OpenBLAS computes dh^T = W_hh^T dG[t]^T (a tall result) about
        // 30% faster than dG[t] W_hh
        float[] wt = RnnCellKernels.transpose(w, b4, h1, new float[h1 * b4]);
        float[] dhT = RnnCellKernels.transpose(dh, nb, h1, new float[h1 * nb]);
        float[] next = new float[h1 * nb];
        if (gOut == null) {
            gOut = new float[steps * nb * h1];
        }
        for (int k = steps - 1; k >= 0; k--) {
            int t = time(k);
            int ps = prev(t);
            int cur = cur(t);
            for (int b = 0; b < nb; b++) {
                if (past(t, b)) {
                    continue;
                }
                int hp = (ps * nb + b) * h1;
                int hc = (cur * nb + b) * h1;
                int zo = (t * nb + b) * b4;
                int oo = (t * nb + b) * h1;
                int so = b * h1;
                for (int j = 0; j < h1; j++) {
                    float i = acts[zo + j];
                    float f = acts[zo + h1 + j];
                    float g = acts[zo + 2 * h1 + j];
                    float o = acts[zo + 3 * h1 + j];
                    float tc = tcs[hc + j];
                    float dhv = dhT[j * nb + b] + gOut[oo + j];
                    float dcv = dc[so + j] + dhv * o * (1f - tc * tc);
                    dG[zo + j] = dcv * g * i * (1f - i);
                    dG[zo + h1 + j] = dcv * cs[hp + j] * f * (1f - f);
                    dG[zo + 2 * h1 + j] = dcv * i * (1f - g * g);
                    dG[zo + 3 * h1 + j] = dhv * tc * o * (1f - o);
                    dc[so + j] = dcv * f;
                }
            }
            if (k == 0 && !needsGrad(2)) {
                break;
            }
            RnnCellKernels.sgemm(false, true, h1, nb, b4, wt, 0, b4, dG, t * nb * b4, b4, 0f, next, 0, nb);
            if (lengths != null) {
                // rows past their length keep their gradient
                for (int b = 0; b < nb; b++) {
                    if (t >= lengths[b]) {
                        for (int j = 0; j < h1; j++) {
                            next[j * nb + b] = dhT[j * nb + b];
                        }
                    }
                }
            }
            float[] swap = dhT;
            dhT = next;
            next = swap;
        }
        RnnCellKernels.transpose(dhT, h1, nb, dh);
    }

    private void forwardD(double[] xg, double[] hs, double[] cs, double[] tcs, double[] acts, double[] out, NDArray w,
            NDArray hsArr, NDArray hhArr) {
        int b4 = 4 * hidden;
        double[] hh = RnnCellKernels.d(hhArr);
        forwardSteps(hsArr, w, hhArr, b4, b4, (t, ps, cur, b) -> {
            int hp = (ps * batch + b) * hidden;
            int hc = (cur * batch + b) * hidden;
            int xo = (t * batch + b) * b4;
            int ho = b * b4;
            int oo = (t * batch + b) * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = RnnCellKernels.sigmoid(xg[xo + j] + hh[ho + j]);
                double f = RnnCellKernels.sigmoid(xg[xo + hidden + j] + hh[ho + hidden + j]);
                double g = Math.tanh(xg[xo + 2 * hidden + j] + hh[ho + 2 * hidden + j]);
                double o = RnnCellKernels.sigmoid(xg[xo + 3 * hidden + j] + hh[ho + 3 * hidden + j]);
                double c = f * cs[hp + j] + i * g;
                double tc = Math.tanh(c);
                double h = o * tc;
                tcs[hc + j] = tc;
                acts[xo + j] = i;
                acts[xo + hidden + j] = f;
                acts[xo + 2 * hidden + j] = g;
                acts[xo + 3 * hidden + j] = o;
                cs[hc + j] = c;
                hs[hc + j] = h;
                out[oo + j] = h;
            }
        }, (t, ps, cur, b) -> {
            int hp = (ps * batch + b) * hidden;
            int hc = (cur * batch + b) * hidden;
            System.arraycopy(hs, hp, hs, hc, hidden);
            System.arraycopy(cs, hp, cs, hc, hidden);
            System.arraycopy(tcs, hp, tcs, hc, hidden);
        });
    }

    private void backwardD(double[] gOut, NDArray dhArr, double[] dc, double[] dG, double[] cs, double[] tcs,
            double[] acts, NDArray w, NDArray dGArr, NDArray dhpArr) {
        int b4 = 4 * hidden;
        double[] dh = RnnCellKernels.d(dhArr);
        backwardSteps(dGArr, w, dhpArr, RnnArray.of(dhArr), b4, b4, 2, false, (t, ps, cur, b) -> {
            int hp = (ps * batch + b) * hidden;
            int hc = (cur * batch + b) * hidden;
            int xo = (t * batch + b) * b4;
            int oo = (t * batch + b) * hidden;
            int so = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double i = acts[xo + j];
                double f = acts[xo + hidden + j];
                double g = acts[xo + 2 * hidden + j];
                double o = acts[xo + 3 * hidden + j];
                double tc = tcs[hc + j];
                double dhv = dh[so + j] + (gOut == null ? 0.0 : gOut[oo + j]);
                double dcv = dc[so + j] + dhv * o * (1.0 - tc * tc);
                dG[xo + j] = dcv * g * i * (1.0 - i);
                dG[xo + hidden + j] = dcv * cs[hp + j] * f * (1.0 - f);
                dG[xo + 2 * hidden + j] = dcv * i * (1.0 - g * g);
                dG[xo + 3 * hidden + j] = dhv * tc * o * (1.0 - o);
                dc[so + j] = dcv * f;
            }
        });
    }
}
