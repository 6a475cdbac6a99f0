package io.ember.ml;

import java.util.List;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.BinaryAttribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/** Class labels: how many classes a classifier predicts. */
final class Labels {
    private Labels() {
    }

    /**
     * The number of classes: from the label column's ML attribute metadata when it has one (StringIndexer sets it),
     * else 1 + the largest label (one aggregate job, which also rejects negative labels). At least 2.
     */
    static int numClasses(String stage, Dataset<Row> df, String label) {
        Attribute a = Attribute.fromStructField(df.schema().apply(label));
        if (a instanceof NominalAttribute n && n.getNumValues().isDefined()) {
            return Math.max(2, (Integer) n.getNumValues().get());
        }
        if (a instanceof BinaryAttribute) {
            return 2;
        }
        String q = "`" + label.replace("`", "``") + "`";
        List<Row> r = df.agg(functions.min(functions.col(q).cast("double")),
                functions.max(functions.col(q).cast("double"))).collectAsList();
        if (r.get(0).isNullAt(1)) {
            throw new IllegalArgumentException(stage + ": label column '" + label + "' has no values (empty data or"
                    + " all null)");
        }
        double min = r.get(0).getDouble(0);
        double max = r.get(0).getDouble(1);
        if (min < 0) {
            throw new IllegalArgumentException(stage + ": label column '" + label + "' has the negative value " + min
                    + "; expected class indices 0, 1, ... (index labels with StringIndexer)");
        }
        if (max >= Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException(stage + ": label column '" + label + "' has the value " + max
                    + "; expected class indices 0, 1, ...");
        }
        return Math.max(2, (int) Math.floor(max) + 1);
    }
}
