package io.ember.nn;

import io.ember.autograd.RecurrentFunctions;
import io.ember.autograd.Tensor;
import io.ember.tensor.Generator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared base of {@link RNN}, {@link LSTM} and {@link GRU}, like {@code torch.nn.RNNBase}: PyTorch's parameter
 * layout and names ({@code weightIh_l0} [gates * hidden, input], {@code weightHh_l0}, {@code biasIh_l0},
 * {@code biasHh_l0}, suffix {@code _reverse} for the backward direction), init U(-1/sqrt(hidden), 1/sqrt(hidden)),
 * options numLayers, bias, batchFirst, dropout between layers (training only) and bidirectional. Input is
 * [T, B, input] ([B, T, input] with batchFirst), unbatched [T, input], or a {@link PackedSequence}.
 */
public abstract class RNNBase extends Module {
    /** Initial (or final) states, each [numLayers * directions, B, hidden]; c is null except for LSTM. */
    public record State(Tensor h, Tensor c) {
        public State(Tensor h) {
            this(h, null);
        }
    }

    /** The output [T, B, D * hidden] (batchFirst: [B, T, ...]) and the final states hN (and cN for LSTM). */
    public record Output(Tensor output, Tensor hN, Tensor cN) {
        /** The final states, to pass as the next call's initial state. */
        public State state() {
            return new State(hN, cN);
        }
    }

    /** The packed output (same batch sizes and order as the input) and the final states. */
    public record PackedOutput(PackedSequence output, Tensor hN, Tensor cN) {
        public State state() {
            return new State(hN, cN);
        }
    }

    final RecurrentFunctions.Mode mode;
    final int inputSize;
    final int hiddenSize;
    final int numLayers;
    final boolean bias;
    final boolean batchFirst;
    final double dropout;
    final boolean bidirectional;
    private final List<Tensor> flatWeights = new ArrayList<>();

    RNNBase(RecurrentFunctions.Mode mode, int inputSize, int hiddenSize, int numLayers, boolean bias,
            boolean batchFirst, double dropout, boolean bidirectional) {
        String name = typeNameOf(mode);
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(name + ": inputSize, hiddenSize and numLayers must be positive, got "
                    + inputSize + ", " + hiddenSize + ", " + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException(name + ": dropout must be in [0, 1], got " + dropout);
        }
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int gates = mode.gates() * hiddenSize;
        double k = 1.0 / Math.sqrt(hiddenSize);
        Generator g = Generator.global();
        int dirs = bidirectional ? 2 : 1;
        for (int l = 0; l < numLayers; l++) {
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                int in = l == 0 ? inputSize : hiddenSize * dirs;
                flatWeights.add(registerParameter("weightIh" + sfx, Tensor.empty(gates, in).uniformInPlace(g, -k, k)));
                flatWeights.add(registerParameter("weightHh" + sfx,
                        Tensor.empty(gates, hiddenSize).uniformInPlace(g, -k, k)));
                if (bias) {
                    flatWeights.add(registerParameter("biasIh" + sfx, Tensor.empty(gates).uniformInPlace(g, -k, k)));
                    flatWeights.add(registerParameter("biasHh" + sfx, Tensor.empty(gates).uniformInPlace(g, -k, k)));
                }
            }
        }
    }

    private static String typeNameOf(RecurrentFunctions.Mode mode) {
        return switch (mode) {
            case LSTM -> "LSTM";
            case GRU -> "GRU";
            default -> "RNN";
        };
    }

    public int inputSize() {
        return inputSize;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int numLayers() {
        return numLayers;
    }

    public boolean isBidirectional() {
        return bidirectional;
    }

    public boolean isBatchFirst() {
        return batchFirst;
    }

    /** The parameters in PyTorch's {@code _flat_weights} order (current tensors, so {@code to(...)} is seen). */
    List<Tensor> weights() {
        Map<String, Tensor> named = namedParameters();
        List<Tensor> out = new ArrayList<>(flatWeights.size());
        int dirs = bidirectional ? 2 : 1;
        for (int l = 0; l < numLayers; l++) {
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                out.add(named.get("weightIh" + sfx));
                out.add(named.get("weightHh" + sfx));
                if (bias) {
                    out.add(named.get("biasIh" + sfx));
                    out.add(named.get("biasHh" + sfx));
                }
            }
        }
        return out;
    }

    /** The output only (initial states zero). */
    @Override
    public Tensor forward(Tensor input) {
        return forward(input, null).output();
    }

    /** Output and final states from the given initial states (null: zeros). */
    public Output forward(Tensor input, State initial) {
        String name = typeName();
        boolean unbatched = input.dim() == 2;
        if (input.dim() != 3 && !unbatched) {
            throw new IllegalArgumentException(name + ": expected input of 2 or 3 dimensions, got " + input.shape());
        }
        if (input.size(-1 + input.dim()) != inputSize) {
            throw new IllegalArgumentException(name + ": expected input [..., " + inputSize + "], got "
                    + input.shape());
        }
        Tensor x = unbatched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;
        Tensor h0 = initial == null ? null : initial.h();
        Tensor c0 = initial == null ? null : initial.c();
        if (unbatched) {
            h0 = h0 == null ? null : h0.unsqueeze(1);
            c0 = c0 == null ? null : c0.unsqueeze(1);
        }
        checkCell(name, c0);
        RecurrentFunctions.Result r = RecurrentFunctions.rnn(mode, x, h0, c0, weights(), bias, numLayers,
                bidirectional, dropout, isTraining(), null, Generator.global());
        Tensor out = r.output();
        Tensor hN = r.hN();
        Tensor cN = r.cN();
        if (unbatched) {
            return new Output(out.squeeze(1), hN.squeeze(1), cN == null ? null : cN.squeeze(1));
        }
        return new Output(batchFirst ? out.transpose(0, 1) : out, hN, cN);
    }

    /** The packed output (initial states zero). */
    public PackedOutput forward(PackedSequence input) {
        return forward(input, null);
    }

    /** A packed batch of variable-length sequences; hN holds each sequence's state at its last valid step. */
    public PackedOutput forward(PackedSequence input, State initial) {
        String name = typeName();
        if (input.data().size(-1 + input.data().dim()) != inputSize) {
            throw new IllegalArgumentException(name + ": expected packed data [N, " + inputSize + "], got "
                    + input.data().shape());
        }
        Tensor h0 = initial == null ? null : initial.h();
        Tensor c0 = initial == null ? null : initial.c();
        checkCell(name, c0);
        int[] bs = input.batchSizesArray();
        int[] sorted = input.sortedIndicesArray();
        Tensor padded = RecurrentFunctions.padPacked(input.data(), bs, sorted, bs.length, 0);
        int[] lengths = input.lengthsArray();
        RecurrentFunctions.Result r = RecurrentFunctions.rnn(mode, padded, h0, c0, weights(), bias, numLayers,
                bidirectional, dropout, isTraining(), lengths, Generator.global());
        Tensor data = RecurrentFunctions.packPadded(r.output(), bs, sorted);
        return new PackedOutput(input.withData(data), r.hN(), r.cN());
    }

    private void checkCell(String name, Tensor c0) {
        if (c0 != null && mode != RecurrentFunctions.Mode.LSTM) {
            throw new IllegalArgumentException(name + ": only LSTM takes a cell state; got c0 " + c0.shape());
        }
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("inputSize", inputSize);
        c.put("hiddenSize", hiddenSize);
        c.put("numLayers", numLayers);
        c.put("bias", bias);
        c.put("batchFirst", batchFirst);
        c.put("dropout", dropout);
        c.put("bidirectional", bidirectional);
        return c;
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (numLayers != 1) {
            sb.append(", numLayers=").append(numLayers);
        }
        if (!bias) {
            sb.append(", bias=false");
        }
        if (batchFirst) {
            sb.append(", batchFirst=true");
        }
        if (dropout != 0) {
            sb.append(", dropout=").append(dropout);
        }
        if (bidirectional) {
            sb.append(", bidirectional=true");
        }
        return sb.toString();
    }

    static int intOf(Map<String, Object> c, String key, int dflt) {
        Object v = c.get(key);
        return v == null ? dflt : ((Number) v).intValue();
    }

    static double doubleOf(Map<String, Object> c, String key, double dflt) {
        Object v = c.get(key);
        return v == null ? dflt : ((Number) v).doubleValue();
    }

    static boolean boolOf(Map<String, Object> c, String key, boolean dflt) {
        Object v = c.get(key);
        return v == null ? dflt : (Boolean) v;
    }

    static int required(Map<String, Object> c, String type, String key) {
        Object v = c.get(key);
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException(type + ": config needs a number '" + key + "', got " + v);
        }
        return n.intValue();
    }
}
