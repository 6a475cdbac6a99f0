// float32 GEMM on TF32 tensor cores (module gemm_tf32), used when Cuda.allowTf32() and the GPU is sm_80 or newer;
// see gemm.cuh for the operands. A BM x BN tile per block of warps, each warp a WM x WN tile of m16n8k8 MMAs;
// BK = 16 deep slices of A and B go global -> shared with cp.async, two stages (the next slice is in flight while
// the current one is multiplied). Each operand keeps its global layout in shared memory (no transposition), padded
// so that the fragment reads of a warp hit 32 distinct banks: K-contiguous tiles as [rows][BK + 4], M- or
// N-contiguous tiles as [BK][cols + 8]. Fragments are rounded to TF32 (cvt.rna) when read.
// Kernel names: tgemm_<config>_<a><b>[_v]: config l (128x128, 8 warps of 64x32), m (64x64, 4 warps of 32x32);
// _v: 16-byte aligned operands (16-byte copies), else 4-byte copies. No split-K: p.splits must be 1.
#include "gemm.cuh"

template <int BM, int BN, int WM, int WN, bool AT, bool BT, bool VEC>
__device__ __forceinline__ void gemm_tf32(const GemmArgs& p) {
    constexpr int BK = 16;
    constexpr int WARPS_N = BN / WN;
    constexpr int NT = (BM / WM) * WARPS_N * 32;
    constexpr int MT = WM / 16;
    constexpr int NTL = WN / 8;
    constexpr int A_STRIDE = AT ? BM + 8 : BK + 4;  // A(m, k): AT ? As[k][m] : As[m][k]
    constexpr int B_STRIDE = BT ? BK + 4 : BN + 8;  // B(k, n): BT ? Bs[n][k] : Bs[k][n]
    constexpr int A_SIZE = AT ? BK * A_STRIDE : BM * A_STRIDE;
    constexpr int B_SIZE = BT ? BN * B_STRIDE : BK * B_STRIDE;
    constexpr int LA = BM * BK / 4 / NT;  // 4-element vectors each thread copies per slice
    constexpr int LB = BN * BK / 4 / NT;
    static_assert(LA * NT * 4 == BM * BK && LB * NT * 4 == BN * BK, "slices must split evenly over the threads");
    __shared__ __align__(16) float As[2][A_SIZE];
    __shared__ __align__(16) float Bs[2][B_SIZE];

    const GemmBlock<float> blk(p);
    const int tid = threadIdx.x;
    int tm, tn;
    gemm_tile(p, tm, tn);
    const int m0 = tm * BM;
    const int n0 = tn * BN;
    const int M = blk.M;
    const int N = blk.N;
    const int kend = blk.kend;
    const int64_t lda = p.lda;
    const int64_t ldb = p.ldb;
    const float* A = blk.A;
    const float* B = blk.B;

    // Copies 4 consecutive floats at src (avail of them inside the matrix, the rest zero) to shared dst.
    auto copy4 = [&](float* dst, const float* src, int64_t avail, const float* safe) {
        const int n = avail <= 0 ? 0 : avail >= 4 ? 4 : (int)avail;
        if constexpr (VEC) {
            cp_async16(dst, n > 0 ? src : safe, 4 * n);
        } else {
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                cp_async4(dst + e, e < n ? src + e : safe, e < n ? 4 : 0);
            }
        }
    };

    auto load = [&](int buf, int k0) {
        float* as = As[buf];
        float* bs = Bs[buf];
#pragma unroll
        for (int i = 0; i < LA; ++i) {
            const int v = tid + i * NT;
            if constexpr (!AT) {
                const int row = v / (BK / 4);
                const int kq = (v % (BK / 4)) * 4;
                const int gm = m0 + row;
                const int gk = k0 + kq;
                copy4(as + row * A_STRIDE + kq, A + (int64_t)gm * lda + gk, gm < M ? kend - gk : 0, A);
            } else {
                const int kr = v / (BM / 4);
                const int mq = (v % (BM / 4)) * 4;
                const int gk = k0 + kr;
                const int gm = m0 + mq;
                copy4(as + kr * A_STRIDE + mq, A + (int64_t)gk * lda + gm, gk < kend ? M - gm : 0, A);
            }
        }
#pragma unroll
        for (int i = 0; i < LB; ++i) {
            const int v = tid + i * NT;
            if constexpr (!BT) {
                const int kr = v / (BN / 4);
                const int nq = (v % (BN / 4)) * 4;
                const int gk = k0 + kr;
                const int gn = n0 + nq;
                copy4(bs + kr * B_STRIDE + nq, B + (int64_t)gk * ldb + gn, gk < kend ? N - gn : 0, B);
            } else {
                const int col = v / (BK / 4);
                const int kq = (v % (BK / 4)) * 4;
                const int gn = n0 + col;
                const int gk = k0 + kq;
                copy4(bs + col * B_STRIDE + kq, B + (int64_t)gn * ldb + gk, gn < N ? kend - gk : 0, B);
            }
        }
    };

    const int warp = tid / 32;
    const int lane = tid % 32;
    const int g = lane >> 2;  // fragment row group
    const int t4 = lane & 3;  // thread in group
    const int wm0 = (warp / WARPS_N) * WM;
    const int wn0 = (warp % WARPS_N) * WN;

    float acc[MT][NTL][4];
#pragma unroll
    for (int i = 0; i < MT; ++i) {
#pragma unroll
        for (int j = 0; j < NTL; ++j) {
#pragma unroll
            for (int q = 0; q < 4; ++q) {
                acc[i][j][q] = 0.f;
            }
        }
    }

    const int ntiles = kend > blk.kbeg ? (kend - blk.kbeg + BK - 1) / BK : 0;
    load(0, blk.kbeg);
    cp_async_commit();
    for (int t = 0; t < ntiles; ++t) {
        if (t + 1 < ntiles) {
            load((t + 1) & 1, blk.kbeg + (t + 1) * BK);  // that stage was last read before the previous barrier
        }
        cp_async_commit();  // possibly empty: every thread commits one group per slice
        cp_async_wait<1>(); // slice t's copies (this thread's) have landed
        __syncthreads();    // ... and everyone else's
        const float* as = As[t & 1];
        const float* bs = Bs[t & 1];
#pragma unroll
        for (int kk = 0; kk < BK; kk += 8) {
            uint32_t a[MT][4];
            uint32_t b[NTL][2];
#pragma unroll
            for (int i = 0; i < MT; ++i) {
                const int m = wm0 + i * 16 + g;
#pragma unroll
                for (int q = 0; q < 4; ++q) {
                    const int mm = m + (q & 1) * 8;
                    const int k = kk + t4 + (q >> 1) * 4;
                    a[i][q] = tf32_round(AT ? as[k * A_STRIDE + mm] : as[mm * A_STRIDE + k]);
                }
            }
#pragma unroll
            for (int j = 0; j < NTL; ++j) {
                const int n = wn0 + j * 8 + g;
#pragma unroll
                for (int q = 0; q < 2; ++q) {
                    const int k = kk + t4 + q * 4;
                    b[j][q] = tf32_round(BT ? bs[n * B_STRIDE + k] : bs[k * B_STRIDE + n]);
                }
            }
#pragma unroll
            for (int i = 0; i < MT; ++i) {
#pragma unroll
                for (int j = 0; j < NTL; ++j) {
                    mma_tf32(acc[i][j], a[i], b[j]);
                }
            }
        }
        __syncthreads();  // the stage just read is the next iteration's copy target
    }
    cp_async_wait<0>();

    // acc[i][j][q] is C(m0 + wm0 + 16 i + g + 8 (q >> 1), n0 + wn0 + 8 j + 2 t4 + (q & 1)).
#pragma unroll
    for (int i = 0; i < MT; ++i) {
#pragma unroll
        for (int j = 0; j < NTL; ++j) {
#pragma unroll
            for (int h = 0; h < 2; ++h) {
                const int row = m0 + wm0 + i * 16 + g + h * 8;
                const int col = n0 + wn0 + j * 8 + t4 * 2;
                if (row < M) {
                    if (col < N) {
                        blk.store(p, row, col, acc[i][j][2 * h]);
                    }
                    if (col + 1 < N) {
                        blk.store(p, row, col + 1, acc[i][j][2 * h + 1]);
                    }
                }
            }
        }
    }
}

#define EMBER_TGEMM(cfg, BM, BN, WM, WN, ab, AT, BT, v, VEC)                                                     \
    extern "C" __global__ void __launch_bounds__((BM / WM) * (BN / WN) * 32)                                   \
        tgemm_##cfg##_##ab##v(const GemmArgs p) {                                                              \
        gemm_tf32<BM, BN, WM, WN, AT, BT, VEC>(p);                                                             \
    }

#define EMBER_TGEMM_LAYOUTS(cfg, BM, BN, WM, WN, v, VEC)                                                       \
    EMBER_TGEMM(cfg, BM, BN, WM, WN, nn, false, false, v, VEC)                                                 \
    EMBER_TGEMM(cfg, BM, BN, WM, WN, nt, false, true, v, VEC)                                                  \
    EMBER_TGEMM(cfg, BM, BN, WM, WN, tn, true, false, v, VEC)                                                  \
    EMBER_TGEMM(cfg, BM, BN, WM, WN, tt, true, true, v, VEC)

EMBER_TGEMM_LAYOUTS(l, 128, 128, 64, 32, _v, true)
EMBER_TGEMM_LAYOUTS(l, 128, 128, 64, 32, , false)
EMBER_TGEMM_LAYOUTS(m, 64, 64, 32, 32, _v, true)
EMBER_TGEMM_LAYOUTS(m, 64, 64, 32, 32, , false)
