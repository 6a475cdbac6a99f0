/**
 * Spark ML stages for Ember: {@link io.ember.ml.EmberClassifier} and {@link io.ember.ml.EmberRegressor} (Estimators
 * that train with the distributed trainer), {@link io.ember.ml.EmberModel} (the Transformer that scores Arrow batches),
 * their ML persistence, and {@link io.ember.ml.EmberUdf} for scoring from SQL.
 */
package io.ember.ml;
