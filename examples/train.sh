#!/usr/bin/env bash
# The main job: trains the Fashion-MNIST MLP on the CPU. Uses Debian's dataset-fashion-mnist when
# installed (or FMNIST_DIR), else the 6,000-image sample in examples/data.
# Usage: examples/train.sh [epochs] [data dir]
set -euo pipefail
exec "$(dirname "$0")/run-class.sh" io.ember.examples.TrainDemo "$@"
