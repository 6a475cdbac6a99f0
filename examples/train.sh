#!/usr/bin/env bash
# The main job: trains the Fashion-MNIST MLP data-parallel on Spark (local[2] by default) with Ember's distributed
# trainer: the data as Parquet files read into a DataFrame, 2 workers, parameters averaged every 50 steps, 3 epochs.
# Prints each round's loss and samples/s and the test accuracy each epoch, saves the model, reloads it and checks it
# predicts the same. Uses Debian's dataset-fashion-mnist when installed (or FMNIST_DIR / --data), else the
# 6,000-image sample in examples/data.   Usage: examples/train.sh [--master URL] [--epochs N] [--help]
set -euo pipefail
exec "$(dirname "$0")/example.sh" spark-mlp "$@"
