package io.ember.nn;

import io.ember.autograd.RecurrentFunctions;
import java.util.Map;

/**
 * A multi-layer LSTM, like {@code torch.nn.LSTM}: gates i, f, g, o; {@code c' = f c + i g}, {@code h' = o tanh(c')}.
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(64, 256);
 * RNNBase.Output o = lstm.forward(x, null); // o.output() [T, B, 256], o.hN(), o.cN() [1, B, 256]
 * }</pre>
 */
public final class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, true, false, 0, false);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
            boolean bidirectional) {
        super(RecurrentFunctions.Mode.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout,
                bidirectional);
    }

    static LSTM fromConfig(Map<String, Object> c) {
        return new LSTM(required(c, "LSTM", "inputSize"), required(c, "LSTM", "hiddenSize"),
                intOf(c, "numLayers", 1), boolOf(c, "bias", true), boolOf(c, "batchFirst", false),
                doubleOf(c, "dropout", 0), boolOf(c, "bidirectional", false));
    }
}
