/** Evaluation metrics: {@link io.ember.metrics.Metrics#accuracy} and {@link io.ember.metrics.ConfusionMatrix}. */
package io.ember.metrics;
