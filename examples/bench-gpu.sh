#!/usr/bin/env bash
# Ember's GPU workloads (DEVICE=cuda examples/bench.sh) beside the same work in PyTorch on the same GPU
# (examples/bench/torch_gpu_bench.py), one after the other in each of RUNS rounds. Prints every run's figures, then
# per figure the median of each side and the ratio ember/torch (examples/bench/compare.py, shared with
# examples/bench-vs-torch.sh). Exits non-zero if a run failed (after comparing what there is).
# Env: RUNS (3), WORKLOADS (gemm,mlp,infer,cnn,lstm), QUICK, FMNIST_DIR, THREADS (2), TF32 (0: training in float32
#      on both sides), PYTHON (python3 with torch), BENCH_OUT (folder keeping every run's output; default a temporary
#      one), EMBER_BENCH (the command that prints Ember's figures; default: build with Maven, then examples/bench.sh;
#      tools/device-run.sh bench sets it to its packed runtime).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export DEVICE="${DEVICE:-cuda}" THREADS="${THREADS:-2}" WORKLOADS="${WORKLOADS:-gemm,mlp,infer,cnn,lstm}"
RUNS="${RUNS:-3}"
if [ -z "${PYTHON:-}" ]; then
  PYTHON=python3
  for p in python3 /usr/bin/python3; do
    if "$p" -c 'import torch' 2> /dev/null; then PYTHON="$p"; break; fi
  done
fi
OUT="${BENCH_OUT:-$(mktemp -d)}"
mkdir -p "$OUT"
if [ -z "${EMBER_BENCH:-}" ]; then
  mvn -q -B -o -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime >&2
  EMBER_BENCH="env EMBER_SKIP_BUILD=1 examples/bench.sh"
fi
failed=0
for r in $(seq 1 "$RUNS"); do
  echo "bench-gpu: run $r/$RUNS: ember ($EMBER_BENCH)" >&2
  # shellcheck disable=SC2086
  $EMBER_BENCH > "$OUT/ember.$r" || { echo "bench-gpu: ember run $r failed (rc=$?)" >&2; failed=1; }
  cat "$OUT/ember.$r"
  echo "bench-gpu: run $r/$RUNS: torch ($PYTHON)" >&2
  "$PYTHON" examples/bench/torch_gpu_bench.py > "$OUT/torch.$r" \
      || { echo "bench-gpu: torch run $r failed (rc=$?)" >&2; failed=1; }
  cat "$OUT/torch.$r"
done
"$PYTHON" examples/bench/compare.py "$OUT" "$RUNS" | tee "$OUT/compare.txt"
echo "bench-gpu: every run's output in $OUT" >&2
exit "$failed"
