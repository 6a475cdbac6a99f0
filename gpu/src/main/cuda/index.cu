// Indexing kernels: index_select, index_add, gather, scatter (copy or accumulate), nonzero.
// Launchers: gpu/src/main/java/io/ember/gpu/CudaIndex.java (which documents the layouts and the error protocol).
//
// Index values are INT64. A value outside [0, size of the indexed dim) is never used as an address: reads give 0,
// writes are skipped, and the first such value is recorded in the per-device error buffer `err` (4 x int64:
// {flag, value, dim size, op | dim << 8}) for the host to report. Copy kernels move raw bits, so they are named by
// element size (e1/e4/e8, or the vector unit v1..v16 of the row-copy kernel); accumulating kernels by dtype.
#include "common.cuh"

#define IX_MAX_DIMS 8

// An iteration shape with up to three operands' strides (in elements), passed by value; the Java side packs it as
// int[5 + 32]: {rank, dim, dimSize, aDimStride, idxStride, shape[8], sa[8], sb[8], si[8]}.
//   a: the array indexed along `dim` (x of index_select/gather, dst of index_add/scatter); its dim stride is
//      aDimStride (0 for a 0-d array), its size there dimSize; sa[dim] is not used.
//   b: the array walked in step with the iteration (out of index_select/gather, src of index_add/scatter).
//   si: the index's strides (gather/scatter: the index has the iteration shape); idxStride: the stride of the
//      1-D index of index_select/index_add.
struct IxLayout {
    int rank;
    int dim;
    int dimSize;
    int aDimStride;
    int idxStride;
    int shape[IX_MAX_DIMS];
    int sa[IX_MAX_DIMS];
    int sb[IX_MAX_DIMS];
    int si[IX_MAX_DIMS];
};

// Records the first out-of-range index value (later ones leave the record as it is until the host clears it).
__device__ __forceinline__ void ix_report(unsigned long long* err, long long value, int size, int code) {
    if (atomicCAS(err, 0ull, 1ull) == 0ull) {
        err[1] = (unsigned long long)value;
        err[2] = (unsigned long long)(long long)size;
        err[3] = (unsigned long long)(long long)code;
    }
}

// Element counts fit in int, so loop bodies decompose positions with 32-bit unsigned division (EMBER_LOOP's
// induction variable is 64-bit, so the grid stride never overflows).

template <typename T> __device__ __forceinline__ T ix_zero() { return (T)0; }
template <> __device__ __forceinline__ uint4 ix_zero<uint4>() { return make_uint4(0u, 0u, 0u, 0u); }
template <> __device__ __forceinline__ uint2 ix_zero<uint2>() { return make_uint2(0u, 0u); }

// Accumulation into dst (index_add, scatter with accumulate), with the CPU's per-dtype meaning of "+=".
__device__ __forceinline__ void ix_add(float* p, float v) { atomicAdd(p, v); }
__device__ __forceinline__ void ix_add(double* p, double v) { atomicAdd(p, v); }
__device__ __forceinline__ void ix_add(long long* p, long long v) {
    atomicAdd((unsigned long long*)p, (unsigned long long)v); // two's complement wrap, like Java's long +=
}
__device__ __forceinline__ void ix_add(unsigned char* p, unsigned char v) {
    if (v) *p = 1; // BOOL: |= (every racing writer stores the same 1)
}

// ------------------------------------------------------------------------------------------- index_select / add

// index_select, both arrays contiguous: out viewed as rows [O * n, rowUnits] of vector units U, x as
// [O * N, rowUnits]; out row (o, j) is x row (o, idx[j]).
template <typename U>
__device__ __forceinline__ void select_rows(U* __restrict__ out, const U* __restrict__ x,
        const long long* __restrict__ idx, int idxStride, int n, int N, int rowUnits, int total,
        unsigned long long* err, int code) {
    EMBER_LOOP(u_, total) {
        unsigned int u = (unsigned int)u_;
        unsigned int r = u / (unsigned int)rowUnits;
        unsigned int c = u - r * (unsigned int)rowUnits;
        unsigned int o = r / (unsigned int)n;
        unsigned int j = r - o * (unsigned int)n;
        long long v = idx[(long long)j * idxStride];
        if (v < 0 || v >= N) {
            ix_report(err, v, N, code);
            out[u] = ix_zero<U>();
        } else {
            out[u] = x[((long long)o * N + v) * rowUnits + c];
        }
    }
}

#define SELECT_ROWS(name, U) \
    extern "C" __global__ void name(U* out, const U* x, const long long* idx, int idxStride, int n, int N, \
            int rowUnits, int total, unsigned long long* err, int code) { \
        select_rows<U>(out, x, idx, idxStride, n, N, rowUnits, total, err, code); \
    }
SELECT_ROWS(index_select_rows_v16, uint4)
SELECT_ROWS(index_select_rows_v8, uint2)
SELECT_ROWS(index_select_rows_v4, unsigned int)
SELECT_ROWS(index_select_rows_v2, unsigned short)
SELECT_ROWS(index_select_rows_v1, unsigned char)

// The offsets of iteration position i in a (without the indexed dim) and b, and the coordinate along dim.
__device__ __forceinline__ void ix_offsets(unsigned int i, const IxLayout& L, long long& offA, long long& offB,
        long long& offI, unsigned int& cdim) {
    offA = 0;
    offB = 0;
    offI = 0;
    cdim = 0;
    for (int d = L.rank - 1; d >= 0; --d) {
        unsigned int s = (unsigned int)L.shape[d];
        unsigned int q = i / s;
        unsigned int c = i - q * s;
        i = q;
        offB += (long long)c * L.sb[d];
        offI += (long long)c * L.si[d];
        if (d == L.dim) {
            cdim = c;
        } else {
            offA += (long long)c * L.sa[d];
        }
    }
}

// index_select, any strides: iterates out (the iteration shape, dim sized to the index's length).
template <typename T>
__device__ __forceinline__ void select_strided(T* out, const T* x, const long long* idx, int total, IxLayout L,
        unsigned long long* err, int code) {
    EMBER_LOOP(i_, total) {
        unsigned int i = (unsigned int)i_;
        long long offA, offB, offI;
        unsigned int j;
        ix_offsets(i, L, offA, offB, offI, j);
        long long v = idx[(long long)j * L.idxStride];
        if (v < 0 || v >= L.dimSize) {
            ix_report(err, v, L.dimSize, code);
            out[offB] = (T)0;
        } else {
            out[offB] = x[offA + v * L.aDimStride];
        }
    }
}

#define SELECT_STRIDED(name, T) \
    extern "C" __global__ void name(T* out, const T* x, const long long* idx, int total, IxLayout L, \
            unsigned long long* err, int code) { \
        select_strided<T>(out, x, idx, total, L, err, code); \
    }
SELECT_STRIDED(index_select_e1, unsigned char)
SELECT_STRIDED(index_select_e4, unsigned int)
SELECT_STRIDED(index_select_e8, unsigned long long)

// index_add, both arrays contiguous: src [O, n, inner] is added into dst [O, N, inner] at rows idx[j].
template <typename T>
__device__ __forceinline__ void add_rows(T* dst, const T* __restrict__ src, const long long* __restrict__ idx,
        int idxStride, int n, int N, int inner, int total, unsigned long long* err, int code) {
    EMBER_LOOP(i_, total) {
        unsigned int i = (unsigned int)i_;
        unsigned int r = i / (unsigned int)inner;
        unsigned int k = i - r * (unsigned int)inner;
        unsigned int o = r / (unsigned int)n;
        unsigned int j = r - o * (unsigned int)n;
        long long v = idx[(long long)j * idxStride];
        if (v < 0 || v >= N) {
            ix_report(err, v, N, code);
        } else {
            ix_add(dst + ((long long)o * N + v) * inner + k, src[i]);
        }
    }
}

// index_add, any strides: iterates src.
template <typename T>
__device__ __forceinline__ void add_strided(T* dst, const T* src, const long long* idx, int total, IxLayout L,
        unsigned long long* err, int code) {
    EMBER_LOOP(i_, total) {
        unsigned int i = (unsigned int)i_;
        long long offA, offB, offI;
        unsigned int j;
        ix_offsets(i, L, offA, offB, offI, j);
        long long v = idx[(long long)j * L.idxStride];
        if (v < 0 || v >= L.dimSize) {
            ix_report(err, v, L.dimSize, code);
        } else {
            ix_add(dst + offA + v * L.aDimStride, src[offB]);
        }
    }
}

#define INDEX_ADD(sfx, T) \
    extern "C" __global__ void index_add_rows_##sfx(T* dst, const T* src, const long long* idx, int idxStride, \
            int n, int N, int inner, int total, unsigned long long* err, int code) { \
        add_rows<T>(dst, src, idx, idxStride, n, N, inner, total, err, code); \
    } \
    extern "C" __global__ void index_add_##sfx(T* dst, const T* src, const long long* idx, int total, IxLayout L, \
            unsigned long long* err, int code) { \
        add_strided<T>(dst, src, idx, total, L, err, code); \
    }
INDEX_ADD(f32, float)
INDEX_ADD(f64, double)
INDEX_ADD(i64, long long)
INDEX_ADD(b8, unsigned char)

// ------------------------------------------------------------------------------------------------ gather / scatter

// gather: iterates the index's shape; out[pos] = x[pos with dim replaced by index[pos]].
template <typename T>
__device__ __forceinline__ void gather_strided(T* out, const T* x, const long long* idx, int total, IxLayout L,
        unsigned long long* err, int code) {
    EMBER_LOOP(i_, total) {
        unsigned int i = (unsigned int)i_;
        long long offA, offB, offI;
        unsigned int c;
        ix_offsets(i, L, offA, offB, offI, c);
        long long v = idx[offI];
        if (v < 0 || v >= L.dimSize) {
            ix_report(err, v, L.dimSize, code);
            out[offB] = (T)0;
        } else {
            out[offB] = x[offA + v * L.aDimStride];
        }
    }
}

#define GATHER(name, T) \
    extern "C" __global__ void name(T* out, const T* x, const long long* idx, int total, IxLayout L, \
            unsigned long long* err, int code) { \
        gather_strided<T>(out, x, idx, total, L, err, code); \
    }
GATHER(gather_e1, unsigned char)
GATHER(gather_e4, unsigned int)
GATHER(gather_e8, unsigned long long)

// scatter (plain store): dst[pos with dim replaced by index[pos]] = src[pos]. With repeated targets one of the
// writers wins (unspecified which, as in PyTorch).
template <typename T>
__device__ __forceinline__ void scatter_strided(T* dst, const T* src, const long long* idx, int total, IxLayout L,
        unsigned long long* err, int code) {
    EMBER_LOOP(i_, total) {
        unsigned int i = (unsigned int)i_;
        long long offA, offB, offI;
        unsigned int c;
        ix_offsets(i, L, offA, offB, offI, c);
        long long v = idx[offI];
        if (v < 0 || v >= L.dimSize) {
            ix_report(err, v, L.dimSize, code);
        } else {
            dst[offA + v * L.aDimStride] = src[offB];
        }
    }
}

#define SCATTER(name, T) \
    extern "C" __global__ void name(T* dst, const T* src, const long long* idx, int total, IxLayout L, \
            unsigned long long* err, int code) { \
        scatter_strided<T>(dst, src, idx, total, L, err, code); \
    }
SCATTER(scatter_e1, unsigned char)
SCATTER(scatter_e4, unsigned int)
SCATTER(scatter_e8, unsigned long long)

// scatter with accumulate: dst[...] += src[pos] atomically.
template <typename T>
__device__ __forceinline__ void scatter_add_strided(T* dst, const T* src, const long long* idx, int total,
        IxLayout L, unsigned long long* err, int code) {
    EMBER_LOOP(i_, total) {
        unsigned int i = (unsigned int)i_;
        long long offA, offB, offI;
        unsigned int c;
        ix_offsets(i, L, offA, offB, offI, c);
        long long v = idx[offI];
        if (v < 0 || v >= L.dimSize) {
            ix_report(err, v, L.dimSize, code);
        } else {
            ix_add(dst + offA + v * L.aDimStride, src[offB]);
        }
    }
}

#define SCATTER_ADD(sfx, T) \
    extern "C" __global__ void scatter_add_##sfx(T* dst, const T* src, const long long* idx, int total, \
            IxLayout L, unsigned long long* err, int code) { \
        scatter_add_strided<T>(dst, src, idx, total, L, err, code); \
    }
SCATTER_ADD(f32, float)
SCATTER_ADD(f64, double)
SCATTER_ADD(i64, long long)
SCATTER_ADD(b8, unsigned char)

// ------------------------------------------------------------------------------------------------------ nonzero

// Two passes over x's row-major positions, split into chunks of `chunk` positions (a multiple of blockDim.x), one per
// block: nonzero_count_* writes each chunk's count of non-zero elements to counts[block]; the host sums them (the
// result's size), allocates [count, rank], and nonzero_write_* writes the coordinates in row-major order, each block
// starting at the sum of the counts before it. Both passes walk a chunk in tiles of blockDim.x positions with
// block-uniform trip counts, so every thread reaches every __syncthreads().
// "Non-zero" is C's `v != 0`, as on the CPU: NaN counts, -0.0 does not.

template <typename T> __device__ __forceinline__ bool nz_test(T v) { return v != (T)0; }

template <typename T>
__device__ __forceinline__ bool nz_at(const T* x, long long i, long long end, const Strided& s, int contiguous) {
    if (i >= end) {
        return false;
    }
    return nz_test(x[contiguous ? i : strided_offset(i, s)]);
}

template <typename T>
__device__ __forceinline__ void nonzero_count(const T* x, int n, Strided s, int contiguous, int chunk,
        long long* counts) {
    long long start = (long long)blockIdx.x * chunk;
    long long end = min(start + chunk, (long long)n);
    int count = 0;
    for (long long base = start; base < end; base += blockDim.x) {
        bool f = nz_at(x, base + threadIdx.x, end, s, contiguous);
        count += __syncthreads_count(f);
    }
    if (threadIdx.x == 0) {
        counts[blockIdx.x] = count;
    }
}

template <typename T>
__device__ __forceinline__ void nonzero_write(const T* x, int n, Strided s, int contiguous, int chunk,
        const long long* counts, long long* out) {
    __shared__ long long partial[32];
    __shared__ int warpOff[32];
    __shared__ int tileTotal;
    const int lane = threadIdx.x & 31;
    const int warp = threadIdx.x >> 5;
    const int warps = (blockDim.x + 31) >> 5;

    // this block's first output row: the sum of the counts of the blocks before it
    long long before = 0;
    for (int b = threadIdx.x; b < (int)blockIdx.x; b += blockDim.x) {
        before += counts[b];
    }
    for (int o = 16; o > 0; o >>= 1) {
        before += __shfl_down_sync(0xffffffffu, before, o);
    }
    if (lane == 0) {
        partial[warp] = before;
    }
    __syncthreads();
    if (threadIdx.x == 0) {
        long long t = 0;
        for (int w = 0; w < warps; ++w) {
            t += partial[w];
        }
        partial[0] = t;
    }
    __syncthreads();
    long long row = partial[0];

    long long start = (long long)blockIdx.x * chunk;
    long long end = min(start + chunk, (long long)n);
    for (long long base = start; base < end; base += blockDim.x) {
        long long i = base + threadIdx.x;
        bool f = nz_at(x, i, end, s, contiguous);
        unsigned int ballot = __ballot_sync(0xffffffffu, f);
        if (lane == 0) {
            warpOff[warp] = __popc(ballot);
        }
        __syncthreads();
        if (threadIdx.x == 0) {
            int t = 0;
            for (int w = 0; w < warps; ++w) {
                int c = warpOff[w];
                warpOff[w] = t;
                t += c;
            }
            tileTotal = t;
        }
        __syncthreads();
        if (f) {
            long long r = row + warpOff[warp] + __popc(ballot & ((1u << lane) - 1u));
            long long* dst = out + r * s.rank;
            long long rem = i;
            for (int d = s.rank - 1; d >= 0; --d) {
                long long q = rem / s.shape[d];
                dst[d] = rem - q * s.shape[d];
                rem = q;
            }
        }
        row += tileTotal;
        __syncthreads(); // warpOff and tileTotal are rewritten by the next tile
    }
}

#define NONZERO(sfx, T) \
    extern "C" __global__ void nonzero_count_##sfx(const T* x, int n, Strided s, int contiguous, int chunk, \
            long long* counts) { \
        nonzero_count<T>(x, n, s, contiguous, chunk, counts); \
    } \
    extern "C" __global__ void nonzero_write_##sfx(const T* x, int n, Strided s, int contiguous, int chunk, \
            const long long* counts, long long* out) { \
        nonzero_write<T>(x, n, s, contiguous, chunk, counts, out); \
    }
NONZERO(f32, float)
NONZERO(f64, double)
NONZERO(i64, long long)
NONZERO(b8, unsigned char)
