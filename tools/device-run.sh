#!/usr/bin/env bash
# Runs Ember on the GPU machine from the pack that tools/device-pack.sh builds (target/device-pack.tar.xz: a Java
# runtime and the jars; that machine has no Java, Maven or network). Run from a copy of the repository:
#   bash tools/device-run.sh info            the GPU, the driver, glibc, the pack's manifest, PyTorch
#   bash tools/device-run.sh tests [ARGS]    the gpu module's tests with the JUnit console launcher (ARGS: JUnit
#                                            console options replacing the default selection, e.g.
#                                            --select-class io.ember.gpu.CudaGemmTest)
#   bash tools/device-run.sh train           examples' GpuTrainingTest (mlp, one epoch on the CPU and on cuda:0)
#   bash tools/device-run.sh bench           examples/bench-gpu.sh: Ember's DEVICE=cuda benchmark beside
#                                            examples/bench/torch_gpu_bench.py, then the ratios
#   bash tools/device-run.sh smoke           Ember's benchmark with QUICK=1 WORKLOADS=gemm,mlp (a minute)
#   bash tools/device-run.sh ember-bench     Ember's benchmark alone (what bench runs; env as examples/bench.sh)
# Output also goes to files under $OUT (the device tool's output folder; default target/device-out): tests.txt,
# junit/ (XML reports), train.txt, bench/ (every run's figures, compare.txt).
# Env: PACK (target/device-pack.tar.xz), OUT, JAVA_HEAP (8g for tests/train), RUNS (1 for bench), WORKLOADS,
#      QUICK, THREADS (2), TF32, FMNIST_DIR (default: the system's set, else the pack's, else the shipped sample),
#      PYTHON (python3 with torch).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PACK="${PACK:-$ROOT/target/device-pack.tar.xz}"
DIR="$ROOT/target/device-pack"
OUT="${OUT:-$ROOT/target/device-out}"
mkdir -p "$OUT"
CMD="${1:-}"
[ $# -gt 0 ] && shift

log() { echo "device-run: $*" >&2; }

# ---- unpack (again when the pack is newer than the last unpacking)
if [ -f "$PACK" ]; then
  if [ ! -f "$DIR/.unpacked" ] || [ "$PACK" -nt "$DIR/.unpacked" ]; then
    log "unpacking $PACK"
    rm -rf "$DIR"
    mkdir -p "$ROOT/target"
    xz -dc "$PACK" | tar -C "$ROOT/target" -xf -
    touch "$DIR/.unpacked"
  fi
elif [ ! -d "$DIR" ]; then
  log "no $PACK: build it with tools/device-pack.sh (on a machine with Java and Maven) and carry it here"
  exit 1
fi

JAVA="$DIR/runtime/bin/java"
# The runtime was built on Debian 12: glibc >= 2.34. libstdc++/libz come from the pack when the system has none;
# then only the JVM gets them (LD_LIBRARY_PATH is not exported: PyTorch keeps the system's libstdc++).
JAVA_LD="${LD_LIBRARY_PATH:-}"
if ldd "$DIR/runtime/lib/server/libjvm.so" 2> /dev/null | grep -q 'not found'; then
  JAVA_LD="$DIR/fallback-lib${JAVA_LD:+:$JAVA_LD}"
  log "using the pack's fallback libstdc++/libz for Java"
fi
java() {
  if [ -n "$JAVA_LD" ]; then LD_LIBRARY_PATH="$JAVA_LD" "$JAVA" "$@"; else "$JAVA" "$@"; fi
}
if ! java -version > /dev/null 2>&1; then
  log "the packed Java runtime does not start here: $(java -version 2>&1 | head -3 | tr '\n' ' ')"
  log "glibc here: $(ldd --version 2>&1 | head -1); the pack needs glibc >= 2.34"
  exit 1
fi

CP=""
for j in "$DIR"/lib/*.jar; do
  case "$(basename "$j")" in junit-platform-console-standalone.jar) continue ;; esac
  CP="${CP:+$CP:}$j"
done
# The add-opens list the build's tests and launchers use (pom.xml), less modules this runtime does not have.
MODS="$(java --list-modules | sed 's/@.*//')"
OPENS=""
for o in $(sed -n 's:.*<spark.add.opens>\(.*\)</spark.add.opens>.*:\1:p' "$ROOT/pom.xml"); do
  case "$o" in
    --add-opens=*) m="${o#--add-opens=}"; m="${m%%/*}"; echo "$MODS" | grep -qx "$m" || continue ;;
  esac
  OPENS="$OPENS $o"
done
# The data: the system's full Fashion-MNIST set, else the pack's; the GPL-3 text for the lstm.
if [ -z "${FMNIST_DIR:-}" ] && [ ! -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] \
    && [ -f "$DIR/data/fashion-mnist/train-images-idx3-ubyte.gz" ]; then
  export FMNIST_DIR="$DIR/data/fashion-mnist"
fi
if [ ! -f /usr/share/common-licenses/GPL-3 ] && [ -z "${LSTM_TEXT:-}" ]; then
  export LSTM_TEXT="$DIR/data/GPL-3"
fi
export THREADS="${THREADS:-2}"

# The JUnit console launcher in module dir $1 (surefire's working directory), with options $2... Everything is on
# the JVM's class path (not --class-path), as under surefire: tests that start a child JVM pass java.class.path on.
junit() {
  local module="$1"
  shift
  (cd "$ROOT/$module" && java "-Xmx${JAVA_HEAP:-8g}" $OPENS "-Dbasedir=$ROOT/$module" \
      -cp "$CP:$DIR/lib/junit-platform-console-standalone.jar" org.junit.platform.console.ConsoleLauncher \
      execute --disable-banner --disable-ansi-colors --details=tree --details-theme=ascii \
      --reports-dir="$OUT/junit" "$@")
}

case "$CMD" in
  info)
    sed -n '1,5p' "$DIR/MANIFEST.txt"
    echo "glibc: $(ldd --version 2>&1 | head -1)"
    java -version 2>&1 | head -1
    if command -v nvidia-smi > /dev/null; then
      nvidia-smi --query-gpu=name,driver_version,memory.total,compute_cap --format=csv || true
    else
      echo "nvidia-smi: not found"
    fi
    ${PYTHON:-python3} -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda,
                                           "available", torch.cuda.is_available())' 2>&1 || true
    echo "FMNIST_DIR=${FMNIST_DIR:-(system set or shipped sample)}"
    ;;
  tests)
    if [ $# -gt 0 ]; then
      junit gpu "$@" 2>&1 | tee "$OUT/tests.txt"
    else
      junit gpu --scan-class-path "$DIR/lib/ember-gpu-tests.jar" 2>&1 | tee "$OUT/tests.txt"
    fi
    exit "${PIPESTATUS[0]}"
    ;;
  train)
    junit examples --select-class io.ember.examples.GpuTrainingTest "$@" 2>&1 | tee "$OUT/train.txt"
    exit "${PIPESTATUS[0]}"
    ;;
  ember-bench)
    # as examples/bench.sh does it: a fixed, pre-touched heap; DEVICE=cuda unless set
    export DEVICE="${DEVICE:-cuda}" OMP_NUM_THREADS="$THREADS" OPENBLAS_NUM_THREADS="$THREADS"
    [ -n "$JAVA_LD" ] && export LD_LIBRARY_PATH="$JAVA_LD"
    exec "$JAVA" -Xms6g -Xmx6g -XX:+AlwaysPreTouch "-Dember.threads=$THREADS" $OPENS -cp "$CP" \
        io.ember.examples.bench.Bench
    ;;
  smoke)
    QUICK=1 WORKLOADS="${WORKLOADS:-gemm,mlp}" bash "$ROOT/tools/device-run.sh" ember-bench
    ;;
  bench)
    export RUNS="${RUNS:-1}" BENCH_OUT="$OUT/bench" EMBER_BENCH="bash $ROOT/tools/device-run.sh ember-bench"
    exec bash "$ROOT/examples/bench-gpu.sh"
    ;;
  *)
    sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
