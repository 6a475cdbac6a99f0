package io.ember.autograd;

/** How a loss reduces over the batch, like PyTorch's {@code reduction=} argument. */
public enum Reduction {
    NONE, MEAN, SUM;

    /** Parses "none", "mean" or "sum" (any case). */
    public static Reduction parse(String s) {
        for (Reduction r : values()) {
            if (r.name().equalsIgnoreCase(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("reduction: expected none, mean or sum, got '" + s + "'");
    }
}
