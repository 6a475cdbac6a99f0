package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/**
 * A whole GRU layer direction as one node: inputs {@code xg = x W_ih^T + b_ih} [T, B, 3H] (gates r, z, n),
 * {@code W_hh} [3H, H], {@code b_hh} [3H] (or null) and h0 [B, H]; outputs the hidden states [T, B, H] and hN, with
 * PyTorch's {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))}. One GEMM per step plus a fused elementwise pass
 * (one loop for float32 and float64 over {@link RnnArray}); backward keeps r, z, n and {@code W_hn h + b_hn} per
 * step. Optional per-sequence lengths as in {@link LstmSequence}.
 */
final class GruSequence extends RnnSequenceNode {
    private GruSequence(int steps, int batch, int hidden, boolean reverse, int[] lengths) {
        super(steps, batch, hidden, reverse, lengths, 2);
    }

    /** Returns {output, hN}. */
    static Tensor[] apply(Tensor xg, Tensor wHh, Tensor bHh, Tensor h0, int[] lengths, boolean reverse) {
        if (!xg.device().isCpu()) {
            return RnnDevice.gru(xg, wHh, bHh, h0, lengths, reverse);
        }
        int hidden = wHh.size(1);
        DType dt = xg.dtype();
        GruSequence n = new GruSequence(xg.size(0), xg.size(1), hidden, reverse, lengths);
        NDArray w = RnnCellKernels.dense(wHh.data().to(dt));
        NDArray hsArr = n.states(dt, h0);
        NDArray acts = RnnCellKernels.zeros(dt, n.steps, n.batch, 4 * hidden);
        NDArray out = RnnCellKernels.zeros(dt, n.steps, n.batch, hidden);
        NDArray hhArr = RnnCellKernels.zeros(dt, n.batch, 3 * hidden);
        n.forward(RnnArray.of(RnnCellKernels.dense(xg.data())), RnnArray.of(hsArr), RnnArray.of(acts),
                RnnArray.of(out), bHh == null ? null : RnnArray.of(RnnCellKernels.dense(bHh.data().to(dt))), w,
                hsArr, hhArr);
        return n.finish("gru", new Tensor[] {xg, wHh, bHh, h0}, new NDArray[] {acts, hsArr, w}, out,
                n.finalState(hsArr));
    }

    @Override
    NDArray[] backward(NDArray[] grads) {
        NDArray acts = saved(0);
        NDArray hsArr = saved(1);
        NDArray w = saved(2);
        DType dt = acts.dtype();
        NDArray dh = gradState(grads[1], dt);
        NDArray dX = RnnCellKernels.zeros(dt, steps, batch, 3 * hidden);
        NDArray dHH = RnnCellKernels.zeros(dt, steps, batch, 3 * hidden);
        backward(RnnArray.of(gradOutput(grads[0], dt)), RnnArray.of(dh), RnnArray.of(dX), RnnArray.of(dHH),
                RnnArray.of(hsArr), RnnArray.of(acts), w, dHH, RnnCellKernels.zeros(dt, batch, hidden));
        NDArray dW = needsGrad(1) ? weightGrad(dHH, hsArr, 3 * hidden) : null;
        NDArray dB = needsGrad(2) ? dHH.reshape(steps * batch, 3 * hidden).sum(0) : null;
        return new NDArray[] {needsGrad(0) ? dX : null, dW, dB, needsGrad(3) ? dh : null};
    }

    private void forward(RnnArray xg, RnnArray hs, RnnArray acts, RnnArray out, RnnArray bias, NDArray w,
            NDArray hsArr, NDArray hhArr) {
        int b3 = 3 * hidden;
        int b4 = 4 * hidden;
        RnnArray hh = RnnArray.of(hhArr);
        forwardSteps(hsArr, w, hhArr, b3, b4, (t, ps, cs, b) -> {
            int hp = (ps * batch + b) * hidden;
            int hc = (cs * batch + b) * hidden;
            int xo = (t * batch + b) * b3;
            int ao = (t * batch + b) * b4;
            int ho = b * b3;
            int oo = (t * batch + b) * hidden;
            for (int j = 0; j < hidden; j++) {
                double hr = hh.get(ho + j);
                double hz = hh.get(ho + hidden + j);
                double hn = hh.get(ho + 2 * hidden + j);
                if (bias != null) {
                    hr = hh.round(hr + bias.get(j));
                    hz = hh.round(hz + bias.get(hidden + j));
                    hn = hh.round(hn + bias.get(2 * hidden + j));
                }
                double r = hh.sigmoid(xg.get(xo + j) + hr);
                double z = hh.sigmoid(xg.get(xo + hidden + j) + hz);
                double n = hh.tanh(xg.get(xo + 2 * hidden + j) + hh.round(r * hn));
                double h = hh.round(hh.round(hh.round(1.0 - z) * n) + hh.round(z * hs.get(hp + j)));
                acts.set(ao + j, r);
                acts.set(ao + hidden + j, z);
                acts.set(ao + 2 * hidden + j, n);
                acts.set(ao + 3 * hidden + j, hn);
                hs.set(hc + j, h);
                out.set(oo + j, h);
            }
        }, (t, ps, cs, b) -> hs.copy((ps * batch + b) * hidden, hs, (cs * batch + b) * hidden, hidden));
    }

    private void backward(RnnArray gOut, RnnArray dh, RnnArray dX, RnnArray dHH, RnnArray hs, RnnArray acts,
            NDArray w, NDArray dHHArr, NDArray dhpArr) {
        int b3 = 3 * hidden;
        int b4 = 4 * hidden;
        backwardSteps(dHHArr, w, dhpArr, dh, b3, b4, 3, true, (t, ps, cs, b) -> {
            int hp = (ps * batch + b) * hidden;
            int xo = (t * batch + b) * b3;
            int ao = (t * batch + b) * b4;
            int oo = (t * batch + b) * hidden;
            int so = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double r = acts.get(ao + j);
                double z = acts.get(ao + hidden + j);
                double n = acts.get(ao + 2 * hidden + j);
                double hn = acts.get(ao + 3 * hidden + j);
                double dhv = dh.round(dh.get(so + j) + (gOut == null ? 0.0 : gOut.get(oo + j)));
                double dpn = dh.round(dh.round(dhv * dh.round(1.0 - z)) * dh.round(1.0 - dh.round(n * n)));
                double dpz = dh.round(dh.round(dh.round(dhv * dh.round(hs.get(hp + j) - n)) * z)
                        * dh.round(1.0 - z));
                double dpr = dh.round(dh.round(dh.round(dpn * hn) * r) * dh.round(1.0 - r));
                dX.set(xo + j, dpr);
                dX.set(xo + hidden + j, dpz);
                dX.set(xo + 2 * hidden + j, dpn);
                dHH.set(xo + j, dpr);
                dHH.set(xo + hidden + j, dpz);
                dHH.set(xo + 2 * hidden + j, dh.round(dpn * r));
                dh.set(so + j, dh.round(dhv * z));
            }
        });
    }
}
