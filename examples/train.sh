#!/usr/bin/env bash
# The main job: trains the Fashion-MNIST MLP (784-256-128-10) data-parallel on Spark (local[2] by default) through
# Ember's Spark ML estimator, EmberClassifier: Parquet files read into a DataFrame, 2 workers, parameters averaged
# every 50 steps, Adam 2e-3 on a cosine, 3 epochs. Prints each round's loss and samples/s and the test accuracy,
# saves the model (Spark ML persistence), reloads it with EmberModel.load, checks it scores the test set identically
# and writes the scored test set as Parquet. Data: --data or FMNIST_DIR (IDX files or Parquet train/ test/), else
# Debian's dataset-fashion-mnist when installed, else the Parquet sample in examples/data/fashion-mnist-parquet.
# Usage: examples/train.sh [--master URL] [--epochs N] [--data DIR] [--help]
set -euo pipefail
exec "$(dirname "$0")/example.sh" spark-mlp "$@"
