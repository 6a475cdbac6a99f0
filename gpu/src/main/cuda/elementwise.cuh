// Device helpers shared by elementwise.cu and reduce.cu: multi-operand stride tables, vector access, math overloads
// for float/double, and Java's semantics where C's differ (Math.pow, Math.min/max, floorMod, saturating casts).
// Functions are __host__ __device__ where they can be, so their semantics can be checked by a host program.
#pragma once
#include "common.cuh"
#include <math.h>

#define EW_HD __host__ __device__ __forceinline__

// N operands' strides over one shape, passed by value. Java packs int[1 + 8 + 8N]:
// {rank, shape[0..7], strides of operand 0 [0..7], strides of operand 1 [0..7], ...}. Geo<1> has the layout of
// common.cuh's Strided. Element offsets fit in int: every storage holds fewer than 2^31 elements.
template <int N>
struct Geo {
    int rank;
    int shape[EMBER_MAX_DIMS];
    int strides[N][EMBER_MAX_DIMS];
};

// Element offsets of linear (row-major) index i in each operand. The dim loop is unrolled over the fixed maximum
// with a rank guard so every table index is a constant (the table stays in parameter space, no local copy);
// unsigned 32-bit division (i < 2^31).
template <int N>
EW_HD void geo_offsets(unsigned i, const Geo<N>& g, int (&off)[N]) {
#pragma unroll
    for (int k = 0; k < N; ++k) off[k] = 0;
#pragma unroll
    for (int d = EMBER_MAX_DIMS - 1; d >= 1; --d) {
        if (d < g.rank) {
            unsigned n = (unsigned)g.shape[d];
            unsigned q = i / n;
            int r = (int)(i - q * n);
#pragma unroll
            for (int k = 0; k < N; ++k) off[k] += r * g.strides[k][d];
            i = q;
        }
    }
#pragma unroll
    for (int k = 0; k < N; ++k) off[k] += (int)i * g.strides[k][0];
}

// Layout modes of elementwise launches (the low 2 bits of `mode`); higher bits mark operands that are one value
// broadcast to every element (all strides 0) in the linear modes.
#define EW_STRIDED 0   // every operand through the Geo table
#define EW_LINEAR 1    // every operand contiguous (or a scalar): element i at p[i]
#define EW_VEC 2       // linear, and every non-scalar operand aligned for 4-element vector access
#define EW_SCALAR(k) (4 << (k))  // input operand k (0 = first input) is a scalar

#define EW_VEC_N 4

// Four consecutive elements, aligned so that one (or two, for 8-byte types) vector instructions move them.
template <class T>
struct alignas(sizeof(T) * EW_VEC_N) Vec4 {
    T v[EW_VEC_N];
};

// ---------------------------------------------------------------------------------------------- math overloads
#define EW_MATH1(name, f32, f64) \
    EW_HD float name(float x) { return f32(x); } \
    EW_HD double name(double x) { return f64(x); }
EW_MATH1(m_exp, expf, exp)
EW_MATH1(m_log, logf, log)
EW_MATH1(m_log1p, log1pf, log1p)
EW_MATH1(m_expm1, expm1f, expm1)
EW_MATH1(m_sqrt, sqrtf, sqrt)
EW_MATH1(m_sin, sinf, sin)
EW_MATH1(m_cos, cosf, cos)
EW_MATH1(m_tanh, tanhf, tanh)
EW_MATH1(m_erf, erff, erf)
EW_MATH1(m_floor, floorf, floor)
EW_MATH1(m_ceil, ceilf, ceil)
EW_MATH1(m_rint, rintf, rint)
EW_MATH1(m_fabs, fabsf, fabs)
#undef EW_MATH1
EW_HD float m_pow(float x, float y) { return powf(x, y); }
EW_HD double m_pow(double x, double y) { return pow(x, y); }
EW_HD float m_atan2(float y, float x) { return atan2f(y, x); }
EW_HD double m_atan2(double y, double x) { return atan2(y, x); }
EW_HD float m_fmod(float x, float y) { return fmodf(x, y); }
EW_HD double m_fmod(double x, double y) { return fmod(x, y); }
EW_HD bool m_isnan(float x) { return x != x; }
EW_HD bool m_isnan(double x) { return x != x; }
EW_HD bool m_signbit(float x) { return signbit(x); }
EW_HD bool m_signbit(double x) { return signbit(x); }
template <class T> EW_HD T m_inf() { return (T)INFINITY; }

// Java's Math.pow: like C's pow but NaN whenever the exponent is NaN, and NaN for (+-1) ^ (+-inf) (C gives 1).
template <class T>
EW_HD T java_pow(T x, T y) {
    if (m_isnan(y)) return y;
    if (y == (T)0) return (T)1;
    if (m_fabs(x) == (T)1 && m_fabs(y) == m_inf<T>()) return y - y;  // inf - inf: NaN
    return m_pow(x, y);
}

// Java's Math.min / Math.max: NaN if either is NaN; -0.0 < +0.0.
template <class T>
EW_HD T java_min(T a, T b) {
    if (m_isnan(a)) return a;
    if (m_isnan(b)) return b;
    if (a == b) return m_signbit(a) ? a : b;
    return a < b ? a : b;
}
template <class T>
EW_HD T java_max(T a, T b) {
    if (m_isnan(a)) return a;
    if (m_isnan(b)) return b;
    if (a == b) return m_signbit(a) ? b : a;
    return a > b ? a : b;
}

// Java's (long) cast of a floating value: NaN -> 0, saturating at the int64 range.
template <class T>
EW_HD long long java_to_long(T v) {
    if (m_isnan(v)) return 0;
    if (v >= (T)9223372036854775807.0) return 9223372036854775807LL;
    if (v <= (T)-9223372036854775808.0) return (-9223372036854775807LL - 1);
    return (long long)v;
}

// Two's complement (wrapping) int64 arithmetic without C++ signed-overflow UB.
typedef unsigned long long u64_t;
EW_HD long long wrap_add(long long a, long long b) { return (long long)((u64_t)a + (u64_t)b); }
EW_HD long long wrap_sub(long long a, long long b) { return (long long)((u64_t)a - (u64_t)b); }
EW_HD long long wrap_mul(long long a, long long b) { return (long long)((u64_t)a * (u64_t)b); }
EW_HD long long wrap_neg(long long a) { return (long long)(0ULL - (unsigned long long)a); }

// Warp shuffles of any 4-byte-multiple struct (accumulators), word by word. All 32 lanes must call them.
template <class A>
__device__ __forceinline__ A shfl_down_any(const A& a, int delta) {
    static_assert(sizeof(A) % 4 == 0, "shuffled types must be a multiple of 4 bytes");
    union U { A a; int w[sizeof(A) / 4]; };
    U u;
    u.a = a;
#pragma unroll
    for (int k = 0; k < (int)(sizeof(A) / 4); ++k) u.w[k] = __shfl_down_sync(0xffffffffu, u.w[k], delta);
    return u.a;
}
template <class A>
__device__ __forceinline__ A shfl_xor_any(const A& a, int mask) {
    static_assert(sizeof(A) % 4 == 0, "shuffled types must be a multiple of 4 bytes");
    union U { A a; int w[sizeof(A) / 4]; };
    U u;
    u.a = a;
#pragma unroll
    for (int k = 0; k < (int)(sizeof(A) / 4); ++k) u.w[k] = __shfl_xor_sync(0xffffffffu, u.w[k], mask);
    return u.a;
}
