package io.ember.autograd;

import io.ember.tensor.Device;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Differentiable recurrent kernels, like {@code torch._VF.lstm}/{@code gru}/{@code rnn_tanh} and the packing
 * primitives: the layers in {@code io.ember.nn} ({@code LSTM}, {@code GRU}, {@code RNN}) are thin wrappers around
 * {@link #rnn}. Each layer direction runs as one fused node: the input projection of all time steps is one GEMM
 * before the loop, each step is one GEMM ({@code h W_hh^T}) plus one elementwise pass over the raw arrays, and
 * backward is hand-written (one pass back over the steps, then one GEMM for {@code dW_hh}). On another device (a
 * GPU) each step is composed from differentiable ops that run there ({@code RnnDevice}).
 */
public final class RecurrentFunctions {
    private RecurrentFunctions() {
    }

    /** The recurrence: Elman RNN with tanh or relu, LSTM (gates i, f, g, o) or GRU (gates r, z, n). */
    public enum Mode {
        RNN_TANH(1), RNN_RELU(1), LSTM(4), GRU(3);

        private final int gates;

        Mode(int gates) {
            this.gates = gates;
        }

        /** How many gate blocks the weights stack: {@code W_ih} is [gates * hidden, input]. */
        public int gates() {
            return gates;
        }
    }

    /** The output [T, B, D * H] and the final states hN (and cN for LSTM, else null) [L * D, B, H]. */
    public record Result(Tensor output, Tensor hN, Tensor cN) {
    }

    /**
     * A multi-layer, optionally bidirectional recurrence over time-major input [T, B, I].
     *
     * @param weights per layer, then per direction (forward, reverse): {@code W_ih, W_hh} and, with
     *                {@code hasBias}, {@code b_ih, b_hh}
     * @param h0      initial hidden state [L * D, B, H] or null for zeros; {@code c0} likewise (LSTM only)
     * @param dropout probability of zeroing each output of every layer but the last (training only)
     * @param lengths valid steps per batch element (null: all T); past its length an element keeps its state and
     *                outputs zeros, so hN holds the state at its last valid step
     */
    public static Result rnn(Mode mode, Tensor input, Tensor h0, Tensor c0, List<Tensor> weights, boolean hasBias,
            int numLayers, boolean bidirectional, double dropout, boolean training, int[] lengths, Generator generator) {
        String op = mode.name().toLowerCase(java.util.Locale.ROOT);
        if (input.dim() != 3) {
            throw new IllegalArgumentException(op + ": expected time-major input [T, B, I], got " + input.shape());
        }
        int dirs = bidirectional ? 2 : 1;
        int per = hasBias ? 4 : 2;
        if (weights.size() != numLayers * dirs * per) {
            throw new IllegalArgumentException(op + ": expected " + numLayers * dirs * per + " weight tensors ("
                    + numLayers + " layers x " + dirs + " directions x " + per + "), got " + weights.size());
        }
        int steps = input.size(0);
        int batch = input.size(1);
        int hidden = weights.get(1).size(1);
        if (lengths != null) {
            if (lengths.length != batch) {
                throw new IllegalArgumentException(op + ": expected " + batch + " lengths, got " + lengths.length);
            }
            for (int len : lengths) {
                if (len < 0 || len > steps) {
                    throw new IllegalArgumentException(op + ": lengths must be in [0, " + steps + "], got " + len);
                }
            }
        }
        int[] stateShape = {numLayers * dirs, batch, hidden};
        h0 = checkState(op, "h0", h0, stateShape, input);
        if (mode == Mode.LSTM) {
            c0 = checkState(op, "c0", c0, stateShape, input);
        }
        Tensor layerInput = input;
        List<Tensor> hN = new ArrayList<>();
        List<Tensor> cN = new ArrayList<>();
        for (int l = 0; l < numLayers; l++) {
            List<Tensor> outs = new ArrayList<>(dirs);
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                int base = idx * per;
                Tensor wIh = weights.get(base);
                Tensor wHh = weights.get(base + 1);
                Tensor bIh = hasBias ? weights.get(base + 2) : null;
                Tensor bHh = hasBias ? weights.get(base + 3) : null;
                int in = layerInput.size(2);
                if (wIh.dim() != 2 || wIh.size(1) != in || wIh.size(0) != mode.gates() * hidden) {
                    throw new IllegalArgumentException(op + ": layer " + l + " expected W_ih [" + mode.gates() * hidden
                            + ", " + in + "], got " + wIh.shape());
                }
                // one fused node for x W_ih^T + bias (GRU keeps b_hh inside its reset gate)
                Tensor bias = hasBias ? (mode == Mode.GRU ? bIh : bIh.add(bHh)) : null;
                Tensor xg = Functions.linear(layerInput.reshape(steps * batch, in), wIh, bias);
                xg = xg.reshape(steps, batch, mode.gates() * hidden);
                Tensor hi = RnnCellSlice.apply(h0, idx);
                boolean rev = d == 1;
                Tensor[] r = switch (mode) {
                    case LSTM -> LstmSequence.apply(xg, wHh, hi, RnnCellSlice.apply(c0, idx), lengths, rev, true);
                    case GRU -> GruSequence.apply(xg, wHh, bHh, hi, lengths, rev);
                    default -> RnnCellSequence.apply(xg, wHh, hi, mode == Mode.RNN_RELU, lengths, rev);
                };
                outs.add(r[0]);
                hN.add(r[1].unsqueeze(0));
                if (mode == Mode.LSTM) {
                    cN.add(r[2].unsqueeze(0));
                }
            }
            Tensor out = RnnCellJoin.apply(outs, 2);
            if (dropout > 0 && training && l < numLayers - 1) {
                out = dropout(out, dropout, generator);
            }
            layerInput = out;
        }
        return new Result(layerInput, RnnCellJoin.apply(hN, 0), mode == Mode.LSTM ? RnnCellJoin.apply(cN, 0) : null);
    }

    private static Tensor checkState(String op, String name, Tensor s, int[] shape, Tensor input) {
        if (s == null) {
            return Tensor.of(NDArray.zeros(input.dtype(), input.device(), shape));
        }
        if (!java.util.Arrays.equals(s.sizes(), shape)) {
            throw new IllegalArgumentException(op + ": expected " + name + " " + java.util.Arrays.toString(shape)
                    + ", got " + s.shape());
        }
        return s.to(input.device());
    }

    private static Tensor dropout(Tensor x, double p, Generator g) {
        if (p >= 1) {
            return x.mul(0.0);
        }
        NDArray keep = NDArray.rand(g == null ? Generator.global() : g, x.sizes()).ge(p).to(x.dtype())
                .mul(1.0 / (1.0 - p));
        return x.mul(Tensor.of(keep.to(x.device())));
    }

    // ---------------------------------------------------------------- one layer direction (the fused nodes)

    /**
     * One LSTM layer direction: {@code xg = x W_ih^T + b_ih + b_hh} [T, B, 4H], {@code W_hh} [4H, H], h0 and c0
     * [B, H]; returns {output [T, B, H], hN, cN}. {@code lengths} may be null; {@code reverse} runs from T-1 to 0.
     */
    public static Tensor[] lstmLayer(Tensor xg, Tensor wHh, Tensor h0, Tensor c0, int[] lengths, boolean reverse) {
        return LstmSequence.apply(xg, wHh, h0, c0, lengths, reverse);
    }

    /** One GRU layer direction: {@code xg = x W_ih^T + b_ih} [T, B, 3H]; returns {output, hN}. */
    public static Tensor[] gruLayer(Tensor xg, Tensor wHh, Tensor bHh, Tensor h0, int[] lengths, boolean reverse) {
        return GruSequence.apply(xg, wHh, bHh, h0, lengths, reverse);
    }

    /** One Elman layer direction: {@code xg = x W_ih^T + b_ih + b_hh} [T, B, H]; returns {output, hN}. */
    public static Tensor[] rnnLayer(Tensor xg, Tensor wHh, Tensor h0, boolean relu, int[] lengths, boolean reverse) {
        return RnnCellSequence.apply(xg, wHh, h0, relu, lengths, reverse);
    }

    // ---------------------------------------------------------------- single steps (like LSTMCell / GRUCell)

    /** One LSTM step on x [B, I], h and c [B, H] (biases may be null); returns {h', c'}. */
    public static Tensor[] lstmCell(Tensor x, Tensor h, Tensor c, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        Tensor xg = cellInput(x, wIh, bIh, bHh);
        Tensor[] r = LstmSequence.apply(xg, wHh, h, c, null, false);
        return new Tensor[] {r[1], r[2]};
    }

    /** One GRU step on x [B, I] and h [B, H]; returns h'. */
    public static Tensor gruCell(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh) {
        return GruSequence.apply(cellInput(x, wIh, bIh, null), wHh, bHh, h, null, false)[1];
    }

    /** One Elman step {@code act(x W_ih^T + b_ih + h W_hh^T + b_hh)}; returns h'. */
    public static Tensor rnnCell(Tensor x, Tensor h, Tensor wIh, Tensor wHh, Tensor bIh, Tensor bHh, boolean relu) {
        return RnnCellSequence.apply(cellInput(x, wIh, bIh, bHh), wHh, h, relu, null, false)[1];
    }

    private static Tensor cellInput(Tensor x, Tensor wIh, Tensor bIh, Tensor bHh) {
        Tensor xg = x.matmul(wIh.t());
        if (bIh != null) {
            xg = xg.add(bIh);
        }
        if (bHh != null) {
            xg = xg.add(bHh);
        }
        return xg.unsqueeze(0);
    }

    // ---------------------------------------------------------------- packing

    /**
     * Packs time-major padded [T, B, *] into [N, *]: step t contributes the first {@code batchSizes[t]} sequences in
     * the order {@code sortedIndices} (longest first), like {@code torch._pack_padded_sequence}.
     */
    public static Tensor packPadded(Tensor padded, int[] batchSizes, int[] sortedIndices) {
        int batch = padded.size(1);
        int n = 0;
        for (int s : batchSizes) {
            n += s;
        }
        int[] src = new int[n];
        int r = 0;
        for (int t = 0; t < batchSizes.length; t++) {
            for (int j = 0; j < batchSizes[t]; j++) {
                src[r++] = t * batch + sortedIndices[j];
            }
        }
        return RnnCellGather.apply(padded, 2, src, new int[] {n}, 0);
    }

    /**
     * The inverse of {@link #packPadded}: [N, *] to time-major [totalLength, B, *] in the original batch order, with
     * {@code paddingValue} past each sequence's end.
     */
    public static Tensor padPacked(Tensor data, int[] batchSizes, int[] sortedIndices, int totalLength,
            double paddingValue) {
        int batch = sortedIndices.length;
        int[] src = new int[totalLength * batch];
        java.util.Arrays.fill(src, -1);
        int r = 0;
        for (int t = 0; t < batchSizes.length; t++) {
            for (int j = 0; j < batchSizes[t]; j++) {
                if (t < totalLength) {
                    src[t * batch + sortedIndices[j]] = r;
                }
                r++;
            }
        }
        return RnnCellGather.apply(data, 1, src, new int[] {totalLength, batch}, paddingValue);
    }

    /** Concatenation along a dim (used to join directions and layers). */
    public static Tensor concat(List<Tensor> parts, int dim) {
        return RnnCellJoin.apply(parts, dim);
    }
}
