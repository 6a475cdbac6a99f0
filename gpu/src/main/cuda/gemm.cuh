// Ember's matrix-product kernels: shared by gemm.cu (float32 on CUDA cores), gemm_tf32.cu (TF32 tensor cores) and
// gemm_wide.cu (float64 and int64). Every kernel computes, for each batch index z of its launch,
//     C_z (= C_z +) op(A_z) op(B_z) (+ bias_z per row)
// with A_z [M, K], B_z [K, N], C_z [M, N] row-major with leading dimension ldc. A is "n" when K is its contiguous
// dimension (A(i, p) at i * lda + p) and "t" when M is (A(i, p) at p * lda + i); B is "n" when N is contiguous
// (B(p, j) at p * ldb + j) and "t" when K is (B(p, j) at j * ldb + p). Batch offsets are two-level, so that a
// convolution's groups need no copies: z = z1 * z2 + zi adds z1 * s?1 + zi * s?2 elements to each operand.
// Split-K: blockIdx.y = zl * splits + s; split s covers k in [s * kchunk, min(K, (s + 1) * kchunk)), writes its
// partial tile to the workspace, and the last split of a tile to arrive (an atomic counter per tile) adds the
// partials in split order, so results do not depend on timing, and resets the counter to zero for the next launch.
#pragma once
#include "common.cuh"

// The launch parameters, passed by value; the Java side (CudaGemm.Call.pack) writes them as a long[] in this order.
struct GemmArgs {
    int64_t a, b, c;       // device addresses of A, B and C for batch index 0
    int64_t bias;          // 0, or the address of a bias added to every row i of C: bias[i]
    int64_t ws;            // split-K workspace [splits][launch batch][M][N], 0 when splits == 1
    int64_t counters;      // split-K tile counters (int32, zero between launches), 0 when splits == 1
    int64_t m, n, k;
    int64_t lda, ldb, ldc;
    int64_t z2;            // inner batch count (>= 1)
    int64_t sa1, sa2, sb1, sb2, sc1, sc2, sbias1, sbias2;  // batch strides in elements
    int64_t zbase;         // batch index of this launch's first z
    int64_t tiles_m, tiles_n;  // tiles along M and N; blockIdx.x enumerates tiles_m * tiles_n
    int64_t splits, kchunk;
    int64_t accumulate;    // nonzero: C += result
    int64_t cvec;          // nonzero: C's rows and batch offsets allow 16-byte vector stores
};

// Tile (tm, tn) of blockIdx.x, visiting tiles in groups of 8 tile rows so that blocks running together share the
// rows of A and columns of B in L2.
__device__ __forceinline__ void gemm_tile(const GemmArgs& p, int& tm, int& tn) {
    const int gx = (int)p.tiles_n;
    const int gy = (int)p.tiles_m;
    const int bid = blockIdx.x;
    const int group = 8;
    const int per = group * gx;
    const int first = (bid / per) * group;
    const int rows = min(gy - first, group);
    const int r = bid - (bid / per) * per;
    tm = first + r % rows;
    tn = r / rows;
}

// Split-K arrival: every thread of the block calls this after writing its partials; returns (uniformly over the
// block) whether this block is the last split of its tile to arrive. The last one resets the counter.
__device__ __forceinline__ bool gemm_split_last(int* counter, int splits) {
    __shared__ int s_last;
    __threadfence();
    __syncthreads();
    if (threadIdx.x == 0) {
        const int prev = atomicAdd(counter, 1);
        const int last = prev == splits - 1;
        if (last) {
            *counter = 0;
        }
        s_last = last;
    }
    __syncthreads();
    const bool last = s_last != 0;
    if (last) {
        __threadfence();
    }
    return last;
}

// Per-launch context every kernel derives from blockIdx: its batch operands, split and k range.
template <typename T>
struct GemmBlock {
    const T* A;
    const T* B;
    T* C;
    const T* bias;
    int s;        // split index
    int zl;       // batch index within the launch
    int kbeg, kend;
    int M, N;

    __device__ __forceinline__ GemmBlock(const GemmArgs& p) {
        const int splits = (int)p.splits;
        zl = blockIdx.y / splits;
        s = blockIdx.y - zl * splits;
        const int64_t z = p.zbase + zl;
        const int64_t z1 = z / p.z2;
        const int64_t zi = z - z1 * p.z2;
        A = reinterpret_cast<const T*>(p.a) + z1 * p.sa1 + zi * p.sa2;
        B = reinterpret_cast<const T*>(p.b) + z1 * p.sb1 + zi * p.sb2;
        C = reinterpret_cast<T*>(p.c) + z1 * p.sc1 + zi * p.sc2;
        bias = p.bias ? reinterpret_cast<const T*>(p.bias) + z1 * p.sbias1 + zi * p.sbias2 : nullptr;
        kbeg = s * (int)p.kchunk;
        kend = min((int)p.k, kbeg + (int)p.kchunk);
        M = (int)p.m;
        N = (int)p.n;
    }

    // The workspace slice of split t for this block's batch index.
    __device__ __forceinline__ T* ws(const GemmArgs& p, int t) const {
        const int64_t zcount = gridDim.y / (int)p.splits;
        return reinterpret_cast<T*>(p.ws) + (((int64_t)t * zcount + zl) * M) * N;
    }

    __device__ __forceinline__ int* counter(const GemmArgs& p) const {
        return reinterpret_cast<int*>(p.counters) + (int64_t)zl * gridDim.x + blockIdx.x;
    }

    // C(row, col) = v (+ bias) (+ old C); row < M and col < N.
    __device__ __forceinline__ void store(const GemmArgs& p, int row, int col, T v) const {
        if (bias) {
            v += bias[row];
        }
        T* dst = C + (int64_t)row * p.ldc + col;
        if (p.accumulate) {
            v = *dst + v;
        }
        *dst = v;
    }
};

// Split-K epilogue shared by the kernels. each(f) calls f(row, col, T& v) for every accumulator element the thread
// owns (rows and columns may be out of range; they are skipped here). Returns false when this block is done (it
// was not the last split); true when the caller should store its (now complete) accumulators.
template <typename T, typename Each>
__device__ __forceinline__ bool gemm_split_reduce(const GemmArgs& p, const GemmBlock<T>& blk, Each each) {
    const int splits = (int)p.splits;
    if (splits == 1) {
        return true;
    }
    T* mine = blk.ws(p, blk.s);
    const int M = blk.M;
    const int N = blk.N;
    each([&](int row, int col, T& v) {
        if (row < M && col < N) {
            mine[(int64_t)row * N + col] = v;
        }
    });
    if (!gemm_split_last(blk.counter(p), splits)) {
        return false;
    }
    const T* base = blk.ws(p, 0);
    const int64_t slice = (int64_t)(gridDim.y / splits) * M * N;
    each([&](int row, int col, T& v) {
        if (row < M && col < N) {
            const T* src = base + (int64_t)row * N + col;
            T sum = 0;
            for (int t = 0; t < splits; ++t) {
                sum += t == blk.s ? v : __ldcg(src + t * slice);
            }
            v = sum;
        }
    });
    return true;
}

// ------------------------------------------------------------------ PTX instructions (sm_80+)
// An emulator can provide these itself (defining EMBER_PTX_OPS_DEFINED) to run the kernels on a host.
#ifndef EMBER_PTX_OPS_DEFINED
// Rounds to TF32 (10 mantissa bits, nearest, ties away from zero), as cuBLAS does for TF32 inputs.
__device__ __forceinline__ uint32_t tf32_round(float x) {
    uint32_t r;
    asm("cvt.rna.tf32.f32 %0, %1;\n" : "=r"(r) : "f"(x));
    return r;
}

// d += a (16x8, row) * b (8x8, col), TF32 inputs, float32 accumulators; one warp.
__device__ __forceinline__ void mma_tf32(float (&d)[4], const uint32_t (&a)[4], const uint32_t (&b)[2]) {
    asm volatile(
        "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
        "{%0,%1,%2,%3};\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
}

// Asynchronous copy of 16 bytes global -> shared; only the first `bytes` (0..16) are read, the rest zero-filled.
__device__ __forceinline__ void cp_async16(void* smem, const void* gmem, int bytes) {
    const unsigned s = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\n" ::"r"(s), "l"(gmem), "r"(bytes));
}

// Asynchronous copy of 4 bytes (bytes == 4) or a zero (bytes == 0).
__device__ __forceinline__ void cp_async4(void* smem, const void* gmem, int bytes) {
    const unsigned s = (unsigned)__cvta_generic_to_shared(smem);
    asm volatile("cp.async.ca.shared.global [%0], [%1], 4, %2;\n" ::"r"(s), "l"(gmem), "r"(bytes));
}

__device__ __forceinline__ void cp_async_commit() {
    asm volatile("cp.async.commit_group;\n" ::);
}

// Waits until at most N of this thread's committed groups are still in flight.
template <int N>
__device__ __forceinline__ void cp_async_wait() {
    asm volatile("cp.async.wait_group %0;\n" ::"n"(N));
}
#endif
