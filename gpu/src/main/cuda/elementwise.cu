// Elementwise kernels: copy with dtype conversion, fill, unary ops, binary ops, where, relu backward.
// Semantics are the CPU backend's (tensor/.../cpu/CpuCopy, CpuUnary, CpuBinary, MathFns), Java casts included.
//
// Every kernel takes the element count n, a layout `mode` (elementwise.cuh: EW_STRIDED, EW_LINEAR, EW_VEC plus
// EW_SCALAR bits) and a Geo table (used only in EW_STRIDED) of the operands' strides over the coalesced shape, output
// first. Outputs may alias inputs elementwise (in place): each element is read and written by one thread, so no
// pointer is __restrict__. Names: copy_<src>_<dst>, fill_<t>, unary_<op>_<t>, binary_<op>_<t>, where_<t>,
// relu_backward_<t>, with t in f32, f64, i64, b8 (bool as one byte, 0 or 1).
#include "elementwise.cuh"

typedef unsigned char b8;
typedef long long i64;

#define EW_TID ((unsigned)blockIdx.x * blockDim.x + threadIdx.x)
#define EW_GS ((unsigned)gridDim.x * blockDim.x)

// ------------------------------------------------------------------------------------------------- runners
// out = f() (no inputs)
template <class To, class F>
__device__ __forceinline__ void run0(To* out, int n, int mode, const Geo<1>& g, const F& f) {
    const unsigned tid = EW_TID, gs = EW_GS, un = (unsigned)n;
    int lay = mode & 3;
    if (lay == EW_VEC) {
        unsigned nv = un / EW_VEC_N;
        Vec4<To>* ov = reinterpret_cast<Vec4<To>*>(out);
        for (unsigned v = tid; v < nv; v += gs) {
            Vec4<To> r;
#pragma unroll
            for (int j = 0; j < EW_VEC_N; ++j) r.v[j] = f();
            ov[v] = r;
        }
        for (unsigned i = nv * EW_VEC_N + tid; i < un; i += gs) out[i] = f();
    } else if (lay == EW_LINEAR) {
        for (unsigned i = tid; i < un; i += gs) out[i] = f();
    } else {
        for (unsigned i = tid; i < un; i += gs) {
            int off[1];
            geo_offsets(i, g, off);
            out[off[0]] = f();
        }
    }
}

// out = f(x)
template <class To, class Ta, class F>
__device__ __forceinline__ void run1(To* out, const Ta* x, int n, int mode, const Geo<2>& g, const F& f) {
    const unsigned tid = EW_TID, gs = EW_GS, un = (unsigned)n;
    int lay = mode & 3;
    if (lay == EW_VEC || lay == EW_LINEAR) {
        const unsigned sx = (mode & EW_SCALAR(0)) ? 0u : 1u;
        unsigned start = 0;
        if (lay == EW_VEC) {
            unsigned nv = un / EW_VEC_N;
            Vec4<To>* ov = reinterpret_cast<Vec4<To>*>(out);
            const Vec4<Ta>* xv = reinterpret_cast<const Vec4<Ta>*>(x);
            for (unsigned v = tid; v < nv; v += gs) {
                Vec4<Ta> a;
                if (sx) {
                    a = xv[v];
                } else {
#pragma unroll
                    for (int j = 0; j < EW_VEC_N; ++j) a.v[j] = x[0];
                }
                Vec4<To> r;
#pragma unroll
                for (int j = 0; j < EW_VEC_N; ++j) r.v[j] = f(a.v[j]);
                ov[v] = r;
            }
            start = nv * EW_VEC_N;
        }
        for (unsigned i = start + tid; i < un; i += gs) out[i] = f(x[i * sx]);
    } else {
        for (unsigned i = tid; i < un; i += gs) {
            int off[2];
            geo_offsets(i, g, off);
            out[off[0]] = f(x[off[1]]);
        }
    }
}

// out = f(x, y)
template <class To, class Ta, class Tb, class F>
__device__ __forceinline__ void run2(To* out, const Ta* x, const Tb* y, int n, int mode, const Geo<3>& g,
                                     const F& f) {
    const unsigned tid = EW_TID, gs = EW_GS, un = (unsigned)n;
    int lay = mode & 3;
    if (lay == EW_VEC || lay == EW_LINEAR) {
        const unsigned sx = (mode & EW_SCALAR(0)) ? 0u : 1u;
        const unsigned sy = (mode & EW_SCALAR(1)) ? 0u : 1u;
        unsigned start = 0;
        if (lay == EW_VEC) {
            unsigned nv = un / EW_VEC_N;
            Vec4<To>* ov = reinterpret_cast<Vec4<To>*>(out);
            const Vec4<Ta>* xv = reinterpret_cast<const Vec4<Ta>*>(x);
            const Vec4<Tb>* yv = reinterpret_cast<const Vec4<Tb>*>(y);
            for (unsigned v = tid; v < nv; v += gs) {
                Vec4<Ta> a;
                Vec4<Tb> b;
                if (sx) {
                    a = xv[v];
                } else {
#pragma unroll
                    for (int j = 0; j < EW_VEC_N; ++j) a.v[j] = x[0];
                }
                if (sy) {
                    b = yv[v];
                } else {
#pragma unroll
                    for (int j = 0; j < EW_VEC_N; ++j) b.v[j] = y[0];
                }
                Vec4<To> r;
#pragma unroll
                for (int j = 0; j < EW_VEC_N; ++j) r.v[j] = f(a.v[j], b.v[j]);
                ov[v] = r;
            }
            start = nv * EW_VEC_N;
        }
        for (unsigned i = start + tid; i < un; i += gs) out[i] = f(x[i * sx], y[i * sy]);
    } else {
        for (unsigned i = tid; i < un; i += gs) {
            int off[3];
            geo_offsets(i, g, off);
            out[off[0]] = f(x[off[1]], y[off[2]]);
        }
    }
}

// out = f(c, x, y)
template <class To, class Tc, class Ta, class Tb, class F>
__device__ __forceinline__ void run3(To* out, const Tc* c, const Ta* x, const Tb* y, int n, int mode,
                                     const Geo<4>& g, const F& f) {
    const unsigned tid = EW_TID, gs = EW_GS, un = (unsigned)n;
    int lay = mode & 3;
    if (lay == EW_VEC || lay == EW_LINEAR) {
        const unsigned sc = (mode & EW_SCALAR(0)) ? 0u : 1u;
        const unsigned sx = (mode & EW_SCALAR(1)) ? 0u : 1u;
        const unsigned sy = (mode & EW_SCALAR(2)) ? 0u : 1u;
        unsigned start = 0;
        if (lay == EW_VEC) {
            unsigned nv = un / EW_VEC_N;
            Vec4<To>* ov = reinterpret_cast<Vec4<To>*>(out);
            for (unsigned v = tid; v < nv; v += gs) {
                Vec4<Tc> cc;
                Vec4<Ta> a;
                Vec4<Tb> b;
                if (sc) {
                    cc = reinterpret_cast<const Vec4<Tc>*>(c)[v];
                } else {
#pragma unroll
                    for (int j = 0; j < EW_VEC_N; ++j) cc.v[j] = c[0];
                }
                if (sx) {
                    a = reinterpret_cast<const Vec4<Ta>*>(x)[v];
                } else {
#pragma unroll
                    for (int j = 0; j < EW_VEC_N; ++j) a.v[j] = x[0];
                }
                if (sy) {
                    b = reinterpret_cast<const Vec4<Tb>*>(y)[v];
                } else {
#pragma unroll
                    for (int j = 0; j < EW_VEC_N; ++j) b.v[j] = y[0];
                }
                Vec4<To> r;
#pragma unroll
                for (int j = 0; j < EW_VEC_N; ++j) r.v[j] = f(cc.v[j], a.v[j], b.v[j]);
                ov[v] = r;
            }
            start = nv * EW_VEC_N;
        }
        for (unsigned i = start + tid; i < un; i += gs) out[i] = f(c[i * sc], x[i * sx], y[i * sy]);
    } else {
        for (unsigned i = tid; i < un; i += gs) {
            int off[4];
            geo_offsets(i, g, off);
            out[off[0]] = f(c[off[1]], x[off[2]], y[off[3]]);
        }
    }
}

// ------------------------------------------------------------------------------------------------ conversions
// Java casts: to bool is `!= 0` (NaN is true), from bool 0/1, floating to int64 saturating with NaN -> 0.
template <class D, class S> struct Conv;
template <class S> struct Conv<float, S> { EW_HD float operator()(S v) const { return (float)v; } };
template <class S> struct Conv<double, S> { EW_HD double operator()(S v) const { return (double)v; } };
template <> struct Conv<float, b8> { EW_HD float operator()(b8 v) const { return v ? 1.0f : 0.0f; } };
template <> struct Conv<double, b8> { EW_HD double operator()(b8 v) const { return v ? 1.0 : 0.0; } };
template <> struct Conv<i64, float> { EW_HD i64 operator()(float v) const { return java_to_long(v); } };
template <> struct Conv<i64, double> { EW_HD i64 operator()(double v) const { return java_to_long(v); } };
template <> struct Conv<i64, i64> { EW_HD i64 operator()(i64 v) const { return v; } };
template <> struct Conv<i64, b8> { EW_HD i64 operator()(b8 v) const { return v ? 1 : 0; } };
template <class S> struct Conv<b8, S> { EW_HD b8 operator()(S v) const { return v != (S)0 ? 1 : 0; } };

#define COPY_KERNEL(SN, ST, DN, DT) \
    extern "C" __global__ void copy_##SN##_##DN(DT* out, const ST* x, int n, int mode, Geo<2> g) { \
        run1(out, x, n, mode, g, Conv<DT, ST>()); \
    }
#define COPY_FROM(SN, ST) \
    COPY_KERNEL(SN, ST, f32, float) COPY_KERNEL(SN, ST, f64, double) COPY_KERNEL(SN, ST, i64, i64) \
    COPY_KERNEL(SN, ST, b8, b8)
COPY_FROM(f32, float)
COPY_FROM(f64, double)
COPY_FROM(i64, i64)
COPY_FROM(b8, b8)

// fill: the value arrives already converted by the host (Java casts): float, double, int64, or int 0/1 for bool.
template <class T> struct Const { T v; EW_HD T operator()() const { return v; } };
#define FILL_KERNEL(N, T, P) \
    extern "C" __global__ void fill_##N(T* out, int n, P value, int mode, Geo<1> g) { \
        run0(out, n, mode, g, Const<T>{(T)value}); \
    }
FILL_KERNEL(f32, float, float)
FILL_KERNEL(f64, double, double)
FILL_KERNEL(i64, i64, i64)
FILL_KERNEL(b8, b8, int)

// ------------------------------------------------------------------------------------------------ unary ops
// Floating ops: T is float or double; a, b are the op's parameters. float32 is computed in float (like PyTorch;
// the CPU computes most float32 ops in double and rounds: results agree to a few ulp).
#define UF(NAME, EXPR) \
    template <class T> struct U_##NAME { \
        T a, b; \
        EW_HD T operator()(T v) const { return EXPR; } \
    };
template <class T> EW_HD T sigmoid_of(T v) {
    if (v >= (T)0) return (T)1 / ((T)1 + m_exp(-v));
    T e = m_exp(v);
    return e / ((T)1 + e);
}
UF(neg, -v)
UF(abs, m_fabs(v))
UF(sign, v > (T)0 ? (T)1 : (v < (T)0 ? (T)-1 : v))
UF(relu, v > (T)0 ? v : (m_isnan(v) ? v : (T)0))
UF(square, v * v)
UF(floor, m_floor(v))
UF(ceil, m_ceil(v))
UF(round, m_rint(v))
UF(exp, m_exp(v))
UF(log, m_log(v))
UF(log1p, m_log1p(v))
UF(expm1, m_expm1(v))
UF(sqrt, m_sqrt(v))
UF(rsqrt, (T)1 / m_sqrt(v))
UF(reciprocal, (T)1 / v)
UF(sin, m_sin(v))
UF(cos, m_cos(v))
UF(tanh, m_tanh(v))
UF(sigmoid, sigmoid_of(v))
UF(gelu, (T)0.5 * v * ((T)1 + m_erf(v * (T)0.7071067811865476)))
UF(gelu_tanh, (T)0.5 * v * ((T)1 + m_tanh((T)0.7978845608028654 * (v + (T)0.044715 * v * v * v))))
UF(silu, v * sigmoid_of(v))
UF(erf, m_erf(v))
UF(leaky_relu, v > (T)0 ? v : a * v)
UF(elu, v > (T)0 ? v : a * m_expm1(v))
UF(pow_scalar, a == (T)2 ? v * v : java_pow(v, a))
UF(rpow_scalar, java_pow(a, v))
// a NaN bound means no bound (the host passes NaN through; compare with NaN is false)
UF(clamp, v < a ? a : (v > b ? b : v))
#undef UF
template <class T> struct U_isnan { T a, b; EW_HD b8 operator()(T v) const { return m_isnan(v) ? 1 : 0; } };
template <class T> struct U_isfinite {
    T a, b;
    EW_HD b8 operator()(T v) const { return (!m_isnan(v) && m_fabs(v) != m_inf<T>()) ? 1 : 0; }
};

#define UNARY_KERNEL_T(OP, SFX, T, TO) \
    extern "C" __global__ void unary_##OP##_##SFX(TO* out, const T* x, int n, double a, double b, int mode, \
                                                  Geo<2> g) { \
        run1(out, x, n, mode, g, U_##OP<T>{(T)a, (T)b}); \
    }
#define UNARY_F(OP) UNARY_KERNEL_T(OP, f32, float, float) UNARY_KERNEL_T(OP, f64, double, double)
UNARY_F(neg) UNARY_F(abs) UNARY_F(sign) UNARY_F(relu) UNARY_F(square) UNARY_F(clamp)
UNARY_F(floor) UNARY_F(ceil) UNARY_F(round)
UNARY_F(exp) UNARY_F(log) UNARY_F(log1p) UNARY_F(expm1) UNARY_F(sqrt) UNARY_F(rsqrt) UNARY_F(reciprocal)
UNARY_F(sin) UNARY_F(cos) UNARY_F(tanh) UNARY_F(sigmoid)
UNARY_F(gelu) UNARY_F(gelu_tanh) UNARY_F(silu) UNARY_F(erf)
UNARY_F(leaky_relu) UNARY_F(elu) UNARY_F(pow_scalar) UNARY_F(rpow_scalar)
UNARY_KERNEL_T(isnan, f32, float, b8) UNARY_KERNEL_T(isnan, f64, double, b8)
UNARY_KERNEL_T(isfinite, f32, float, b8) UNARY_KERNEL_T(isfinite, f64, double, b8)

// int64 ops (wrapping like Java's long); clamp's bounds arrive as int64 (Java's saturating cast, NaN -> no bound
// already resolved by the host to Long.MIN_VALUE / MAX_VALUE).
struct I_neg { i64 a, b; EW_HD i64 operator()(i64 v) const { return wrap_neg(v); } };
struct I_abs { i64 a, b; EW_HD i64 operator()(i64 v) const { return v < 0 ? wrap_neg(v) : v; } };
struct I_sign { i64 a, b; EW_HD i64 operator()(i64 v) const { return v > 0 ? 1 : (v < 0 ? -1 : 0); } };
struct I_relu { i64 a, b; EW_HD i64 operator()(i64 v) const { return v > 0 ? v : 0; } };
struct I_square { i64 a, b; EW_HD i64 operator()(i64 v) const { return wrap_mul(v, v); } };
struct I_clamp { i64 a, b; EW_HD i64 operator()(i64 v) const { return v < a ? a : (v > b ? b : v); } };
#define UNARY_I(OP) \
    extern "C" __global__ void unary_##OP##_i64(i64* out, const i64* x, int n, i64 a, i64 b, int mode, Geo<2> g) { \
        run1(out, x, n, mode, g, I_##OP{a, b}); \
    }
UNARY_I(neg) UNARY_I(abs) UNARY_I(sign) UNARY_I(relu) UNARY_I(square) UNARY_I(clamp)

struct B_not { EW_HD b8 operator()(b8 v) const { return v ? 0 : 1; } };
extern "C" __global__ void unary_logical_not_b8(b8* out, const b8* x, int n, double a, double b, int mode, Geo<2> g) {
    run1(out, x, n, mode, g, B_not());
}

// ------------------------------------------------------------------------------------------------ binary ops
template <class T> EW_HD T py_remainder(T p, T q) {
    T r = m_fmod(p, q);  // Java's % on floating values is C's fmod (exact)
    return (r != (T)0 && ((r < (T)0) != (q < (T)0))) ? r + q : r;
}
#define BF(NAME, EXPR) \
    template <class T> struct F_##NAME { EW_HD T operator()(T p, T q) const { return EXPR; } };
BF(add, p + q)
BF(sub, p - q)
BF(mul, p * q)
BF(div, p / q)
BF(pow, java_pow(p, q))
BF(minimum, java_min(p, q))
BF(maximum, java_max(p, q))
BF(remainder, py_remainder(p, q))
BF(atan2, m_atan2(p, q))
#undef BF
// Predicates on any type (bool compared as 0/1, like the CPU).
#define BP(NAME, EXPR) \
    template <class T> struct P_##NAME { EW_HD b8 operator()(T p, T q) const { return (EXPR) ? 1 : 0; } };
BP(eq, p == q)
BP(ne, p != q)
BP(lt, p < q)
BP(le, p <= q)
BP(gt, p > q)
BP(ge, p >= q)
BP(logical_and, p != (T)0 && q != (T)0)
BP(logical_or, p != (T)0 || q != (T)0)
BP(logical_xor, (p != (T)0) != (q != (T)0))
#undef BP

// int64 arithmetic, wrapping. Java throws for remainder by zero and for negative powers; a kernel cannot throw
// without a device sync, so here remainder by zero gives 0 and x ^ negative gives the truncated value
// (1 for x = 1, +-1 for x = -1, else 0), as PyTorch's CUDA kernels do.
EW_HD i64 floor_mod(i64 p, i64 q) {
    if (q == 0 || q == -1) return 0;  // -1: avoids INT64_MIN % -1 overflow; floorMod(x, -1) is 0
    i64 r = p % q;
    return (r != 0 && ((r < 0) != (q < 0))) ? r + q : r;
}
EW_HD i64 int_pow(i64 base, i64 e) {
    if (e < 0) return base == 1 ? 1 : (base == -1 ? ((e & 1) ? -1 : 1) : 0);
    i64 r = 1;
    while (e > 0) {
        if (e & 1) r = wrap_mul(r, base);
        base = wrap_mul(base, base);
        e >>= 1;
    }
    return r;
}
struct L_add { EW_HD i64 operator()(i64 p, i64 q) const { return wrap_add(p, q); } };
struct L_sub { EW_HD i64 operator()(i64 p, i64 q) const { return wrap_sub(p, q); } };
struct L_mul { EW_HD i64 operator()(i64 p, i64 q) const { return wrap_mul(p, q); } };
struct L_minimum { EW_HD i64 operator()(i64 p, i64 q) const { return p < q ? p : q; } };
struct L_maximum { EW_HD i64 operator()(i64 p, i64 q) const { return p > q ? p : q; } };
struct L_pow { EW_HD i64 operator()(i64 p, i64 q) const { return int_pow(p, q); } };
struct L_remainder { EW_HD i64 operator()(i64 p, i64 q) const { return floor_mod(p, q); } };

#define BINARY_KERNEL(OP, SFX, T, TO, FUNCTOR) \
    extern "C" __global__ void binary_##OP##_##SFX(TO* out, const T* x, const T* y, int n, int mode, Geo<3> g) { \
        run2(out, x, y, n, mode, g, FUNCTOR()); \
    }
#define BINARY_F(OP) \
    BINARY_KERNEL(OP, f32, float, float, F_##OP<float>) BINARY_KERNEL(OP, f64, double, double, F_##OP<double>)
#define BINARY_P(OP) \
    BINARY_KERNEL(OP, f32, float, b8, P_##OP<float>) BINARY_KERNEL(OP, f64, double, b8, P_##OP<double>) \
    BINARY_KERNEL(OP, i64, i64, b8, P_##OP<i64>) BINARY_KERNEL(OP, b8, b8, b8, P_##OP<int>)
#define BINARY_L(OP) BINARY_KERNEL(OP, i64, i64, i64, L_##OP)
BINARY_F(add) BINARY_F(sub) BINARY_F(mul) BINARY_F(div) BINARY_F(pow) BINARY_F(minimum) BINARY_F(maximum)
BINARY_F(remainder) BINARY_F(atan2)
BINARY_L(add) BINARY_L(sub) BINARY_L(mul) BINARY_L(minimum) BINARY_L(maximum) BINARY_L(pow) BINARY_L(remainder)
BINARY_P(eq) BINARY_P(ne) BINARY_P(lt) BINARY_P(le) BINARY_P(gt) BINARY_P(ge)
BINARY_P(logical_and) BINARY_P(logical_or) BINARY_P(logical_xor)

// ------------------------------------------------------------------------------------------ where, relu backward
template <class T> struct Where { EW_HD T operator()(b8 c, T a, T b) const { return c ? a : b; } };
#define WHERE_KERNEL(SFX, T) \
    extern "C" __global__ void where_##SFX(T* out, const b8* c, const T* x, const T* y, int n, int mode, Geo<4> g) { \
        run3(out, c, x, y, n, mode, g, Where<T>()); \
    }
WHERE_KERNEL(f32, float) WHERE_KERNEL(f64, double) WHERE_KERNEL(i64, i64) WHERE_KERNEL(b8, b8)

// out = output > 0 ? gradOut : 0 (NaN output gives 0, like the CPU's mask)
template <class T> struct ReluBack { EW_HD T operator()(T g, T y) const { return y > (T)0 ? g : (T)0; } };
#define RELU_BACKWARD_KERNEL(SFX, T) \
    extern "C" __global__ void relu_backward_##SFX(T* out, const T* grad, const T* y, int n, int mode, Geo<3> g) { \
        run2(out, grad, y, n, mode, g, ReluBack<T>()); \
    }
RELU_BACKWARD_KERNEL(f32, float) RELU_BACKWARD_KERNEL(f64, double) RELU_BACKWARD_KERNEL(i64, i64)
RELU_BACKWARD_KERNEL(b8, b8)
