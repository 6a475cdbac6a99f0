package io.ember.spark.data;

import java.io.Serializable;

/**
 * What to read from a DataFrame (or an Arrow batch): the feature column(s) and the shape of one example, the label
 * column and its kind, and what to do with bad values. SKELETON: the ingestion helper owns and completes this class;
 * the methods below are the contract the trainer uses.
 */
public final class InputSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private InputSpec() {
    }

    /** Features from one column, reshaped to {@code shape} per row (empty shape: a scalar or a vector as is). */
    public static InputSpec features(String column, int... shape) {
        throw new UnsupportedOperationException("skeleton");
    }

    /** A class-index label column (any numeric type with integral values) read as INT64. */
    public InputSpec label(String column) {
        throw new UnsupportedOperationException("skeleton");
    }

    /** A numeric regression target read as FLOAT32. */
    public InputSpec regressionLabel(String column) {
        throw new UnsupportedOperationException("skeleton");
    }

    /** The label column, or null. */
    public String labelColumn() {
        throw new UnsupportedOperationException("skeleton");
    }

    /** The shape of one example's features, resolved. */
    public int[] exampleShape() {
        throw new UnsupportedOperationException("skeleton");
    }
}
