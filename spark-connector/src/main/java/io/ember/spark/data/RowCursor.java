package io.ember.spark.data;

/**
 * One partition's rows, one at a time, as the Arrow writer needs them: null tests, scalar values, and bulk copies
 * of a column's values (as float32) straight into native memory. Implemented over Spark's internal rows by
 * {@link SparkInternals}; holds no Spark types itself. Ordinals are positions in the pruned row.
 */
interface RowCursor {
    /** Moves to the next row; false when there is none. */
    boolean next();

    boolean isNull(int ordinal);

    /** A numeric scalar as a double. */
    double scalar(ColumnPlan column);

    /** An integral scalar (byte..long) exactly. */
    long integral(ColumnPlan column);

    /** The number of elements of the array in this column (not null). Selects it for the two calls below. */
    int arrayLength(ColumnPlan column);

    /** The index of the selected array's first null element, or -1. */
    int firstNullElement();

    /** Copies the selected array's elements as float32 to {@code address} (native memory). */
    void copyArray(ColumnPlan column, long address);

    /**
     * Whether a float32 value copied by {@link #copyArray} or {@link #copyVector} since the last call was NaN or
     * infinite; clears the flag.
     */
    boolean takeNonFinite();

    /** The size of the Spark ML vector in this column (not null). Selects it for {@link #copyVector}. */
    int vectorSize(ColumnPlan column);

    /**
     * Copies the selected vector, densified, as {@code width} float32 values to {@code address}; returns null, or
     * what is wrong with a sparse vector's indices.
     */
    String copyVector(int width, long address);

    /** The length of the binary value in this column (not null). */
    int binaryLength(ColumnPlan column);

    /** Copies the binary value's bytes to {@code address}. */
    void copyBinary(ColumnPlan column, long address);
}
