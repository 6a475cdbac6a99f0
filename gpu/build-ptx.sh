#!/usr/bin/env bash
# Rebuilds Ember's kernel PTX from the CUDA sources: gpu/src/main/cuda/<m>.cu -> gpu/src/main/resources/io/ember/gpu/ptx/<m>.ptx
# (one module per file; the PTX is committed, so running Ember needs only the NVIDIA driver).
# Needs nvcc (CUDA 13). The PTX targets compute_80 (Ampere; JIT-compiled by the driver for newer GPUs such as H100)
# and, being CUDA 13 PTX, needs a driver for CUDA 13.0 or newer (>= 580).
# Usage: gpu/build-ptx.sh [--check]   --check: build into a temp dir and fail if the committed PTX differs.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$HERE/src/main/cuda"
OUT="$HERE/src/main/resources/io/ember/gpu/ptx"
NVCC="${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}"
ARCH="${EMBER_PTX_ARCH:-compute_80}"
CHECK=0
[ "${1:-}" = "--check" ] && CHECK=1
if [ ! -x "$NVCC" ]; then
  echo "build-ptx: nvcc not found (set NVCC)" >&2
  exit 2
fi
DEST="$OUT"
if [ $CHECK = 1 ]; then DEST="$(mktemp -d)"; fi
mkdir -p "$DEST"
status=0
for cu in "$SRC"/*.cu; do
  m="$(basename "$cu" .cu)"
  "$NVCC" -ptx -arch="$ARCH" -O3 -std=c++17 -I"$SRC" "$cu" -o "$DEST/$m.ptx" 2>"$DEST/$m.log" \
    || { cat "$DEST/$m.log" >&2; echo "build-ptx: $m.cu failed" >&2; status=1; continue; }
  if grep -q "warning" "$DEST/$m.log"; then cat "$DEST/$m.log" >&2; fi
  rm -f "$DEST/$m.log"
  if [ $CHECK = 1 ] && ! cmp -s "$DEST/$m.ptx" "$OUT/$m.ptx"; then
    echo "build-ptx: $m.ptx is out of date with $m.cu (run gpu/build-ptx.sh)" >&2
    status=1
  fi
done
[ $CHECK = 1 ] && rm -rf "$DEST"
exit $status
