package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/**
 * A whole Elman RNN layer direction as one node: inputs {@code xg = x W_ih^T + b_ih + b_hh} [T, B, H],
 * {@code W_hh} [H, H] and h0 [B, H]; outputs the hidden states [T, B, H] and hN, {@code h' = act(xg + h W_hh^T)}
 * with act tanh or relu (one loop for float32 and float64 over {@link RnnArray}). Backward keeps only the hidden
 * states. Optional lengths as in {@link LstmSequence}.
 */
final class RnnCellSequence extends RnnSequenceNode {
    private final boolean relu;

    private RnnCellSequence(int steps, int batch, int hidden, boolean reverse, boolean relu, int[] lengths) {
        super(steps, batch, hidden, reverse, lengths, 2);
        this.relu = relu;
    }

    @Override
    public String name() {
        return relu ? "RnnReluBackward" : "RnnTanhBackward";
    }

    /** Returns {output, hN}. */
    static Tensor[] apply(Tensor xg, Tensor wHh, Tensor h0, boolean relu, int[] lengths, boolean reverse) {
        if (!xg.device().isCpu()) {
            return RnnDevice.rnn(xg, wHh, h0, relu, lengths, reverse);
        }
        int hidden = wHh.size(1);
        DType dt = xg.dtype();
        RnnCellSequence n = new RnnCellSequence(xg.size(0), xg.size(1), hidden, reverse, relu, lengths);
        NDArray w = RnnCellKernels.dense(wHh.data().to(dt));
        NDArray hsArr = n.states(dt, h0);
        NDArray out = RnnCellKernels.zeros(dt, n.steps, n.batch, hidden);
        n.forward(RnnArray.of(RnnCellKernels.dense(xg.data())), RnnArray.of(hsArr), RnnArray.of(out), w, hsArr,
                RnnCellKernels.zeros(dt, n.batch, hidden));
        return n.finish("rnn", new Tensor[] {xg, wHh, h0}, new NDArray[] {hsArr, w}, out, n.finalState(hsArr));
    }

    @Override
    NDArray[] backward(NDArray[] grads) {
        NDArray hsArr = saved(0);
        NDArray w = saved(1);
        DType dt = hsArr.dtype();
        NDArray dh = gradState(grads[1], dt);
        NDArray dX = RnnCellKernels.zeros(dt, steps, batch, hidden);
        backward(RnnArray.of(gradOutput(grads[0], dt)), RnnArray.of(dh), RnnArray.of(dX), RnnArray.of(hsArr), w, dX,
                RnnCellKernels.zeros(dt, batch, hidden));
        NDArray dW = needsGrad(1) ? weightGrad(dX, hsArr, hidden) : null;
        return new NDArray[] {needsGrad(0) ? dX : null, dW, needsGrad(2) ? dh : null};
    }

    private void forward(RnnArray xg, RnnArray hs, RnnArray out, NDArray w, NDArray hsArr, NDArray hhArr) {
        RnnArray hh = RnnArray.of(hhArr);
        forwardSteps(hsArr, w, hhArr, hidden, hidden, (t, ps, cs, b) -> {
            int hc = (cs * batch + b) * hidden;
            int xo = (t * batch + b) * hidden;
            int ho = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double v = hh.round(xg.get(xo + j) + hh.get(ho + j));
                double h = relu ? Math.max(v, 0.0) : hh.tanh(v);
                hs.set(hc + j, h);
                out.set(xo + j, h);
            }
        }, (t, ps, cs, b) -> hs.copy((ps * batch + b) * hidden, hs, (cs * batch + b) * hidden, hidden));
    }

    private void backward(RnnArray gOut, RnnArray dh, RnnArray dX, RnnArray hs, NDArray w, NDArray dXArr,
            NDArray dhpArr) {
        backwardSteps(dXArr, w, dhpArr, dh, hidden, hidden, 2, false, (t, ps, cs, b) -> {
            int hc = (cs * batch + b) * hidden;
            int xo = (t * batch + b) * hidden;
            int so = b * hidden;
            for (int j = 0; j < hidden; j++) {
                double h = hs.get(hc + j);
                double dhv = dh.round(dh.get(so + j) + (gOut == null ? 0.0 : gOut.get(xo + j)));
                dX.set(xo + j, relu ? (h > 0.0 ? dhv : 0.0) : dh.round(dhv * dh.round(1.0 - dh.round(h * h))));
            }
        });
    }
}
