#!/usr/bin/env bash
# Packs what it takes to run Ember's GPU tests, the GPU training test and the GPU benchmark on a machine with an
# NVIDIA driver but no Java, no Maven and no network (the device machine; tools/device-run.sh unpacks and runs it
# there, from a copy of this repository):
#   runtime/      a jlink Java runtime: only the modules the jars need (jdeps; see MODULES), debug info stripped
#   lib/          Ember's tensor, autograd, gpu and examples jars; the gpu test classes and GpuTrainingTest;
#                 JCuda (driver natives only), bytedeco OpenBLAS + JavaCPP (linux-x86_64 natives only, without the
#                 unused libjniopenblas_full), the JUnit console launcher. No Spark, Hadoop or Arrow: the GPU tests
#                 and the gemm/mlp/cnn/lstm benchmark do not need them.
#   fallback-lib/ this machine's libstdc++.so.6 and libz.so.1, used by device-run.sh only if the device lacks them
#   data/         the full Fashion-MNIST set (when it is installed here and fits) and the GPL-3 text for the lstm
#   MANIFEST.txt  the commit, the build time, every file with its size
# Output: target/device-pack.tar.xz (at most 60 MiB; fails otherwise) and its listing on stdout.
# Env: SKIP_BUILD=1 (use the jars and classes already built), DATA=auto|yes|no (full Fashion-MNIST: auto packs it
#      when the pack stays under the limit), MAX_MIB (60), XZ_LEVEL (6).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
MAX_MIB="${MAX_MIB:-60}"
DATA="${DATA:-auto}"
# jdeps over the packed jars gives java.base, java.logging (OpenBLAS loader, JCuda), java.sql (JUnit console; it
# brings java.xml for the XML reports) and jdk.unsupported (JavaCPP); jdk.zipfs lets the JUnit console scan a test
# jar (jdeps cannot see that: it is a service); java.management and jdk.incubator.vector are small and keep the usual
# JVM flags (--add-modules=jdk.incubator.vector) working.
MODULES="java.base,java.logging,java.management,java.sql,jdk.unsupported,jdk.zipfs,jdk.incubator.vector"
STAGE="$ROOT/target/device-pack"
PACK="$ROOT/target/device-pack.tar.xz"
M2="${M2_REPO:-$HOME/.m2/repository}"

log() { echo "device-pack: $*" >&2; }

# The third-party jars come from Maven's own resolution for the gpu module's tests (jcuda, openblas, javacpp):
# gpu/target/device-pack-cp.txt, written by the build.
if [ -z "${SKIP_BUILD:-}" ]; then
  log "building (mvn -o package -DskipTests: main and test classes of tensor, autograd, gpu, examples)"
  mvn -o -q -B -pl gpu,examples -am -DskipTests package dependency:build-classpath \
      -Dmdep.outputFile=target/device-pack-cp.txt >&2
fi
for f in gpu/target/test-classes examples/target/test-classes/io/ember/examples/GpuTrainingTest.class \
    gpu/target/device-pack-cp.txt; do
  [ -e "$f" ] || { log "missing $f: run once without SKIP_BUILD"; exit 1; }
done
# (Ember's own modules and JUnit, which the console launcher below carries, are not taken from it.)
THIRD_PARTY="$(tr ':' '\n' < gpu/target/device-pack-cp.txt | grep -v "^$ROOT/" \
    | grep -Ev '/org/junit/|/org/opentest4j/|/org/apiguardian/' | sort -u)"

# The JUnit console launcher of the JUnit version the build uses (5.x.y -> platform 1.x.y).
JUNIT="$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' pom.xml | head -1)"
PLATFORM="1.${JUNIT#5.}"
CONSOLE="$M2/org/junit/platform/junit-platform-console-standalone/$PLATFORM"
CONSOLE="$CONSOLE/junit-platform-console-standalone-$PLATFORM.jar"
if [ ! -f "$CONSOLE" ]; then
  log "fetching junit-platform-console-standalone $PLATFORM from Maven Central"
  mvn -q -B dependency:get -Dartifact="org.junit.platform:junit-platform-console-standalone:$PLATFORM" >&2
fi

rm -rf "$STAGE"
mkdir -p "$STAGE/lib" "$STAGE/data" "$STAGE/fallback-lib"

log "jlink runtime: $MODULES"
# No --compress: xz packs the plain module image to ~13 MB, against ~21 MB for a zip-compressed one.
jlink --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --output "$STAGE/runtime" 2>/dev/null

copy_module_jar() { # module dir, name in the pack
  local jar
  jar="$(ls "$1"/target/ember-*-SNAPSHOT.jar 2>/dev/null | grep -v -- '-tests\|-sources' | head -1 || true)"
  [ -n "$jar" ] || { log "no jar in $1/target: build first"; exit 1; }
  cp "$jar" "$STAGE/lib/$2"
}
copy_module_jar tensor ember-tensor.jar
copy_module_jar autograd ember-autograd.jar
copy_module_jar gpu ember-gpu.jar
copy_module_jar examples ember-examples.jar
jar --create --no-compress --file "$STAGE/lib/ember-gpu-tests.jar" -C gpu/target/test-classes .
(cd examples/target/test-classes && jar --create --no-compress --file "$STAGE/lib/ember-examples-tests.jar" \
    io/ember/examples/GpuTrainingTest*.class)
cp "$CONSOLE" "$STAGE/lib/junit-platform-console-standalone.jar"

# A native jar re-made with only the entries matching $2 and not matching $3 (extended regexes), stored
# uncompressed, so that xz compresses the libraries themselves.
strip_jar() { # jar, keep-regex, drop-regex, output
  local tmp
  tmp="$(mktemp -d)"
  (cd "$tmp" && unzip -q "$1" && find . -type f | sed 's:^\./::' | { grep -Ev "$2" || true; } | xargs -r rm -f \
      && find . -type f | sed 's:^\./::' | { grep -E "$3" || true; } | xargs -r rm -f \
      && find . -type d -empty -delete && jar --create --no-compress --file "$4" .)
  rm -rf "$tmp"
}
for jar in $THIRD_PARTY; do
  name="$(basename "$jar")"
  case "$name" in
    jcuda-natives-*)
      # the driver API binding and the runtime one (JCuda's common pointer code); not nvrtc or the PTX compiler
      strip_jar "$jar" '^lib/libJCuda(Driver|Runtime)-' '^$' "$STAGE/lib/$name" ;;
    openblas-*-linux-x86_64.jar)
      # Ember loads org.bytedeco.openblas.global.openblas: libjniopenblas and what it links; not the _full variant
      strip_jar "$jar" '\.so(\.[0-9]+)*$' 'libjniopenblas_full\.so$' "$STAGE/lib/$name" ;;
    *) cp "$jar" "$STAGE/lib/$name" ;;
  esac
done

cp /usr/share/common-licenses/GPL-3 "$STAGE/data/GPL-3" 2>/dev/null || log "no /usr/share/common-licenses/GPL-3 here"
for l in libstdc++.so.6 libz.so.1; do
  p="$(ldconfig -p | awk -v l="$l" '$1 == l && /x86-64/ {print $NF; exit}')"
  [ -n "$p" ] && cp -L "$p" "$STAGE/fallback-lib/$l"
done

{
  echo "Ember device pack"
  dirty="$(git diff --quiet HEAD 2> /dev/null || echo ' (with uncommitted changes)')"
  echo "commit: $(git rev-parse HEAD 2> /dev/null || echo unknown)$dirty"
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m), $("$STAGE/runtime/bin/java" -version 2>&1 | head -1)"
  echo "runtime modules: $MODULES"
  echo "needs: glibc >= 2.34 (the runtime and OpenBLAS), an NVIDIA driver for CUDA 13 (libcuda.so.1)"
} > "$STAGE/MANIFEST.head"

manifest() {
  {
    cat "$STAGE/MANIFEST.head"
    echo "files (path, bytes):"
    (cd "$STAGE" && find . -type f ! -name 'MANIFEST*' -printf '%P\t%s\n' | sort)
  } > "$STAGE/MANIFEST.txt"
}
pack() {
  manifest
  (cd "$ROOT/target" && tar --exclude=device-pack/MANIFEST.head -cf - device-pack) \
      | xz -T2 "-${XZ_LEVEL:-6}" > "$PACK"
  stat -c %s "$PACK"
}
FM=/usr/share/datasets/fashion-mnist
add_data() {
  mkdir -p "$STAGE/data/fashion-mnist"
  cp "$FM"/*-ubyte.gz "$STAGE/data/fashion-mnist/"
}
limit=$((MAX_MIB * 1048576))
[ "$DATA" = yes ] && add_data
size="$(pack)"
if [ "$DATA" = auto ] && [ -f "$FM/train-images-idx3-ubyte.gz" ]; then
  # gzip data does not shrink under xz: the sum is the size with it
  fm="$(du -cb "$FM"/*-ubyte.gz | tail -1 | cut -f1)"
  if [ $((size + fm + 65536)) -le "$limit" ]; then
    log "adding the full Fashion-MNIST set ($((fm / 1048576)) MiB)"
    add_data
    size="$(pack)"
  else
    log "the full Fashion-MNIST set does not fit ($(( (size + fm) / 1048576 )) MiB > $MAX_MIB MiB): left out"
  fi
fi
rm -f "$STAGE/MANIFEST.head"
if [ "$size" -gt "$limit" ]; then
  log "target/device-pack.tar.xz is $((size / 1048576)) MiB, over the $MAX_MIB MiB limit"
  exit 1
fi
cat "$STAGE/MANIFEST.txt"
echo "by folder (uncompressed):"
(cd "$STAGE" && du -sh runtime lib data fallback-lib)
awk -v s="$size" 'BEGIN { printf "target/device-pack.tar.xz: %d bytes (%.1f MiB)\n", s, s / 1048576 }'
