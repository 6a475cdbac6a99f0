// Fused optimizer updates, one launch per parameter: SGD (momentum, Nesterov, weight decay, maximize) and
// Adam/AdamW (amsgrad). Launchers: gpu/src/main/java/io/ember/gpu/CudaOptim.java.
//
// Each element follows exactly the float operations, in the same order, of the CPU's fused loops
// (autograd/src/main/java/io/ember/optim/Fused.java). Java rounds every float operation and never contracts a*b+c
// into a fused multiply-add, while nvcc contracts by default; so every operation here is an explicitly rounded
// intrinsic (__fmul_rn, __fadd_rn, __fsub_rn, __fdiv_rn, __fsqrt_rn), which nvcc never contracts. Java's
// (float) Math.sqrt(float) is the correctly rounded float square root (double has more than 2 * 24 + 2 bits), i.e.
// __fsqrt_rn. So the GPU result is bit-identical to the CPU's.
#include "common.cuh"

// Java's Math.max(float, float): NaN if either is NaN, +0 over -0.
__device__ __forceinline__ float java_maxf(float a, float b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0f && b == 0.0f) return signbit(a) ? b : a;
    return a >= b ? a : b;
}

struct SgdArgs {
    float negLr;
    float wd;
    float momentum;
    float keep; // 1 - dampening
    float sign; // -1 when maximizing
    int first;
    int nesterov;
};

// One element of SGD; buf (momentum buffer) is read/written through mb when hasBuf.
__device__ __forceinline__ float sgd_one(float pi, float gi, float* mb, bool hasBuf, const SgdArgs& a) {
    float d = __fmul_rn(a.sign, gi);
    if (a.wd != 0.0f) {
        d = __fadd_rn(d, __fmul_rn(a.wd, pi));
    }
    if (!hasBuf) {
        return __fadd_rn(pi, __fmul_rn(a.negLr, d));
    }
    float m = a.first ? d : __fadd_rn(__fmul_rn(*mb, a.momentum), __fmul_rn(a.keep, d));
    *mb = m;
    float u = a.nesterov ? __fadd_rn(d, __fmul_rn(a.momentum, m)) : m;
    return __fadd_rn(pi, __fmul_rn(a.negLr, u));
}

// p, g (and buf, may be 0) of n floats. vec: every pointer is 16-byte aligned, so the first n/4*4 elements go as
// float4 and the rest one by one.
extern "C" __global__ void sgd_f32(float* p, const float* g, float* buf, int n, int vec, float negLr, float wd,
        float momentum, float keep, float sign, int first, int nesterov) {
    SgdArgs a = {negLr, wd, momentum, keep, sign, first, nesterov};
    const bool hasBuf = buf != nullptr;
    int done = 0;
    if (vec) {
        int n4 = n >> 2;
        float4* p4 = reinterpret_cast<float4*>(p);
        const float4* g4 = reinterpret_cast<const float4*>(g);
        float4* b4 = reinterpret_cast<float4*>(buf);
        EMBER_LOOP(i, n4) {
            float4 pv = p4[i];
            float4 gv = g4[i];
            float4 bv = hasBuf ? b4[i] : make_float4(0.f, 0.f, 0.f, 0.f);
            pv.x = sgd_one(pv.x, gv.x, &bv.x, hasBuf, a);
            pv.y = sgd_one(pv.y, gv.y, &bv.y, hasBuf, a);
            pv.z = sgd_one(pv.z, gv.z, &bv.z, hasBuf, a);
            pv.w = sgd_one(pv.w, gv.w, &bv.w, hasBuf, a);
            if (hasBuf) {
                b4[i] = bv;
            }
            p4[i] = pv;
        }
        done = n4 << 2;
    }
    for (long long i = done + (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
            i += (long long)blockDim.x * gridDim.x) {
        p[i] = sgd_one(p[i], g[i], hasBuf ? buf + i : nullptr, hasBuf, a);
    }
}

struct AdamArgs {
    float decay; // 1 - lr * wd (AdamW), else 1
    float l2;    // wd (Adam), else 0
    float sign;  // -1 when maximizing
    float w1;    // 1 - beta1
    float beta2;
    float w2;    // 1 - beta2
    float negStep; // -lr / (1 - beta1^t)
    float bc2Sqrt; // sqrt(1 - beta2^t)
    float eps;
};

// One element of Adam; returns the new p, updates *m, *v and (amsgrad) *vmax.
__device__ __forceinline__ float adam_one(float pi, float g, float* m, float* v, float* vmax, bool ams,
        const AdamArgs& a) {
    if (a.decay != 1.0f) {
        pi = __fmul_rn(pi, a.decay);
    }
    float gi = __fmul_rn(a.sign, g);
    if (a.l2 != 0.0f) {
        gi = __fadd_rn(gi, __fmul_rn(a.l2, pi));
    }
    float mi = *m;
    mi = __fadd_rn(mi, __fmul_rn(a.w1, __fsub_rn(gi, mi)));
    float vi = __fadd_rn(__fmul_rn(*v, a.beta2), __fmul_rn(__fmul_rn(a.w2, gi), gi));
    float si = vi;
    if (ams) {
        si = java_maxf(*vmax, vi);
        *vmax = si;
    }
    *m = mi;
    *v = vi;
    float denom = __fadd_rn(__fdiv_rn(__fsqrt_rn(si), a.bc2Sqrt), a.eps);
    return __fadd_rn(pi, __fmul_rn(a.negStep, __fdiv_rn(mi, denom)));
}

// p, g, m, v (and vmax, may be 0) of n floats; vec as in sgd_f32.
extern "C" __global__ void adam_f32(float* p, const float* g, float* m, float* v, float* vmax, int n, int vec,
        float decay, float l2, float sign, float w1, float beta2, float w2, float negStep, float bc2Sqrt,
        float eps) {
    AdamArgs a = {decay, l2, sign, w1, beta2, w2, negStep, bc2Sqrt, eps};
    const bool ams = vmax != nullptr;
    int done = 0;
    if (vec) {
        int n4 = n >> 2;
        float4* p4 = reinterpret_cast<float4*>(p);
        const float4* g4 = reinterpret_cast<const float4*>(g);
        float4* m4 = reinterpret_cast<float4*>(m);
        float4* v4 = reinterpret_cast<float4*>(v);
        float4* x4 = reinterpret_cast<float4*>(vmax);
        EMBER_LOOP(i, n4) {
            float4 pv = p4[i];
            float4 gv = g4[i];
            float4 mv = m4[i];
            float4 vv = v4[i];
            float4 xv = ams ? x4[i] : make_float4(0.f, 0.f, 0.f, 0.f);
            pv.x = adam_one(pv.x, gv.x, &mv.x, &vv.x, &xv.x, ams, a);
            pv.y = adam_one(pv.y, gv.y, &mv.y, &vv.y, &xv.y, ams, a);
            pv.z = adam_one(pv.z, gv.z, &mv.z, &vv.z, &xv.z, ams, a);
            pv.w = adam_one(pv.w, gv.w, &mv.w, &vv.w, &xv.w, ams, a);
            m4[i] = mv;
            v4[i] = vv;
            if (ams) {
                x4[i] = xv;
            }
            p4[i] = pv;
        }
        done = n4 << 2;
    }
    for (long long i = done + (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n;
            i += (long long)blockDim.x * gridDim.x) {
        p[i] = adam_one(p[i], g[i], m + i, v + i, ams ? vmax + i : nullptr, ams, a);
    }
}
