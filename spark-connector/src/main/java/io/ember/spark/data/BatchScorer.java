package io.ember.spark.data;

import io.ember.tensor.NDArray;

/**
 * Scores one batch of rows on an executor, for {@link SparkTensors#score}. Each task deserializes its own copy, and
 * tasks may run concurrently in one JVM. Keep it small when serialized: put a model in a
 * {@link org.apache.spark.broadcast.Broadcast} and read it inside {@link #score}.
 */
@FunctionalInterface
public interface BatchScorer extends java.io.Serializable {
    /**
     * Scores {@code n} rows.
     *
     * @param features FLOAT32 {@code [n, ...spec.exampleShape()]} of {@code n} valid rows ({@code n >= 1}), on the
     *                 host; its storage belongs to the caller and is overwritten by the next batch (copy what you keep)
     * @return one array per output column, in order, each with first dimension {@code n}
     */
    NDArray[] score(NDArray features) throws Exception;
}
