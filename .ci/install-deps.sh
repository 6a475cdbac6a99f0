#!/bin/sh
# System packages the CI needs (run as root). Idempotent and quiet.
# libopenblas0-pthread: Debian's OpenBLAS (soname libopenblas.so.0, also provides libblas.so.3 and
# liblapack.so.3 through update-alternatives). OpenBlasTrapTest loads it through Spark MLlib's native
# BLAS next to Ember's bundled OpenBLAS; without it those tests are skipped.
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends libopenblas0-pthread >/dev/null
# gcc: builds Ember's zero-copy GEMM shim (tensor/src/main/native); the build skips it without gcc.
if ! command -v gcc >/dev/null 2>&1; then
  apt-get install -y -qq --no-install-recommends gcc libc6-dev >/dev/null
fi
