// Shared definitions for Ember's CUDA kernels. Every module (one .cu file -> one .ptx resource) includes this.
// Kernels are extern "C" so their PTX names are the plain names the Java launchers look up.
#pragma once
#include <stdint.h>

#define EMBER_MAX_DIMS 8

// A shape and one operand's strides (in elements), passed by value as a struct of ints; the Java side packs it as
// int[] {rank, shape[0..7], strides[0..7]}. Offsets are already folded into the base pointer.
struct Strided {
    int rank;
    int shape[EMBER_MAX_DIMS];
    int strides[EMBER_MAX_DIMS];
};

// The element offset of linear (row-major) index i of s's shape.
__device__ __forceinline__ int64_t strided_offset(int64_t i, const Strided& s) {
    int64_t off = 0;
    for (int d = s.rank - 1; d >= 0; --d) {
        int64_t n = s.shape[d];
        int64_t q = i / n;
        off += (i - q * n) * s.strides[d];
        i = q;
    }
    return off;
}

// A grid-stride loop over [0, n).
#define EMBER_LOOP(i, n) \
    for (int64_t i = (int64_t)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (int64_t)blockDim.x * gridDim.x)
