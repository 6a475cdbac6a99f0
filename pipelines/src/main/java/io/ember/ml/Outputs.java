package io.ember.ml;

import java.util.Arrays;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The output columns a stage appends. */
final class Outputs {
    private Outputs() {
    }

    /** A classifier's outputs: rawPrediction and probability (ML Vectors), prediction (double). */
    static StructType classification(String stage, StructType schema, String raw, String probability,
                                     String prediction) {
        return append(stage, schema, raw, SQLDataTypes.VectorType(), probability, SQLDataTypes.VectorType(),
                prediction, DataTypes.DoubleType);
    }

    /** A regressor's output: prediction (double). */
    static StructType regression(String stage, StructType schema, String prediction) {
        return append(stage, schema, prediction, DataTypes.DoubleType);
    }

    /**
     * {@code schema} with the given (name, type) pairs appended; an empty name is skipped (the column is turned off).
     * A name that already exists fails, naming it.
     */
    private static StructType append(String stage, StructType schema, Object... nameTypePairs) {
        StructType out = schema;
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            String name = (String) nameTypePairs[i];
            if (name.isEmpty()) {
                continue;
            }
            if (Arrays.asList(out.fieldNames()).contains(name)) {
                throw new IllegalArgumentException(stage + ": output column '" + name + "' already exists; columns: "
                        + Arrays.toString(out.fieldNames()) + " (set another output column name)");
            }
            out = out.add(name, (DataType) nameTypePairs[i + 1], true);
        }
        return out;
    }
}
