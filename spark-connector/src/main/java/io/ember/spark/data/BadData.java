package io.ember.spark.data;

/** What ingestion does with a bad row (a null, NaN or infinite value, an array of the wrong length, ...). */
public enum BadData {
    /** Fail with an error naming the column, the row and what was expected (the default). */
    ERROR,
    /**
     * Drop the row and count it (see {@link SparkTensors#ingest} and {@link ArrowFiles.Result#skippedRows}); when
     * scoring ({@link SparkTensors#score}), keep the row with null in every output column.
     */
    SKIP
}
