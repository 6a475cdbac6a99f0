#!/usr/bin/env bash
# Benchmark harness (../shared/PROTOCOL.md). Env: THREADS (default 2), WORKLOADS (comma list,
# default all available), QUICK=1, FMNIST_DIR, DEVICE (cpu, or cuda / cuda:N). Prints name=value lines on stdout.
set -euo pipefail
THREADS="${THREADS:-2}"
export OMP_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS"
# A fixed, pre-touched heap, as a long-running executor's heap is: without it, first touches of fresh
# heap pages (new result arrays) cost ~8% of a 1024x1024 GEMM. The raw references pay no such cost.
# The spark workload caches a 600k-row frame (1.9 GB as array<float>, 3.8 GB as ML Vectors) for scoring: 12g
# keeps it in memory. BENCH_HEAP overrides.
HEAP=6g
case ",${WORKLOADS:-spark}," in *,spark,*) HEAP=12g ;; esac
HEAP="${BENCH_HEAP:-$HEAP}"
export JAVA_OPTS="${JAVA_OPTS:-} -Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch -Dember.threads=$THREADS"
exec "$(dirname "$0")/run-class.sh" io.ember.examples.bench.Bench
