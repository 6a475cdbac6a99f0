#!/usr/bin/env bash
# Regenerates the shipped Parquet sample examples/data/fashion-mnist-parquet (train/ and test/: features
# array<float> of the 784 pixels x/255, label double) from the IDX sample in examples/data/fashion-mnist-sample.
# Usage: examples/make-sample-parquet.sh [--from IDX_DIR] [--to DIR] [--help]
set -euo pipefail
exec "$(dirname "$0")/run-class.sh" io.ember.examples.FashionMnistParquet "$@"
