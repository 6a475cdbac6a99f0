#!/usr/bin/env bash
# Runs one of the examples: spark-mlp (Fashion-MNIST MLP trained data-parallel on Spark through EmberClassifier, the
# main job), mlp (Fashion-MNIST MLP, plain Java), cnn (Fashion-MNIST CNN), char-lstm (character-level LSTM language
# model). Each takes --help.   Usage: examples/example.sh <spark-mlp|mlp|cnn|char-lstm> [options]
set -euo pipefail
case "${1:-}" in
  spark-mlp) CLASS=io.ember.examples.SparkTrainExample ;;
  mlp) CLASS=io.ember.examples.FashionMnistMlp ;;
  cnn) CLASS=io.ember.examples.FashionMnistCnn ;;
  char-lstm) CLASS=io.ember.examples.CharLstmExample ;;
  *) echo "usage: examples/example.sh <spark-mlp|mlp|cnn|char-lstm> [options]   (each takes --help)" >&2; exit 2 ;;
esac
shift
exec "$(dirname "$0")/run-class.sh" "$CLASS" "$@"
