#!/usr/bin/env bash
# ScoreJob, the spark-submit scoring job, run on an embedded local Spark (local[*], or --master): loads a saved Ember
# model, scores Parquet, CSV or LibSVM data and writes the predictions as Parquet. Under a real Spark, submit
# examples/target/ember-jobs.jar instead (see README).
# Usage: examples/score-job.sh --model PATH --input PATH --output PATH [options]   (--help lists them)
set -euo pipefail
exec "$(dirname "$0")/run-class.sh" io.ember.examples.jobs.ScoreJob "$@"
