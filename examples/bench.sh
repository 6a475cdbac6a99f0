#!/usr/bin/env bash
# Benchmark harness (../shared/PROTOCOL.md). Env: THREADS (default 2), WORKLOADS (comma list,
# default all available), QUICK=1, FMNIST_DIR, DEVICE (cpu). Prints name=value lines on stdout.
set -euo pipefail
THREADS="${THREADS:-2}"
export OMP_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS"
export JAVA_OPTS="${JAVA_OPTS:-} -Xmx8g -Dember.threads=$THREADS"
exec "$(dirname "$0")/run-class.sh" io.ember.examples.bench.Bench
