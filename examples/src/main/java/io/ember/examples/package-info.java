/**
 * Runnable programs: the main job ({@link io.ember.examples.SparkTrainExample}, Fashion-MNIST on Spark through
 * EmberClassifier), the CPU training demos, the Fashion-MNIST reader and its Parquet sample's generator. The
 * spark-submit jobs are in {@code io.ember.examples.jobs}.
 */
package io.ember.examples;
