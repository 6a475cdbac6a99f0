package io.ember.tensor.spi;

/** Elementwise binary ops. Comparisons and logical ops write BOOL; the rest write the input dtype. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MINIMUM, MAXIMUM,
    /** Python-style remainder: the sign follows the divisor, like {@code torch.remainder}. */
    REMAINDER,
    ATAN2,
    EQ, NE, LT, LE, GT, GE,
    LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR;

    public boolean producesBool() {
        return ordinal() >= EQ.ordinal();
    }

    public boolean isLogical() {
        return ordinal() >= LOGICAL_AND.ordinal();
    }

    public String opName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
