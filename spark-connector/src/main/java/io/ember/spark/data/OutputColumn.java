package io.ember.spark.data;

/**
 * A column that {@link SparkTensors#score} appends: its name, its kind and its number of values per row. Every
 * output column is nullable (a row skipped as bad under {@link BadData#SKIP} gets null in each).
 *
 * <pre>{@code
 * List<OutputColumn> out = List.of(OutputColumn.vector("probability", 10), OutputColumn.scalar("prediction"));
 * }</pre>
 *
 * @param name  the column's name (not in the DataFrame yet)
 * @param kind  what it holds
 * @param width values per row: 1 for {@link Kind#DOUBLE}, at least 1 otherwise
 */
public record OutputColumn(String name, Kind kind, int width) implements java.io.Serializable {
    /** What an output column holds. */
    public enum Kind {
        /** {@code double}: one value per row, from a scorer array of shape {@code [n]} or {@code [n, 1]}. */
        DOUBLE,
        /** A dense Spark ML {@code Vector} (VectorUDT) of {@code width} values, from {@code [n, width]}. */
        VECTOR,
        /** {@code array<float>} of {@code width} values, from {@code [n, width]}. */
        FLOAT_ARRAY
    }

    /** Checks the name, the kind and the width. */
    public OutputColumn {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("OutputColumn: name is null or empty");
        }
        if (kind == null) {
            throw new IllegalArgumentException("OutputColumn '" + name + "': kind is null");
        }
        if (width < 1) {
            throw new IllegalArgumentException("OutputColumn '" + name + "': width must be at least 1, got "
                    + width);
        }
        if (kind == Kind.DOUBLE && width != 1) {
            throw new IllegalArgumentException("OutputColumn '" + name + "': a DOUBLE column has width 1, got "
                    + width);
        }
    }

    /** A {@code double} per row, from a {@code [n]} or {@code [n, 1]} array (any float/int dtype). */
    public static OutputColumn scalar(String name) {
        return new OutputColumn(name, Kind.DOUBLE, 1);
    }

    /**
     * A dense Spark ML Vector ({@code org.apache.spark.ml.linalg.VectorUDT}) of {@code width} values per row, from
     * {@code [n, width]}. Needs spark-mllib on the classpath (only when such a column is asked for).
     */
    public static OutputColumn vector(String name, int width) {
        return new OutputColumn(name, Kind.VECTOR, width);
    }

    /** {@code array<float>} of {@code width} values per row, from {@code [n, width]}. */
    public static OutputColumn floatArray(String name, int width) {
        return new OutputColumn(name, Kind.FLOAT_ARRAY, width);
    }

    @Override
    public String toString() {
        return name + ":" + (kind == Kind.DOUBLE ? "double" : kind == Kind.VECTOR ? "vector[" + width + "]"
                : "array<float>[" + width + "]");
    }
}
