package io.ember.tensor;

import java.util.Arrays;

/**
 * One component of {@link NDArray#index}: an integer ({@link #at}), a slice ({@link #slice},
 * {@link #from}, {@link #all}), a new axis, an ellipsis, or an index array ({@link #of}: INT64
 * positions or a BOOL mask). Integers, slices, new axes and ellipses give views; index arrays give
 * copies (see {@link NDArray#index} for the rules).
 */
public final class Index {
    enum Kind { AT, SLICE, NEW_AXIS, ELLIPSIS, ARRAY }

    final Kind kind;
    final int start;
    final int end;
    final int step;
    final NDArray array;

    private Index(Kind kind, int start, int end, int step, NDArray array) {
        this.kind = kind;
        this.start = start;
        this.end = end;
        this.step = step;
        this.array = array;
    }

    /** Position {@code i} (negative counts from the end); removes the dim. */
    public static Index at(int i) {
        return new Index(Kind.AT, i, 0, 0, null);
    }

    /** {@code start:end} with Python semantics (negative counts from the end, out of range clamps). */
    public static Index slice(int start, int end) {
        return slice(start, end, 1);
    }

    /** {@code start:end:step}; step must be positive. */
    public static Index slice(int start, int end, int step) {
        if (step <= 0) {
            throw new IllegalArgumentException("Index.slice: step must be positive, got " + step);
        }
        return new Index(Kind.SLICE, start, end, step, null);
    }

    /** {@code start:} (to the end). */
    public static Index from(int start) {
        return new Index(Kind.SLICE, start, Integer.MAX_VALUE, 1, null);
    }

    /** {@code :} (the whole dim). */
    public static Index all() {
        return new Index(Kind.SLICE, 0, Integer.MAX_VALUE, 1, null);
    }

    /** Inserts a size-1 dim ({@code None} / {@code np.newaxis}). */
    public static Index newAxis() {
        return new Index(Kind.NEW_AXIS, 0, 0, 0, null);
    }

    /** {@code ...}: as many {@code :} as needed to index every dim. */
    public static Index ellipsis() {
        return new Index(Kind.ELLIPSIS, 0, 0, 0, null);
    }

    /** A 1-D INT64 index array of positions (negative counts from the end). */
    public static Index of(long... positions) {
        return new Index(Kind.ARRAY, 0, 0, 0, NDArray.of(positions, positions.length));
    }

    /** An INT64 array of positions (any rank) or a BOOL mask covering {@code mask.dim()} dims. */
    public static Index of(NDArray indices) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("Index.of: expected an int64 or bool array, got "
                    + indices.dtype() + " with shape " + indices.shape());
        }
        return new Index(Kind.ARRAY, 0, 0, 0, indices);
    }

    boolean isMask() {
        return kind == Kind.ARRAY && array.dtype() == DType.BOOL;
    }

    /** How many dims of the indexed array this component consumes. */
    int consumes() {
        return switch (kind) {
            case AT, SLICE -> 1;
            case NEW_AXIS, ELLIPSIS -> 0;
            case ARRAY -> isMask() ? array.dim() : 1;
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case AT -> Integer.toString(start);
            case SLICE -> (start == 0 ? "" : Integer.toString(start)) + ":"
                    + (end == Integer.MAX_VALUE ? "" : Integer.toString(end)) + (step == 1 ? "" : ":" + step);
            case NEW_AXIS -> "newAxis";
            case ELLIPSIS -> "...";
            case ARRAY -> (isMask() ? "mask" : "index") + Arrays.toString(array.shape);
        };
    }
}
