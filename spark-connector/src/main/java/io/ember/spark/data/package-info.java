/**
 * Spark data into tensors: DataFrame rows to Arrow record batches to {@link io.ember.spark.data.TensorBatch}es on
 * the executors ({@link io.ember.spark.data.SparkTensors}), and the same Arrow-to-tensor converter for Arrow IPC
 * files in plain Java ({@link io.ember.spark.data.ArrowFiles}), both driven by an
 * {@link io.ember.spark.data.InputSpec}; and back: batch scoring ({@link io.ember.spark.data.SparkTensors#score}),
 * which appends a {@link io.ember.spark.data.BatchScorer}'s outputs ({@link io.ember.spark.data.OutputColumn}) to a
 * DataFrame through the same Arrow path.
 *
 * <p>Layout: {@code SparkSchema} checks the schema on the driver and plans each column; {@code SparkInternals} is
 * the only class touching Spark internals (internal rows, unsafe memory); {@code RowsToArrow} writes rows into Arrow
 * vectors; {@code ArrowConverter} turns any Arrow batch into tensor rows and applies the bad-data policy;
 * {@code Scoring} runs one partition's scoring batch by batch (SparkInternals holds the input rows and joins the
 * outputs to them); {@code ArrowMemory} owns the per-JVM root allocator. {@code ArrowFiles}, {@code InputSpec},
 * {@code ArrowConverter} and {@code TensorBatch} link no Spark class.
 */
package io.ember.spark.data;
