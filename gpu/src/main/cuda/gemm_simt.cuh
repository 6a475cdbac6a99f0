// The CUDA-core GEMM (see gemm.cuh for the operands): a BM x BN tile per block, BK deep slices of A and B staged in
// shared memory (double-buffered: the next slice is loaded into registers while the current one is multiplied, one
// barrier per slice), each thread accumulating a TM x TN (4 RM x 4 RN) register tile made of RM x RN 4x4 blocks
// spaced BM/RM rows and BN/RN columns apart, so that a warp's shared-memory reads are broadcasts or consecutive
// 16-byte vectors. Shared memory holds both slices k-major (As[k][m], Bs[k][n]); operands whose contiguous
// dimension is K are transposed on the way in. VEC: A's and B's contiguous rows and batch offsets are 16-byte
// aligned, so global loads are float4 (float only). SPLIT: the kernel supports split-K (p.splits > 1); without it
// p.splits must be 1 (the large tiles keep their registers for the main loop).
#pragma once
#include "gemm.cuh"

// r[0..3] = 4 consecutive elements of shared memory at p (16-byte aligned for float).
template <typename T>
__device__ __forceinline__ void lds4(T* r, const T* p) {
    if constexpr (sizeof(T) == 4) {
        const float4 v = *reinterpret_cast<const float4*>(p);
        r[0] = v.x;
        r[1] = v.y;
        r[2] = v.z;
        r[3] = v.w;
    } else {
        r[0] = p[0];
        r[1] = p[1];
        r[2] = p[2];
        r[3] = p[3];
    }
}

// r[e] = p[e] for e < avail (the elements inside the matrix), 0 for the rest.
template <typename T, bool VEC>
__device__ __forceinline__ void ldg4(T* r, const T* p, int64_t avail) {
    if (avail <= 0) {
        r[0] = r[1] = r[2] = r[3] = T(0);
        return;
    }
    if constexpr (VEC) {
        if (avail >= 4) {
            const float4 v = *reinterpret_cast<const float4*>(p);
            r[0] = v.x;
            r[1] = v.y;
            r[2] = v.z;
            r[3] = v.w;
            return;
        }
    }
#pragma unroll
    for (int e = 0; e < 4; ++e) {
        r[e] = e < avail ? p[e] : T(0);
    }
}

template <typename T, int BM, int BN, int BK, int RM, int RN, bool AT, bool BT, bool VEC, bool SPLIT>
__device__ __forceinline__ void gemm_simt(const GemmArgs& p) {
    constexpr int TM = 4 * RM;
    constexpr int TN = 4 * RN;
    constexpr int TY = BM / TM;
    constexpr int TX = BN / TN;
    constexpr int NT = TX * TY;
    constexpr int SA = BM + 4;  // padded rows: the transposing stores of a warp hit distinct banks
    constexpr int SB = BN + 4;
    constexpr int LA = BM * BK / 4 / NT;  // 4-element vectors each thread loads per slice
    constexpr int LB = BN * BK / 4 / NT;
    static_assert(LA * NT * 4 == BM * BK && LB * NT * 4 == BN * BK, "slices must split evenly over the threads");
    static_assert(!VEC || sizeof(T) == 4, "vector loads are for float");
    __shared__ __align__(16) T As[2][BK * SA];
    __shared__ __align__(16) T Bs[2][BK * SB];

    const GemmBlock<T> blk(p);
    const int tid = threadIdx.x;
    const int tx = tid % TX;
    const int ty = tid / TX;
    int tm, tn;
    gemm_tile(p, tm, tn);
    const int m0 = tm * BM;
    const int n0 = tn * BN;
    const int M = blk.M;
    const int N = blk.N;
    const int kend = blk.kend;
    const int64_t lda = p.lda;
    const int64_t ldb = p.ldb;
    const T* __restrict__ A = blk.A;
    const T* __restrict__ B = blk.B;

    T ra[LA][4];
    T rb[LB][4];
    T acc[TM][TN];
#pragma unroll
    for (int i = 0; i < TM; ++i) {
#pragma unroll
        for (int j = 0; j < TN; ++j) {
            acc[i][j] = T(0);
        }
    }

    auto load = [&](int k0) {
#pragma unroll
        for (int i = 0; i < LA; ++i) {
            const int v = tid + i * NT;
            if constexpr (!AT) {
                const int row = v / (BK / 4);
                const int kq = (v % (BK / 4)) * 4;
                const int gm = m0 + row;
                const int gk = k0 + kq;
                ldg4<T, VEC>(ra[i], A + (int64_t)gm * lda + gk, gm < M ? kend - gk : 0);
            } else {
                const int kr = v / (BM / 4);
                const int mq = (v % (BM / 4)) * 4;
                const int gk = k0 + kr;
                const int gm = m0 + mq;
                ldg4<T, VEC>(ra[i], A + (int64_t)gk * lda + gm, gk < kend ? M - gm : 0);
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
                ldg4<T, VEC>(rb[i], B + (int64_t)gk * ldb + gn, gk < kend ? N - gn : 0);
            } else {
                const int col = v / (BK / 4);
                const int kq = (v % (BK / 4)) * 4;
                const int gn = n0 + col;
                const int gk = k0 + kq;
                ldg4<T, VEC>(rb[i], B + (int64_t)gn * ldb + gk, gn < N ? kend - gk : 0);
            }
        }
    };

    auto store = [&](int buf) {
        T* as = As[buf];
        T* bs = Bs[buf];
#pragma unroll
        for (int i = 0; i < LA; ++i) {
            const int v = tid + i * NT;
            if constexpr (!AT) {
                const int row = v / (BK / 4);
                const int kq = (v % (BK / 4)) * 4;
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    as[(kq + e) * SA + row] = ra[i][e];
                }
            } else {
                const int kr = v / (BM / 4);
                const int mq = (v % (BM / 4)) * 4;
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    as[kr * SA + mq + e] = ra[i][e];
                }
            }
        }
#pragma unroll
        for (int i = 0; i < LB; ++i) {
            const int v = tid + i * NT;
            if constexpr (!BT) {
                const int kr = v / (BN / 4);
                const int nq = (v % (BN / 4)) * 4;
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    bs[kr * SB + nq + e] = rb[i][e];
                }
            } else {
                const int col = v / (BK / 4);
                const int kq = (v % (BK / 4)) * 4;
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    bs[(kq + e) * SB + col] = rb[i][e];
                }
            }
        }
    };

    const int ntiles = kend > blk.kbeg ? (kend - blk.kbeg + BK - 1) / BK : 0;
    load(blk.kbeg);
    store(0);
    __syncthreads();
    for (int t = 0; t < ntiles; ++t) {
        const int cur = t & 1;
        const bool more = t + 1 < ntiles;  // the same in every thread
        if (more) {
            load(blk.kbeg + (t + 1) * BK);
        }
        const T* as = As[cur];
        const T* bs = Bs[cur];
#pragma unroll
        for (int kk = 0; kk < BK; ++kk) {
            T a[TM];
            T b[TN];
#pragma unroll
            for (int r = 0; r < RM; ++r) {
                lds4(a + 4 * r, as + kk * SA + r * (BM / RM) + ty * 4);
            }
#pragma unroll
            for (int c = 0; c < RN; ++c) {
                lds4(b + 4 * c, bs + kk * SB + c * (BN / RN) + tx * 4);
            }
#pragma unroll
            for (int i = 0; i < TM; ++i) {
#pragma unroll
                for (int j = 0; j < TN; ++j) {
                    acc[i][j] += a[i] * b[j];
                }
            }
        }
        if (more) {
            store(cur ^ 1);  // that buffer was last read before the previous barrier
        }
        __syncthreads();
    }

    // Element (i, j) of the register tile is C(m0 + rowOf(i), n0 + colOf(j)).
    auto rowOf = [&](int i) { return m0 + (i / 4) * (BM / RM) + ty * 4 + (i % 4); };
    auto colOf = [&](int j) { return n0 + (j / 4) * (BN / RN) + tx * 4 + (j % 4); };
    auto each = [&](auto&& f) {
#pragma unroll
        for (int i = 0; i < TM; ++i) {
#pragma unroll
            for (int j = 0; j < TN; ++j) {
                f(rowOf(i), colOf(j), acc[i][j]);
            }
        }
    };
    if constexpr (SPLIT) {
        if (!gemm_split_reduce<T>(p, blk, each)) {
            return;
        }
    }
#pragma unroll
    for (int i = 0; i < TM; ++i) {
        const int row = rowOf(i);
        if (row >= M) {
            continue;
        }
#pragma unroll
        for (int c = 0; c < RN; ++c) {
            const int col = colOf(4 * c);
            if constexpr (sizeof(T) == 4) {
                if (p.cvec && col + 3 < N) {
                    float4 v = make_float4(acc[i][4 * c], acc[i][4 * c + 1], acc[i][4 * c + 2], acc[i][4 * c + 3]);
                    if (blk.bias) {
                        const float bv = blk.bias[row];
                        v.x += bv;
                        v.y += bv;
                        v.z += bv;
                        v.w += bv;
                    }
                    float4* dst = reinterpret_cast<float4*>(blk.C + (int64_t)row * p.ldc + col);
                    if (p.accumulate) {
                        const float4 o = *dst;
                        v.x = o.x + v.x;
                        v.y = o.y + v.y;
                        v.z = o.z + v.z;
                        v.w = o.w + v.w;
                    }
                    *dst = v;
                    continue;
                }
            }
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                if (col + e < N) {
                    blk.store(p, row, col + e, acc[i][4 * c + e]);
                }
            }
        }
    }
}
