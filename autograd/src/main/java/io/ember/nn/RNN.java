package io.ember.nn;

import io.ember.autograd.RecurrentFunctions;
import java.util.Map;

/** A multi-layer Elman RNN, like {@code torch.nn.RNN}: {@code h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)}. */
public final class RNN extends RNNBase {
    /** The activation: "tanh" (default) or "relu". */
    private final String nonlinearity;

    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1, "tanh", true, false, 0, false);
    }

    public RNN(int inputSize, int hiddenSize, int numLayers, String nonlinearity, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional) {
        super(modeOf(nonlinearity), inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
        this.nonlinearity = nonlinearity;
    }

    private static RecurrentFunctions.Mode modeOf(String nonlinearity) {
        if ("tanh".equals(nonlinearity)) {
            return RecurrentFunctions.Mode.RNN_TANH;
        }
        if ("relu".equals(nonlinearity)) {
            return RecurrentFunctions.Mode.RNN_RELU;
        }
        throw new IllegalArgumentException("RNN: nonlinearity must be 'tanh' or 'relu', got '" + nonlinearity + "'");
    }

    public String nonlinearity() {
        return nonlinearity;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = super.config();
        c.put("nonlinearity", nonlinearity);
        return c;
    }

    @Override
    protected String extraRepr() {
        String s = super.extraRepr();
        return "relu".equals(nonlinearity) ? s + ", nonlinearity=relu" : s;
    }

    static RNN fromConfig(Map<String, Object> c) {
        Object nl = c.get("nonlinearity");
        return new RNN(required(c, "RNN", "inputSize"), required(c, "RNN", "hiddenSize"), intOf(c, "numLayers", 1),
                nl == null ? "tanh" : nl.toString(), boolOf(c, "bias", true), boolOf(c, "batchFirst", false),
                doubleOf(c, "dropout", 0), boolOf(c, "bidirectional", false));
    }
}
