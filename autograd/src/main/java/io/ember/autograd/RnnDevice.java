package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * The recurrences on a non-CPU device (a GPU): each time step composed from differentiable ops that run there (one
 * GEMM {@code h W_hh^T} and a few elementwise ops per step), so the sequence never leaves the device and autograd
 * derives the backward pass. The CPU keeps its fused nodes ({@link LstmSequence}, {@link GruSequence},
 * {@link RnnCellSequence}), whose hand-written kernels work on host arrays. Same equations, gate order and
 * {@code lengths} semantics: past its length an element keeps its state and outputs zeros, and the reverse direction
 * starts at each element's last valid step.
 */
final class RnnDevice {
    private RnnDevice() {
    }

    /** [T, B, 1] masks of 1 for valid steps (null when every element has all T steps). */
    private static Tensor masks(int[] lengths, int steps, int batch, DType dt, Tensor like) {
        if (lengths == null) {
            return null;
        }
        boolean all = true;
        float[] m = new float[steps * batch];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                boolean valid = t < lengths[b];
                m[t * batch + b] = valid ? 1f : 0f;
                all &= valid;
            }
        }
        return all ? null : Tensor.of(NDArray.of(m, steps, batch, 1).to(dt).to(like.device()));
    }

    /** {@code keep ? next : prev} per batch row, with a 0/1 mask [B, 1] (null: all keep). */
    private static Tensor blend(Tensor mask, Tensor next, Tensor prev) {
        return mask == null ? next : prev.add(next.sub(prev).mul(mask));
    }

    private static Tensor stack(List<Tensor> outs, boolean reverse) {
        if (reverse) {
            java.util.Collections.reverse(outs);
        }
        return Tensor.stack(outs, 0);
    }

    /** {output [T, B, H], hN, cN}; xg = x W_ih^T + b_ih + b_hh [T, B, 4H], gates i, f, g, o. */
    static Tensor[] lstm(Tensor xg, Tensor wHh, Tensor h0, Tensor c0, int[] lengths, boolean reverse) {
        int steps = xg.size(0);
        int hidden = wHh.size(1);
        Tensor mask = masks(lengths, steps, xg.size(1), xg.dtype(), xg);
        Tensor wT = wHh.to(xg.dtype()).t();
        Tensor h = h0;
        Tensor c = c0;
        List<Tensor> outs = new ArrayList<>(steps);
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            Tensor gates = xg.select(0, t).add(h.matmul(wT));
            Tensor i = gates.narrow(1, 0, hidden).sigmoid();
            Tensor f = gates.narrow(1, hidden, hidden).sigmoid();
            Tensor g = gates.narrow(1, 2 * hidden, hidden).tanh();
            Tensor o = gates.narrow(1, 3 * hidden, hidden).sigmoid();
            Tensor cNext = f.mul(c).add(i.mul(g));
            Tensor hNext = o.mul(cNext.tanh());
            Tensor m = mask == null ? null : mask.select(0, t);
            c = blend(m, cNext, c);
            h = blend(m, hNext, h);
            outs.add(m == null ? hNext : hNext.mul(m));
        }
        return new Tensor[] {stack(outs, reverse), h, c};
    }

    /** {output, hN}; xg = x W_ih^T + b_ih [T, B, 3H], gates r, z, n; b_hh inside the reset gate. */
    static Tensor[] gru(Tensor xg, Tensor wHh, Tensor bHh, Tensor h0, int[] lengths, boolean reverse) {
        int steps = xg.size(0);
        int hidden = wHh.size(1);
        Tensor mask = masks(lengths, steps, xg.size(1), xg.dtype(), xg);
        Tensor wT = wHh.to(xg.dtype()).t();
        Tensor h = h0;
        List<Tensor> outs = new ArrayList<>(steps);
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            Tensor x = xg.select(0, t);
            Tensor hh = h.matmul(wT);
            if (bHh != null) {
                hh = hh.add(bHh.to(xg.dtype()));
            }
            Tensor r = x.narrow(1, 0, hidden).add(hh.narrow(1, 0, hidden)).sigmoid();
            Tensor z = x.narrow(1, hidden, hidden).add(hh.narrow(1, hidden, hidden)).sigmoid();
            Tensor n = x.narrow(1, 2 * hidden, hidden).add(r.mul(hh.narrow(1, 2 * hidden, hidden))).tanh();
            Tensor hNext = n.add(h.sub(n).mul(z)); // (1 - z) * n + z * h
            Tensor m = mask == null ? null : mask.select(0, t);
            h = blend(m, hNext, h);
            outs.add(m == null ? hNext : hNext.mul(m));
        }
        return new Tensor[] {stack(outs, reverse), h};
    }

    /** {output, hN}; xg = x W_ih^T + b_ih + b_hh [T, B, H]; tanh or relu. */
    static Tensor[] rnn(Tensor xg, Tensor wHh, Tensor h0, boolean relu, int[] lengths, boolean reverse) {
        int steps = xg.size(0);
        Tensor mask = masks(lengths, steps, xg.size(1), xg.dtype(), xg);
        Tensor wT = wHh.to(xg.dtype()).t();
        Tensor h = h0;
        List<Tensor> outs = new ArrayList<>(steps);
        for (int k = 0; k < steps; k++) {
            int t = reverse ? steps - 1 - k : k;
            Tensor pre = xg.select(0, t).add(h.matmul(wT));
            Tensor hNext = relu ? pre.relu() : pre.tanh();
            Tensor m = mask == null ? null : mask.select(0, t);
            h = blend(m, hNext, h);
            outs.add(m == null ? hNext : hNext.mul(m));
        }
        return new Tensor[] {stack(outs, reverse), h};
    }
}
