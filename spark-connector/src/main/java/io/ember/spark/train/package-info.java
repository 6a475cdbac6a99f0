/**
 * Data-parallel training on Spark: rounds of K local steps per partition, parameters averaged on the driver
 * (weighted by samples, through treeAggregate), checkpoints on any Hadoop FileSystem.
 */
package io.ember.spark.train;
