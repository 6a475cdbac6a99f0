package io.ember.nn;

import io.ember.autograd.RecurrentFunctions;
import java.util.Map;

/**
 * A multi-layer GRU, like {@code torch.nn.GRU}: gates r, z, n with {@code n = tanh(W_in x + b_in + r (W_hn h + b_hn))}
 * and {@code h' = (1 - z) n + z h}.
 */
public final class GRU extends RNNBase {
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0, false);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
            boolean bidirectional) {
        super(RecurrentFunctions.Mode.GRU, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout,
                bidirectional);
    }

    static GRU fromConfig(Map<String, Object> c) {
        return new GRU(required(c, "GRU", "inputSize"), required(c, "GRU", "hiddenSize"), intOf(c, "numLayers", 1),
                boolOf(c, "bias", true), boolOf(c, "batchFirst", false), doubleOf(c, "dropout", 0),
                boolOf(c, "bidirectional", false));
    }
}
