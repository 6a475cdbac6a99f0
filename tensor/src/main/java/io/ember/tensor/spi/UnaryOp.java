package io.ember.tensor.spi;

/**
 * Elementwise unary ops a backend implements. Floating ops receive FLOAT32 or FLOAT64 inputs
 * (the caller converts integers); {@link #isFloatingOnly()} says which. Parameters travel in the
 * {@code a}, {@code b} arguments of {@link Backend#unary}.
 */
public enum UnaryOp {
    NEG(false), ABS(false), SIGN(false), RELU(false), SQUARE(false),
    /** {@code clamp(x, a, b)}; a NaN bound means "no bound". */
    CLAMP(false),
    FLOOR(true), CEIL(true), ROUND(true),
    EXP(true), LOG(true), LOG1P(true), EXPM1(true), SQRT(true), RSQRT(true), RECIPROCAL(true),
    SIN(true), COS(true), TANH(true), SIGMOID(true),
    /** Exact GELU, {@code x * Phi(x)}. */
    GELU(true),
    /** GELU with the tanh approximation. */
    GELU_TANH(true),
    SILU(true),
    /** The error function. */
    ERF(true),
    /** {@code x > 0 ? x : a * x}. */
    LEAKY_RELU(true),
    /** {@code x > 0 ? x : a * (exp(x) - 1)}. */
    ELU(true),
    /** {@code x ^ a}. */
    POW_SCALAR(true),
    /** {@code a ^ x}. */
    RPOW_SCALAR(true),
    /** BOOL in, BOOL out. */
    LOGICAL_NOT(false),
    /** BOOL out: NaN test. */
    ISNAN(true),
    /** BOOL out: finite test. */
    ISFINITE(true);

    private final boolean floatingOnly;

    UnaryOp(boolean floatingOnly) {
        this.floatingOnly = floatingOnly;
    }

    public boolean isFloatingOnly() {
        return floatingOnly;
    }

    public boolean producesBool() {
        return this == LOGICAL_NOT || this == ISNAN || this == ISFINITE;
    }

    public String opName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
