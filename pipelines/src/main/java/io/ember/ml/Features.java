package io.ember.ml;

import io.ember.spark.data.BadData;
import io.ember.spark.data.InputSpec;
import io.ember.spark.data.SparkTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Feature columns and example shape shared by the estimators and the model. */
final class Features {
    private Features() {
    }

    /** The columns named by featuresCols when set, else featuresCol. */
    static List<String> columns(String featuresCol, String[] featuresCols) {
        return featuresCols != null ? List.of(featuresCols) : List.of(featuresCol);
    }

    /** The spec for {@code columns} and {@code shape} (null: only when every column is a scalar). */
    static InputSpec spec(List<String> columns, int[] shape, int[] widths, String handleInvalid) {
        InputSpec spec = InputSpec.features(columns, shape == null ? new int[0] : shape);
        if (widths != null) {
            spec = spec.widths(widths);
        }
        return spec.onBadData("error".equals(handleInvalid) ? BadData.ERROR : BadData.SKIP);
    }

    /** Checks the feature columns against {@code schema} (before any job), with the connector's messages. */
    static void check(String stage, StructType schema, List<String> columns, int[] shape) {
        for (String c : columns) {
            if (!Arrays.asList(schema.fieldNames()).contains(c)) {
                throw new IllegalArgumentException(stage + ": feature column '" + c + "' not found; columns: "
                        + Arrays.toString(schema.fieldNames()));
            }
        }
        if (shape != null || allScalar(schema, columns)) {
            try {
                SparkTensors.resolve(schema, spec(columns, shape, null, "error"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(stage + ": " + e.getMessage(), e);
            }
        } else {
            for (String c : columns) {
                DataType t = schema.apply(c).dataType();
                if (!(t instanceof NumericType || t instanceof ArrayType || t instanceof BinaryType
                        || t.equals(SQLDataTypes.VectorType()))) {
                    throw new IllegalArgumentException(stage + ": feature column '" + c + "' has type "
                            + t.simpleString() + "; expected a number, an array of numbers, an ML Vector or binary");
                }
            }
        }
    }

    private static boolean allScalar(StructType schema, List<String> columns) {
        for (String c : columns) {
            if (!(schema.apply(c).dataType() instanceof NumericType)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The example shape and per-column widths when featureShape is not set: a numeric column is 1 value; a vector
     * column's size comes from its ML attribute metadata when present, else (like an array or binary column) from the
     * first row that has a value (one small job). Returns {shape, widths-or-null}.
     */
    static int[][] infer(String stage, Dataset<Row> df, List<String> columns) {
        StructType schema = df.schema();
        int[] widths = new int[columns.size()];
        int nonScalar = 0;
        int total = 0;
        for (int i = 0; i < widths.length; i++) {
            StructField f = schema.apply(columns.get(i));
            DataType t = f.dataType();
            if (t instanceof NumericType) {
                widths[i] = 1;
            } else {
                nonScalar++;
                int size = -1;
                if (t.equals(SQLDataTypes.VectorType())) {
                    size = AttributeGroup.fromStructField(f).size();
                }
                widths[i] = size > 0 ? size : firstWidth(stage, df, f);
            }
            total += widths[i];
        }
        return new int[][] {{total}, nonScalar > 1 ? widths : null};
    }

    private static int firstWidth(String stage, Dataset<Row> df, StructField f) {
        Column c = df.col("`" + f.name().replace("`", "``") + "`");
        DataType t = f.dataType();
        Column len = t instanceof BinaryType ? functions.length(c)
                : t instanceof ArrayType ? functions.size(c)
                : functions.size(org.apache.spark.ml.functions.vector_to_array(c, "float64"));
        List<Row> first = df.select(len).where(c.isNotNull()).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException(stage + ": feature column '" + f.name() + "' has no non-null value to"
                    + " take its width from; set featureShape");
        }
        int n = first.get(0).getInt(0);
        if (n < 1) {
            throw new IllegalArgumentException(stage + ": the first value of feature column '" + f.name()
                    + "' is empty; set featureShape");
        }
        return n;
    }

    /** The shape as a list, for messages. */
    static String show(int[] shape) {
        List<Integer> l = new ArrayList<>();
        for (int d : shape) {
            l.add(d);
        }
        return l.toString();
    }
}
