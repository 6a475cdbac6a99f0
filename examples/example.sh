#!/usr/bin/env bash
# Runs one of the examples: mlp (Fashion-MNIST MLP), cnn (Fashion-MNIST CNN), char-lstm (character-level
# LSTM language model). Each takes --help.   Usage: examples/example.sh <mlp|cnn|char-lstm> [options]
set -euo pipefail
case "${1:-}" in
  mlp) CLASS=io.ember.examples.FashionMnistMlp ;;
  cnn) CLASS=io.ember.examples.FashionMnistCnn ;;
  char-lstm) CLASS=io.ember.examples.CharLstmExample ;;
  *) echo "usage: examples/example.sh <mlp|cnn|char-lstm> [options]   (each takes --help)" >&2; exit 2 ;;
esac
shift
exec "$(dirname "$0")/run-class.sh" "$CLASS" "$@"
