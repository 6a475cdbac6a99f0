#!/usr/bin/env bash
# TrainJob, the spark-submit training job, run on an embedded local Spark (local[*], or --master): trains an Ember
# classifier or regressor on Parquet, CSV or LibSVM data, saves the model (Spark ML persistence) and prints its test
# metrics. Under a real Spark, submit examples/target/ember-jobs.jar instead (see README).
# Usage: examples/train-job.sh --train PATH --model PATH [options]   (--help lists them)
set -euo pipefail
exec "$(dirname "$0")/run-class.sh" io.ember.examples.jobs.TrainJob "$@"
