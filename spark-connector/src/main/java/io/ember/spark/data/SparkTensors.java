package io.ember.spark.data;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** DataFrame to tensor batches on the executors. SKELETON: the ingestion helper owns and completes this class. */
public final class SparkTensors {
    private SparkTensors() {
    }

    /**
     * One {@link TensorBatch} per partition holding all of that partition's (valid) rows, converted on the
     * executors through Arrow record batches. Lazy: nothing runs until an action; not persisted (the caller
     * persists).
     */
    public static JavaRDD<TensorBatch> partitions(Dataset<Row> df, InputSpec spec) {
        throw new UnsupportedOperationException("skeleton");
    }
}
