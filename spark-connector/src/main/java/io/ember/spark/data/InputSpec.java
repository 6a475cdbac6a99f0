package io.ember.spark.data;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What to read from a DataFrame or an Arrow batch: the feature column(s) and the shape of one example, the label
 * column and its kind, and what to do with bad values. Immutable and serializable; every fluent method returns a
 * copy.
 *
 * <p>Feature columns may be any numeric scalar (byte, short, int, long, float, double, decimal), a fixed-length
 * {@code array<byte|short|int|long|float|double>}, a Spark ML {@code Vector} (dense or sparse), or {@code binary}
 * (bytes read as unsigned 0..255, times {@link #binaryScale}). Several columns are combined into one tensor: each
 * row's values of the first column, then the second, ..., reshaped to the declared shape. A scalar column gives one
 * value; the width of a non-scalar column is the declared shape's size less the other columns' widths, or
 * {@link #widths} when more than one column is non-scalar.
 *
 * <pre>{@code
 * InputSpec spec = InputSpec.features("pixels", 1, 28, 28).label("label").onBadData(BadData.SKIP);
 * }</pre>
 */
public final class InputSpec implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** The kind of label. */
    public enum LabelKind {
        /** No label column. */
        NONE,
        /** A class index, read as INT64; any numeric type with integral values. */
        CLASS,
        /** A regression target, read as FLOAT32. */
        REGRESSION
    }

    /** Default rows per Arrow record batch. */
    public static final int DEFAULT_BATCH_ROWS = 4096;
    /** Default limit of a task's Arrow allocator, in bytes (1 GiB). */
    public static final long DEFAULT_ALLOCATOR_LIMIT = 1L << 30;

    private final String[] columns;
    private final int[] shape; // null: not declared
    private final int[] widths; // null: derived
    private final String labelColumn;
    private final LabelKind labelKind;
    private final BadData badData;
    private final int batchRows;
    private final long allocatorLimit;
    private final float binaryScale;

    private InputSpec(String[] columns, int[] shape, int[] widths, String labelColumn, LabelKind labelKind,
                      BadData badData, int batchRows, long allocatorLimit, float binaryScale) {
        this.columns = columns;
        this.shape = shape;
        this.widths = widths;
        this.labelColumn = labelColumn;
        this.labelKind = labelKind;
        this.badData = badData;
        this.batchRows = batchRows;
        this.allocatorLimit = allocatorLimit;
        this.binaryScale = binaryScale;
    }

    /**
     * Features from one column, reshaped to {@code shape} per row. An empty shape means a scalar column read as one
     * value ({@code [1]}); a non-scalar column needs a shape.
     */
    public static InputSpec features(String column, int... shape) {
        return features(List.of(checkName(column, "feature column")), shape);
    }

    /**
     * Features from several columns, combined in order: each row's values of each column, flattened and
     * concatenated, reshaped to {@code shape}. An empty shape with only scalar columns means {@code [columns]}.
     */
    public static InputSpec features(List<String> columns, int... shape) {
        if (columns == null || columns.isEmpty()) {
            throw new IllegalArgumentException("InputSpec.features: no feature columns");
        }
        String[] cols = new String[columns.size()];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = checkName(columns.get(i), "feature column " + i);
            for (int j = 0; j < i; j++) {
                if (cols[j].equals(cols[i])) {
                    throw new IllegalArgumentException("InputSpec.features: column '" + cols[i] + "' given twice");
                }
            }
        }
        int[] s = null;
        if (shape != null && shape.length > 0) {
            s = shape.clone();
            for (int d : s) {
                if (d <= 0) {
                    throw new IllegalArgumentException("InputSpec.features: shape " + Arrays.toString(s)
                            + " must have positive dimensions");
                }
            }
            numel(s);
        }
        return new InputSpec(cols, s, null, null, LabelKind.NONE, BadData.ERROR, DEFAULT_BATCH_ROWS,
                DEFAULT_ALLOCATOR_LIMIT, 1f);
    }

    /** A class-index label column (any numeric type with integral values) read as INT64. */
    public InputSpec label(String column) {
        return withLabel(checkName(column, "label column"), LabelKind.CLASS);
    }

    /** A numeric regression target read as FLOAT32. */
    public InputSpec regressionLabel(String column) {
        return withLabel(checkName(column, "label column"), LabelKind.REGRESSION);
    }

    /** No label column. */
    public InputSpec noLabel() {
        return withLabel(null, LabelKind.NONE);
    }

    private InputSpec withLabel(String column, LabelKind kind) {
        for (String c : columns) {
            if (c.equals(column)) {
                throw new IllegalArgumentException("InputSpec: label column '" + column
                        + "' is also a feature column");
            }
        }
        return new InputSpec(columns, shape, widths, column, kind, badData, batchRows, allocatorLimit, binaryScale);
    }

    /** What to do with bad rows (default {@link BadData#ERROR}). */
    public InputSpec onBadData(BadData policy) {
        if (policy == null) {
            throw new IllegalArgumentException("InputSpec.onBadData: policy is null");
        }
        return new InputSpec(columns, shape, widths, labelColumn, labelKind, policy, batchRows, allocatorLimit,
                binaryScale);
    }

    /** Rows per Arrow record batch (default {@value #DEFAULT_BATCH_ROWS}). */
    public InputSpec batchRows(int rows) {
        if (rows <= 0) {
            throw new IllegalArgumentException("InputSpec.batchRows: must be positive, got " + rows);
        }
        return new InputSpec(columns, shape, widths, labelColumn, labelKind, badData, rows, allocatorLimit,
                binaryScale);
    }

    /** The most bytes a task's Arrow allocator may hold (default 1 GiB). */
    public InputSpec allocatorLimit(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("InputSpec.allocatorLimit: must be positive, got " + bytes);
        }
        return new InputSpec(columns, shape, widths, labelColumn, labelKind, badData, batchRows, bytes,
                binaryScale);
    }

    /** The factor applied to the unsigned bytes of binary feature columns (default 1; e.g. 1/255f). */
    public InputSpec binaryScale(float scale) {
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("InputSpec.binaryScale: must be finite, got " + scale);
        }
        return new InputSpec(columns, shape, widths, labelColumn, labelKind, badData, batchRows, allocatorLimit,
                scale);
    }

    /** The number of values each feature column contributes, in order (needed when several are non-scalar). */
    public InputSpec widths(int... perColumn) {
        if (perColumn == null || perColumn.length != columns.length) {
            throw new IllegalArgumentException("InputSpec.widths: expected " + columns.length + " widths (one per "
                    + "feature column), got " + (perColumn == null ? 0 : perColumn.length));
        }
        long sum = 0;
        for (int w : perColumn) {
            if (w <= 0) {
                throw new IllegalArgumentException("InputSpec.widths: widths must be positive, got "
                        + Arrays.toString(perColumn));
            }
            sum += w;
        }
        if (shape != null && sum != numel(shape)) {
            throw new IllegalArgumentException("InputSpec.widths: " + Arrays.toString(perColumn) + " sum to " + sum
                    + " but shape " + Arrays.toString(shape) + " has " + numel(shape) + " values");
        }
        return new InputSpec(columns, shape != null ? shape : new int[] {(int) sum}, perColumn.clone(), labelColumn,
                labelKind, badData, batchRows, allocatorLimit, binaryScale);
    }

    /** The feature columns, in order. */
    public List<String> featureColumns() {
        return List.of(columns);
    }

    /** The label column, or null. */
    public String labelColumn() {
        return labelColumn;
    }

    /** The kind of label. */
    public LabelKind labelKind() {
        return labelKind;
    }

    /** The bad-data policy. */
    public BadData badData() {
        return badData;
    }

    /** Rows per Arrow record batch. */
    public int batchRows() {
        return batchRows;
    }

    /** The limit of a task's Arrow allocator, in bytes. */
    public long allocatorLimit() {
        return allocatorLimit;
    }

    /** The factor applied to binary columns' unsigned bytes. */
    public float binaryScale() {
        return binaryScale;
    }

    /**
     * The shape of one example's features: the declared shape, or {@code [k]} for k scalar columns without one.
     *
     * @throws IllegalStateException when no shape was declared (a non-scalar column needs one)
     */
    public int[] exampleShape() {
        if (shape == null) {
            throw new IllegalStateException(noShape());
        }
        return shape.clone();
    }

    /** Why a shape is needed. */
    String noShape() {
        return "InputSpec: no shape declared for feature column(s) " + featureColumns()
                + "; declare one, e.g. InputSpec.features(\"" + columns[0] + "\", 784) (scalar columns without "
                + "a shape are resolved against the schema: SparkTensors.resolve)";
    }

    /** The declared shape or null (package-private: the resolver completes it). */
    int[] declaredShape() {
        return shape == null ? null : shape.clone();
    }

    /** The declared widths or null. */
    int[] declaredWidths() {
        return widths == null ? null : widths.clone();
    }

    /** This spec with the shape filled in (for scalar-only columns). */
    InputSpec withShape(int[] s) {
        return new InputSpec(columns, s.clone(), widths, labelColumn, labelKind, badData, batchRows,
                allocatorLimit, binaryScale);
    }

    /** The number of values in one example. */
    int exampleSize() {
        return (int) numel(exampleShape());
    }

    /**
     * Each column's width, given which columns are scalars (width 1). A non-scalar column gets what the shape
     * leaves; with several non-scalar columns, {@link #widths} must say.
     */
    int[] resolveWidths(boolean[] scalar) {
        int[] s = shape;
        int scalars = 0;
        for (boolean b : scalar) {
            scalars += b ? 1 : 0;
        }
        if (s == null) {
            if (scalars == columns.length) {
                s = new int[] {columns.length};
            } else {
                throw new IllegalArgumentException(noShape());
            }
        }
        long total = numel(s);
        int[] w = new int[columns.length];
        if (widths != null) {
            for (int i = 0; i < w.length; i++) {
                if (scalar[i] && widths[i] != 1) {
                    throw new IllegalArgumentException("InputSpec: column '" + columns[i]
                            + "' is a scalar (width 1) but widths say " + widths[i]);
                }
                w[i] = widths[i];
            }
            return w;
        }
        int nonScalar = columns.length - scalars;
        if (nonScalar > 1) {
            throw new IllegalArgumentException("InputSpec: " + nonScalar + " feature columns of " + featureColumns()
                    + " are arrays, vectors or binary; declare how many values each gives with widths(...)");
        }
        long rest = total - scalars;
        for (int i = 0; i < w.length; i++) {
            w[i] = scalar[i] ? 1 : (int) rest;
        }
        if (rest < (nonScalar == 0 ? 0 : 1) || (nonScalar == 0 && rest != 0)) {
            throw new IllegalArgumentException("InputSpec: shape " + Arrays.toString(s) + " has " + total
                    + " values but the " + columns.length + " feature column(s) " + featureColumns()
                    + " give " + (nonScalar == 0 ? scalars + "" : "at least " + (scalars + 1)));
        }
        return w;
    }

    private static long numel(int[] s) {
        long n = 1;
        for (int d : s) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("InputSpec: shape " + Arrays.toString(s) + " has too many values ("
                    + n + ")");
        }
        return n;
    }

    private static String checkName(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("InputSpec: " + what + " name is null or empty");
        }
        return name;
    }

    @Override
    public String toString() {
        return "InputSpec(features=" + featureColumns() + (shape == null ? "" : " " + Arrays.toString(shape))
                + (widths == null ? "" : " widths " + Arrays.toString(widths))
                + ", label=" + (labelColumn == null ? "none" : labelColumn + " " + labelKind)
                + ", badData=" + badData + ", batchRows=" + batchRows + ", allocatorLimit=" + allocatorLimit
                + (binaryScale == 1f ? "" : ", binaryScale=" + binaryScale) + ")";
    }
}
