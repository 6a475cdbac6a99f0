// float32 GEMM on CUDA cores (module gemm); see gemm.cuh and gemm_simt.cuh. Kernel names:
// sgemm_<config>_<a><b>[_v]: config l (128x128 tiles, 8x8 per thread), m (64x64, 4x4), s (32x32, 4x4, 64 threads);
// a, b: n or t (see gemm.cuh); _v: 16-byte aligned operands, float4 loads. Only m and s support split-K.
#include "gemm_simt.cuh"

#define EMBER_SGEMM(cfg, NT, MINB, BM, BN, BK, RM, RN, ab, AT, BT, v, VEC, SPLIT)                                    \
    extern "C" __global__ void __launch_bounds__(NT, MINB) sgemm_##cfg##_##ab##v(const GemmArgs p) {          \
        gemm_simt<float, BM, BN, BK, RM, RN, AT, BT, VEC, SPLIT>(p);                                                 \
    }

#define EMBER_SGEMM_LAYOUTS(cfg, NT, MINB, BM, BN, BK, RM, RN, v, VEC, SPLIT)                                        \
    EMBER_SGEMM(cfg, NT, MINB, BM, BN, BK, RM, RN, nn, false, false, v, VEC, SPLIT)                                  \
    EMBER_SGEMM(cfg, NT, MINB, BM, BN, BK, RM, RN, nt, false, true, v, VEC, SPLIT)                                   \
    EMBER_SGEMM(cfg, NT, MINB, BM, BN, BK, RM, RN, tn, true, false, v, VEC, SPLIT)                                   \
    EMBER_SGEMM(cfg, NT, MINB, BM, BN, BK, RM, RN, tt, true, true, v, VEC, SPLIT)

EMBER_SGEMM_LAYOUTS(l, 256, 2, 128, 128, 8, 2, 2, _v, true, false)
EMBER_SGEMM_LAYOUTS(l, 256, 2, 128, 128, 8, 2, 2, , false, false)
EMBER_SGEMM_LAYOUTS(m, 256, 2, 64, 64, 16, 1, 1, _v, true, true)
EMBER_SGEMM_LAYOUTS(m, 256, 2, 64, 64, 16, 1, 1, , false, true)
EMBER_SGEMM_LAYOUTS(s, 64, 8, 32, 32, 32, 1, 1, , false, true)
