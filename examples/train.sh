#!/usr/bin/env bash
# The main job: trains the Fashion-MNIST MLP on the CPU with Ember's autograd, nn and optim (10 epochs,
# Adam with a cosine schedule), prints test accuracy, saves the model, reloads it and checks it predicts the
# same. Uses Debian's dataset-fashion-mnist when installed (or FMNIST_DIR / --data), else the 6,000-image
# sample in examples/data.   Usage: examples/train.sh [--epochs N] [--data DIR] [--help]
set -euo pipefail
exec "$(dirname "$0")/example.sh" mlp "$@"
