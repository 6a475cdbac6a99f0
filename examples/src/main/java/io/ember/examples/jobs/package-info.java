/**
 * The spark-submit jobs: {@link io.ember.examples.jobs.TrainJob} trains an Ember model through the Spark ML
 * estimators and saves it, {@link io.ember.examples.jobs.ScoreJob} scores data with a saved model. Both read Parquet,
 * CSV or LibSVM from any Hadoop path, run unchanged under spark-submit (packaged in
 * {@code examples/target/ember-jobs.jar}) or on an embedded local Spark ({@code examples/train-job.sh},
 * {@code examples/score-job.sh}), take {@code --help}, and exit 0 when done, 1 on failure, 2 on a bad command line.
 */
package io.ember.examples.jobs;
