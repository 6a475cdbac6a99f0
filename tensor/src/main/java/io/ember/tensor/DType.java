package io.ember.tensor;

/**
 * Element types. Promotion follows PyTorch's ordering {@code BOOL < INT64 < FLOAT32 < FLOAT64}:
 * a binary op between two arrays computes in the larger of the two types, so
 * {@code int64 + float32 -> float32} and {@code float32 + float64 -> float64}.
 *
 * <p>Exceptions, as in PyTorch: true division and the floating functions ({@code exp}, {@code log},
 * {@code sqrt}, {@code sigmoid}, ...) of integer or bool inputs compute in {@code FLOAT32};
 * arithmetic ({@code add}, {@code mul}, ...) of two bools computes in {@code INT64}; comparisons
 * and logical ops give {@code BOOL}. A Java scalar operand does not widen a floating array
 * ({@code float32 + 2.5 -> float32}); an integral array combined with a non-integral scalar
 * becomes {@code FLOAT32}.
 */
public enum DType {
    BOOL("bool", 1),
    INT64("int64", 8),
    FLOAT32("float32", 4),
    FLOAT64("float64", 8);

    private final String displayName;
    private final int itemSize;

    DType(String displayName, int itemSize) {
        this.displayName = displayName;
        this.itemSize = itemSize;
    }

    /** Bytes per element in a packed layout (safetensors, Arrow). */
    public int itemSize() {
        return itemSize;
    }

    public boolean isFloating() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The type both operands are converted to for a binary op. */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The floating type an op such as {@code exp} computes in for an input of this type. */
    public DType toFloating() {
        return isFloating() ? this : FLOAT32;
    }

    @Override
    public String toString() {
        return displayName;
    }
}
