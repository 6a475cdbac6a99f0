#!/usr/bin/env bash
# Ember's CPU workloads beside the same PyTorch scripts (examples/bench/torch_bench.py), one after the
# other in each of RUNS rounds, on the same THREADS. Prints every run's figures, then per figure the
# median of each side and the ratio ember/torch (examples/bench/compare.py: higher is better for Ember except
# *_acc figures, where it is the difference in points). Needs Debian's python3-torch; PyTorch runs on the OpenMP build of
# OpenBLAS (libopenblas0-openmp) through LD_LIBRARY_PATH, as ../shared/PROTOCOL.md asks.
# Env: THREADS (2), RUNS (3), WORKLOADS (mlp,cnn,infer,lstm), QUICK, FMNIST_DIR, PYTHON (/usr/bin/python3)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export THREADS="${THREADS:-2}" WORKLOADS="${WORKLOADS:-mlp,cnn,infer,lstm}"
RUNS="${RUNS:-3}"
PYTHON="${PYTHON:-/usr/bin/python3}"
OMP_LIB=/usr/lib/x86_64-linux-gnu/openblas-openmp
OUT="$(mktemp -d)"
mvn -q -B -o -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
for r in $(seq 1 "$RUNS"); do
  echo "bench-vs-torch: run $r/$RUNS: ember" >&2
  EMBER_SKIP_BUILD=1 examples/bench.sh > "$OUT/ember.$r"
  echo "bench-vs-torch: run $r/$RUNS: torch" >&2
  LD_LIBRARY_PATH="$OMP_LIB${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OMP_NUM_THREADS="$THREADS" \
      "$PYTHON" examples/bench/torch_bench.py > "$OUT/torch.$r"
  cat "$OUT/ember.$r" "$OUT/torch.$r"
done
"$PYTHON" examples/bench/compare.py "$OUT" "$RUNS"
