// Reductions and softmax. Semantics are the CPU backend's (tensor/.../cpu/CpuReduce): floating values accumulate in
// double (sums, products, means, variance, logsumexp, norms), int64 values in wrapping int64; MAX/MIN keep the first
// extreme (lowest index) and a NaN beats every number (the first NaN wins); VAR sums around one shift per output
// (its first element); LOGSUMEXP is an online max + rescaled sum.
//
// reduce_<kind>_<t>(x, out, idx, partial, kept, red, O, M, col, splits, p): out[o] (o < O, out contiguous over the
// kept dims) reduces the M elements x[kept(o) + red(j)], j < M, where kept and red are Geo<1> tables (the layout of
// common.cuh's Strided) of the kept and the reduced dims. Two thread layouts:
//   row (col = 0): a row of blockDim.x threads (a multiple of 32) per output, blockDim.y outputs per block; suits a
//     reduced dim that is contiguous;
//   col (col = 1): threadIdx.x runs over outputs (coalesced when the kept dim is contiguous), blockDim.y (a power of
//     two) threads share each output's reduction;
// gridDim.y = splits > 1 splits each reduction over blocks: they write partial states (partial[split * O + o]) and
// reduce_final_<kind>_<t> (one block per output) combines them in order and writes the result. The arg index (idx,
// may be null) is the reduced linear index j of the chosen element.
//
// softmax_rows_<t>: a row of blockDim.x threads per softmax slice (a warp for short slices, a block for long ones);
// softmax_cols_<t>: one thread per slice (slices whose elements are far apart but whose neighbours are adjacent).
#include "elementwise.cuh"

typedef unsigned char b8;
typedef long long i64;

#define REDUCE_MAX_THREADS 512
#define NEG_INF (-INFINITY)
#define POS_INF (INFINITY)

template <class V> EW_HD bool nan_of(V v) { return v != v; }  // false for integers

// ------------------------------------------------------------------------------------------------- reducers
template <class T> struct AccOf { typedef double type; };
template <> struct AccOf<i64> { typedef unsigned long long type; };  // wrapping, like Java's long

template <class T> struct R_sum {
    typedef T In; typedef T Out; typedef typename AccOf<T>::type Acc;
    int M; double p;
    EW_HD Acc init() const { return 0; }
    EW_HD void start(Acc&, T) const {}
    EW_HD void add(Acc& a, T v, unsigned) const { a += (Acc)v; }
    EW_HD void merge(Acc& a, const Acc& b) const { a += b; }
    EW_HD void write(Out* out, i64*, unsigned o, const Acc& a) const { out[o] = (Out)a; }
};
template <class T> struct R_prod {
    typedef T In; typedef T Out; typedef typename AccOf<T>::type Acc;
    int M; double p;
    EW_HD Acc init() const { return 1; }
    EW_HD void start(Acc&, T) const {}
    EW_HD void add(Acc& a, T v, unsigned) const { a *= (Acc)v; }
    EW_HD void merge(Acc& a, const Acc& b) const { a *= b; }
    EW_HD void write(Out* out, i64*, unsigned o, const Acc& a) const { out[o] = (Out)a; }
};
template <class T> struct R_mean {
    typedef T In; typedef T Out; typedef double Acc;
    int M; double p;
    EW_HD Acc init() const { return 0; }
    EW_HD void start(Acc&, T) const {}
    EW_HD void add(Acc& a, T v, unsigned) const { a += (double)v; }
    EW_HD void merge(Acc& a, const Acc& b) const { a += b; }
    EW_HD void write(Out* out, i64*, unsigned o, const Acc& a) const { out[o] = (Out)(a / M); }
};

// MAX / MIN with the index of the chosen element (i < 0: nothing seen yet). V: float, double, int64, or int for
// bool. `better(u, v)`: u replaces v when seen later; ties go to the lower index whatever the merge order, so the
// result is the CPU's first extreme (or first NaN).
template <class V> struct ArgAcc { V v; i64 i; };
template <class T, class V, bool MAX> struct R_arg {
    typedef T In; typedef T Out; typedef ArgAcc<V> Acc;
    int M; double p;
    EW_HD static bool better(V u, V v) { return (MAX ? u > v : u < v) || (nan_of(u) && !nan_of(v)); }
    EW_HD Acc init() const { Acc a; a.v = (V)0; a.i = -1; return a; }
    EW_HD void start(Acc&, T) const {}
    EW_HD void add(Acc& a, T x, unsigned j) const {
        V v = (V)x;
        if (a.i < 0 || better(v, a.v)) { a.v = v; a.i = (i64)j; }
    }
    EW_HD void merge(Acc& a, const Acc& b) const {
        if (b.i < 0) return;
        if (a.i < 0 || better(b.v, a.v) || (!better(a.v, b.v) && b.i < a.i)) a = b;
    }
    EW_HD void write(Out* out, i64* idx, unsigned o, const Acc& a) const {
        out[o] = (Out)a.v;
        if (idx) idx[o] = a.i;
    }
};

// Variance: every thread of an output sums d = x - K and d * d around the same shift K, the output's first element
// (start), so merging is adding and no cancellation occurs when the mean is far from 0; out = (s2 - s1^2 / n) /
// max(0, M - p) like the CPU (which takes two passes; both are exact to double rounding). An infinite or NaN value
// makes the result NaN, as on the CPU.
struct VarAcc { double n, k, s1, s2; };
template <class T> struct R_var {
    typedef T In; typedef T Out; typedef VarAcc Acc;
    int M; double p;
    EW_HD Acc init() const { Acc a; a.n = 0; a.k = 0; a.s1 = 0; a.s2 = 0; return a; }
    EW_HD void start(Acc& a, T first) const { a.k = (double)first; }
    EW_HD void add(Acc& a, T x, unsigned) const {
        double d = (double)x - a.k;
        a.n += 1;
        a.s1 += d;
        a.s2 += d * d;
    }
    EW_HD void merge(Acc& a, const Acc& b) const {  // both around the same k
        a.n += b.n;
        a.s1 += b.s1;
        a.s2 += b.s2;
    }
    EW_HD void write(Out* out, i64*, unsigned o, const Acc& a) const {
        double m2 = a.s2 - a.s1 * a.s1 / a.n;
        m2 = m2 < 0 ? 0.0 : m2;  // rounding; keeps NaN
        double div = (double)M - p;
        out[o] = (Out)(m2 / (div > 0 ? div : 0.0));
    }
};

// Online log-sum-exp: m the running max (NaN once any NaN is seen), s the sum of exp(x - m). Like the CPU, an
// infinite or NaN max is the result.
struct LseAcc { double m, s; };
template <class T> struct R_lse {
    typedef T In; typedef T Out; typedef LseAcc Acc;
    int M; double p;
    EW_HD Acc init() const { Acc a; a.m = NEG_INF; a.s = 0; return a; }
    EW_HD void start(Acc&, T) const {}
    EW_HD void add(Acc& a, T x, unsigned) const {
        double v = (double)x;
        if (a.m != a.m) return;
        if (v != v) { a.m = v; return; }
        if (v == NEG_INF) return;
        if (v > a.m) {
            a.s = a.s * exp(a.m - v) + 1;  // exp(-inf) = 0 for the first value
            a.m = v;
        } else {
            a.s += exp(v - a.m);  // NaN when both are +inf; unused then (the result is +inf)
        }
    }
    EW_HD void merge(Acc& a, const Acc& b) const {
        if (a.m != a.m) return;
        if (b.m != b.m || a.m == NEG_INF) { a = b; return; }
        if (b.m == NEG_INF) return;
        double m = a.m > b.m ? a.m : b.m;
        if (m == POS_INF) { a.m = m; a.s = 1; return; }
        a.s = a.s * exp(a.m - m) + b.s * exp(b.m - m);
        a.m = m;
    }
    EW_HD void write(Out* out, i64*, unsigned o, const Acc& a) const {
        double m = a.m;
        out[o] = (Out)((m != m || m == POS_INF || m == NEG_INF) ? m : m + log(a.s));
    }
};

// Norms, accumulated in double: +inf (max |x|), -inf (min |x|), 0 (count of non-zeros), 1, 2, any other p.
template <class T, int KIND> struct R_norm {
    typedef T In; typedef T Out; typedef double Acc;
    int M; double p;
    EW_HD Acc init() const { return KIND == -2 ? POS_INF : 0.0; }
    EW_HD void start(Acc&, T) const {}
    EW_HD void merge(Acc& a, const Acc& b) const {
        if (KIND == -1) { if (b > a || b != b) a = b; }
        else if (KIND == -2) { if (b < a || b != b) a = b; }
        else a += b;
    }
    EW_HD void add(Acc& a, T x, unsigned) const {
        double v = (double)x;
        double av = fabs(v);
        switch (KIND) {
            case -1: case -2: merge(a, av); break;
            case 0: a += v != 0 ? 1.0 : 0.0; break;
            case 1: a += av; break;
            case 2: a += v * v; break;
            default: a += java_pow(av, p); break;
        }
    }
    EW_HD void write(Out* out, i64*, unsigned o, const Acc& a) const {
        double r = KIND == 2 ? sqrt(a) : (KIND == 3 ? java_pow(a, 1.0 / p) : a);
        out[o] = (Out)r;
    }
};

// ANY / ALL of any dtype (NaN counts as true), BOOL out.
template <class T, bool ALL> struct R_bool {
    typedef T In; typedef b8 Out; typedef int Acc;
    int M; double p;
    EW_HD Acc init() const { return ALL ? 1 : 0; }
    EW_HD void start(Acc&, T) const {}
    EW_HD void add(Acc& a, T x, unsigned) const {
        int nz = x != (T)0 ? 1 : 0;
        a = ALL ? (a & nz) : (a | nz);
    }
    EW_HD void merge(Acc& a, const Acc& b) const { a = ALL ? (a & b) : (a | b); }
    EW_HD void write(Out* out, i64*, unsigned o, const Acc& a) const { out[o] = a ? 1 : 0; }
};

// ------------------------------------------------------------------------------------------------- kernel bodies
// Combines the accumulators of the blockDim.x threads of each row (blockDim.x a multiple of 32, at most 512);
// the result is valid in threadIdx.x == 0. Every thread of the block must call it (shuffles, barrier).
template <class R>
__device__ __forceinline__ typename R::Acc reduce_row(typename R::Acc a, const R& r, typename R::Acc* sh) {
    typedef typename R::Acc Acc;
#pragma unroll
    for (int d = 16; d > 0; d >>= 1) {
        Acc b = shfl_down_any(a, d);
        r.merge(a, b);
    }
    if (blockDim.x > 32) {  // uniform over the block
        const unsigned nw = blockDim.x >> 5, w = threadIdx.x >> 5, base = threadIdx.y * nw;
        if ((threadIdx.x & 31) == 0) sh[base + w] = a;
        __syncthreads();
        if (threadIdx.x == 0) {
            a = sh[base];
            for (unsigned k = 1; k < nw; ++k) r.merge(a, sh[base + k]);
        }
    }
    return a;
}

template <class R>
__device__ __forceinline__ void reduce_body(const typename R::In* x, typename R::Out* out, i64* idx,
                                            typename R::Acc* partial, const Geo<1>& kept, const Geo<1>& red, int O,
                                            int M, int col, int splits, const R& r) {
    typedef typename R::Acc Acc;
    static_assert(sizeof(Acc) <= 32, "partial states are 32 bytes apart at most (CudaReduce.PARTIAL_BYTES)");
    __shared__ Acc sh[REDUCE_MAX_THREADS];
    unsigned o, lane, lanes;
    if (col) {
        o = blockIdx.x * blockDim.x + threadIdx.x;
        lane = threadIdx.y;
        lanes = blockDim.y;
    } else {
        o = blockIdx.x * blockDim.y + threadIdx.y;
        lane = threadIdx.x;
        lanes = blockDim.x;
    }
    Acc a = r.init();
    if (o < (unsigned)O) {
        int base[1];
        geo_offsets(o, kept, base);
        const typename R::In* xo = x + base[0];
        r.start(a, xo[0]);  // the output's first element (j = 0)
        const unsigned um = (unsigned)M, step = lanes * (unsigned)splits;
        unsigned j = blockIdx.y * lanes + lane;
        if (red.rank == 1) {
            const int st = red.strides[0][0];
#pragma unroll 4
            for (; j < um; j += step) r.add(a, xo[(int)j * st], j);
        } else {
            for (; j < um; j += step) {
                int off[1];
                geo_offsets(j, red, off);
                r.add(a, xo[off[0]], j);
            }
        }
    }
    if (!col) {
        a = reduce_row(a, r, sh);
    } else if (lanes > 1) {  // uniform over the block: a tree over threadIdx.y in shared memory
        const unsigned me = threadIdx.y * blockDim.x + threadIdx.x;
        sh[me] = a;
        __syncthreads();
        for (unsigned s = lanes >> 1; s > 0; s >>= 1) {
            if (threadIdx.y < s) {
                Acc b = sh[me + s * blockDim.x];
                r.merge(sh[me], b);
            }
            __syncthreads();
        }
        a = sh[threadIdx.x];
    }
    if (lane == 0 && o < (unsigned)O) {
        if (splits == 1) {
            r.write(out, idx, o, a);
        } else {
            partial[blockIdx.y * (unsigned)O + o] = a;
        }
    }
}

// One block (blockDim.x a multiple of 32) per output: combines its `splits` partial states in split order.
template <class R>
__device__ __forceinline__ void reduce_final_body(const typename R::Acc* partial, typename R::Out* out, i64* idx,
                                                  int O, int splits, const R& r) {
    typedef typename R::Acc Acc;
    __shared__ Acc sh[REDUCE_MAX_THREADS / 32];
    const unsigned o = blockIdx.x;
    Acc a = r.init();
    for (unsigned s = threadIdx.x; s < (unsigned)splits; s += blockDim.x) {
        Acc b = partial[s * (unsigned)O + o];
        r.merge(a, b);
    }
    a = reduce_row(a, r, sh);
    if (threadIdx.x == 0) r.write(out, idx, o, a);
}

#define REDUCE_KERNELS(NAME, SFX, R) \
    extern "C" __global__ void reduce_##NAME##_##SFX(const R::In* x, R::Out* out, i64* idx, R::Acc* partial, \
                                                     Geo<1> kept, Geo<1> red, int O, int M, int col, int splits, \
                                                     double p) { \
        reduce_body(x, out, idx, partial, kept, red, O, M, col, splits, R{M, p}); \
    } \
    extern "C" __global__ void reduce_final_##NAME##_##SFX(const R::Acc* partial, R::Out* out, i64* idx, int O, \
                                                           int splits, int M, double p) { \
        reduce_final_body(partial, out, idx, O, splits, R{M, p}); \
    }

#define COMMA ,
REDUCE_KERNELS(sum, f32, R_sum<float>)
REDUCE_KERNELS(sum, f64, R_sum<double>)
REDUCE_KERNELS(sum, i64, R_sum<i64>)
REDUCE_KERNELS(prod, f32, R_prod<float>)
REDUCE_KERNELS(prod, f64, R_prod<double>)
REDUCE_KERNELS(prod, i64, R_prod<i64>)
REDUCE_KERNELS(mean, f32, R_mean<float>)
REDUCE_KERNELS(mean, f64, R_mean<double>)
REDUCE_KERNELS(max, f32, R_arg<float COMMA float COMMA true>)
REDUCE_KERNELS(max, f64, R_arg<double COMMA double COMMA true>)
REDUCE_KERNELS(max, i64, R_arg<i64 COMMA i64 COMMA true>)
REDUCE_KERNELS(max, b8, R_arg<b8 COMMA int COMMA true>)
REDUCE_KERNELS(min, f32, R_arg<float COMMA float COMMA false>)
REDUCE_KERNELS(min, f64, R_arg<double COMMA double COMMA false>)
REDUCE_KERNELS(min, i64, R_arg<i64 COMMA i64 COMMA false>)
REDUCE_KERNELS(min, b8, R_arg<b8 COMMA int COMMA false>)
REDUCE_KERNELS(var, f32, R_var<float>)
REDUCE_KERNELS(var, f64, R_var<double>)
REDUCE_KERNELS(logsumexp, f32, R_lse<float>)
REDUCE_KERNELS(logsumexp, f64, R_lse<double>)
REDUCE_KERNELS(norm_inf, f32, R_norm<float COMMA -1>)
REDUCE_KERNELS(norm_inf, f64, R_norm<double COMMA -1>)
REDUCE_KERNELS(norm_neg_inf, f32, R_norm<float COMMA -2>)
REDUCE_KERNELS(norm_neg_inf, f64, R_norm<double COMMA -2>)
REDUCE_KERNELS(norm0, f32, R_norm<float COMMA 0>)
REDUCE_KERNELS(norm0, f64, R_norm<double COMMA 0>)
REDUCE_KERNELS(norm1, f32, R_norm<float COMMA 1>)
REDUCE_KERNELS(norm1, f64, R_norm<double COMMA 1>)
REDUCE_KERNELS(norm2, f32, R_norm<float COMMA 2>)
REDUCE_KERNELS(norm2, f64, R_norm<double COMMA 2>)
REDUCE_KERNELS(normp, f32, R_norm<float COMMA 3>)
REDUCE_KERNELS(normp, f64, R_norm<double COMMA 3>)
REDUCE_KERNELS(any, f32, R_bool<float COMMA false>)
REDUCE_KERNELS(any, f64, R_bool<double COMMA false>)
REDUCE_KERNELS(any, i64, R_bool<i64 COMMA false>)
REDUCE_KERNELS(any, b8, R_bool<b8 COMMA false>)
REDUCE_KERNELS(all, f32, R_bool<float COMMA true>)
REDUCE_KERNELS(all, f64, R_bool<double COMMA true>)
REDUCE_KERNELS(all, i64, R_bool<i64 COMMA true>)
REDUCE_KERNELS(all, b8, R_bool<b8 COMMA true>)

// ------------------------------------------------------------------------------------------------------ softmax
// Max that lets NaN win (commutative in value, so every lane of a butterfly ends with the same result).
template <class T> EW_HD T max_nan(T a, T b) { return (b > a || b != b) ? b : a; }

// The max (op 0) or sum (op 1) over the blockDim.x threads of a row, returned to all of them. Every thread of the
// block must call it.
template <class T>
__device__ __forceinline__ T row_allreduce(T v, int op, T* sh) {
#pragma unroll
    for (int d = 16; d > 0; d >>= 1) {
        T u = __shfl_xor_sync(0xffffffffu, v, d);
        v = op == 0 ? max_nan(v, u) : v + u;
    }
    if (blockDim.x > 32) {  // uniform over the block
        const unsigned nw = blockDim.x >> 5, base = threadIdx.y * nw;
        __syncthreads();  // the previous call's readers are done with sh
        if ((threadIdx.x & 31) == 0) sh[base + (threadIdx.x >> 5)] = v;
        __syncthreads();
        v = sh[base];
        for (unsigned k = 1; k < nw; ++k) v = op == 0 ? max_nan(v, sh[base + k]) : v + sh[base + k];
    }
    return v;
}

// Slices of n elements, x[xbase + j * xs] -> out[obase + j * os]; bases from g (strides[0]: x, strides[1]: out)
// over the slice index. float32 computes in float like PyTorch (the CPU uses double; they agree to a few ulp).
template <class T>
__device__ __forceinline__ void softmax_rows_body(const T* x, T* out, int rows, int n, int xs, int os,
                                                  const Geo<2>& g, int log) {
    __shared__ T sh[32];
    const unsigned row = blockIdx.x * blockDim.y + threadIdx.y;
    const bool active = row < (unsigned)rows;
    int off[2] = {0, 0};
    if (active) geo_offsets(row, g, off);
    const T* xr = x + off[0];
    T* orow = out + off[1];
    T m = NEG_INF;
    if (active) {
        for (int j = threadIdx.x; j < n; j += blockDim.x) m = max_nan(m, xr[j * xs]);
    }
    m = row_allreduce(m, 0, sh);
    T s = 0;
    if (active) {
        for (int j = threadIdx.x; j < n; j += blockDim.x) s += m_exp(xr[j * xs] - m);
    }
    s = row_allreduce(s, 1, sh);
    if (active) {
        if (log) {
            const T lse = m + m_log(s);
            for (int j = threadIdx.x; j < n; j += blockDim.x) orow[j * os] = xr[j * xs] - lse;
        } else {
            const T inv = (T)1 / s;
            for (int j = threadIdx.x; j < n; j += blockDim.x) orow[j * os] = m_exp(xr[j * xs] - m) * inv;
        }
    }
}

template <class T>
__device__ __forceinline__ void softmax_cols_body(const T* x, T* out, int rows, int n, int xs, int os,
                                                  const Geo<2>& g, int log) {
    for (unsigned row = blockIdx.x * blockDim.x + threadIdx.x; row < (unsigned)rows; row += gridDim.x * blockDim.x) {
        int off[2];
        geo_offsets(row, g, off);
        const T* xr = x + off[0];
        T* orow = out + off[1];
        T m = NEG_INF;
        for (int j = 0; j < n; ++j) m = max_nan(m, xr[j * xs]);
        T s = 0;
        for (int j = 0; j < n; ++j) s += m_exp(xr[j * xs] - m);
        if (log) {
            const T lse = m + m_log(s);
            for (int j = 0; j < n; ++j) orow[j * os] = xr[j * xs] - lse;
        } else {
            const T inv = (T)1 / s;
            for (int j = 0; j < n; ++j) orow[j * os] = m_exp(xr[j * xs] - m) * inv;
        }
    }
}

#define SOFTMAX_KERNELS(SFX, T) \
    extern "C" __global__ void softmax_rows_##SFX(const T* x, T* out, int rows, int n, int xs, int os, Geo<2> g, \
                                                  int log) { \
        softmax_rows_body(x, out, rows, n, xs, os, g, log); \
    } \
    extern "C" __global__ void softmax_cols_##SFX(const T* x, T* out, int rows, int n, int xs, int os, Geo<2> g, \
                                                  int log) { \
        softmax_cols_body(x, out, rows, n, xs, os, g, log); \
    }
SOFTMAX_KERNELS(f32, float)
SOFTMAX_KERNELS(f64, double)
