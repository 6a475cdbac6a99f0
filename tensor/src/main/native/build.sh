#!/bin/sh
# Builds Ember's zero-copy GEMM shim (ember_blas.c) into the classes folder, on Linux x86_64 with gcc.
# Called by Maven (tensor/pom.xml, process-classes). Where it cannot build, it says so and exits 0:
# Ember then copies GEMM operands into native buffers instead (slower, same results).
# Usage: build.sh <java.home> <classes dir>
set -u
JHOME="$1"
OUT="$2/io/ember/tensor/cpu/native/linux-x86_64"
SRC="$(dirname "$0")/ember_blas.c"
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "ember: not Linux x86_64: skipping the zero-copy GEMM shim"; exit 0
fi
if ! command -v gcc >/dev/null 2>&1; then
  echo "ember: gcc not found: skipping the zero-copy GEMM shim (GEMM will copy operands)"; exit 0
fi
if [ ! -f "$JHOME/include/jni.h" ]; then
  echo "ember: no JNI headers under $JHOME/include: skipping the zero-copy GEMM shim"; exit 0
fi
mkdir -p "$OUT"
if [ -f "$OUT/libemberblas.so" ] && [ "$OUT/libemberblas.so" -nt "$SRC" ]; then
  exit 0
fi
gcc -O2 -std=c99 -shared -fPIC -Wall -I"$JHOME/include" -I"$JHOME/include/linux" \
    -o "$OUT/libemberblas.so" "$SRC" -ldl \
  || { echo "ember: building the zero-copy GEMM shim failed: GEMM will copy operands"; rm -f "$OUT/libemberblas.so"; exit 0; }
