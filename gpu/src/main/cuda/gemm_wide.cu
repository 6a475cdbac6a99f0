// float64 and int64 GEMM on CUDA cores (module gemm_wide); see gemm.cuh and gemm_simt.cuh. 64x64 tiles, 16 deep,
// 4x4 per thread, split-K supported. int64 products and sums wrap around (two's complement), like Java's long:
// they are computed on unsigned 64-bit integers. Kernel names: dgemm_<a><b> (float64), lgemm_<a><b> (int64).
#include "gemm_simt.cuh"

#define EMBER_WGEMM(name, T, ab, AT, BT)                                                                        \
    extern "C" __global__ void __launch_bounds__(256) name##_##ab(const GemmArgs p) {                          \
        gemm_simt<T, 64, 64, 16, 1, 1, AT, BT, false, true>(p);                                                \
    }

#define EMBER_WGEMM_LAYOUTS(name, T)                                                                           \
    EMBER_WGEMM(name, T, nn, false, false)                                                                     \
    EMBER_WGEMM(name, T, nt, false, true)                                                                      \
    EMBER_WGEMM(name, T, tn, true, false)                                                                      \
    EMBER_WGEMM(name, T, tt, true, true)

EMBER_WGEMM_LAYOUTS(dgemm, double)
EMBER_WGEMM_LAYOUTS(lgemm, unsigned long long)
