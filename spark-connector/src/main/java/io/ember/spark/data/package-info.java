/**
 * Spark data into tensors: DataFrame rows to Arrow record batches to {@link io.ember.spark.data.TensorBatch}es on
 * the executors, and the same Arrow-to-tensor path for Arrow IPC files in plain Java.
 */
package io.ember.spark.data;
