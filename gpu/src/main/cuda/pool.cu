// 2-D max and average pooling over contiguous [N, C, H, W] planes (module pool), with the CPU backend's rules
// (io.ember.tensor.cpu.CpuPool): max pooling skips out-of-bounds taps, keeps the first maximum in scan order and
// lets a NaN win (a later NaN replaces an earlier one); indices are h * W + w within the plane. Average pooling
// clips a window to the padded input for the count-include-pad divisor and to the input for the sum, sums in
// double, and gives 0 for a window entirely in the padding. One thread per output (forward) or per input element
// (average backward, a gather: every element is written, in the CPU's order of contributions).
#include "common.cuh"

// Geometry, passed by value; the Java side (CudaPool.geo) writes it as a long[] in this order.
struct PoolGeo {
    int64_t planes, h, w, oh, ow;
    int64_t kh, kw, sh, sw, ph, pw;
    int64_t dh, dw;                     // max pooling: dilation
    int64_t include_pad, divisor;       // average pooling: countIncludePad (0/1), divisorOverride (0 = none)
};

template <typename T>
__device__ __forceinline__ void max_pool(const T* __restrict__ x, T* __restrict__ out, int64_t* __restrict__ idx,
        const PoolGeo& g) {
    const int h = (int)g.h, w = (int)g.w, oh = (int)g.oh, ow = (int)g.ow;
    const int dh = (int)g.dh, dw = (int)g.dw;
    const int64_t total = g.planes * oh * ow;
    EMBER_LOOP(i, total) {
        const int64_t plane = i / ((int64_t)oh * ow);
        const int rest = (int)(i - plane * oh * ow);
        const int oy = rest / ow;
        const int ox = rest - oy * ow;
        int ih0 = oy * (int)g.sh - (int)g.ph;
        const int ih1 = min(ih0 + ((int)g.kh - 1) * dh + 1, h);
        if (ih0 < 0) {
            ih0 += (-ih0 + dh - 1) / dh * dh;
        }
        int iw0 = ox * (int)g.sw - (int)g.pw;
        const int iw1 = min(iw0 + ((int)g.kw - 1) * dw + 1, w);
        if (iw0 < 0) {
            iw0 += (-iw0 + dw - 1) / dw * dw;
        }
        const T* xp = x + plane * h * w;
        int best = ih0 * w + iw0;
        T m = -INFINITY;
        for (int iy = ih0; iy < ih1; iy += dh) {
            for (int ix = iw0; ix < iw1; ix += dw) {
                const T v = xp[iy * w + ix];
                if (v > m || v != v) {
                    m = v;
                    best = iy * w + ix;
                }
            }
        }
        out[i] = m;
        idx[i] = best;
    }
}

// gx[plane][idx[i]] += gy[i] over the n outputs (plane = i / oplane); gx was zero-filled by the caller. Atomic:
// overlapping windows may pick the same input.
template <typename T>
__device__ __forceinline__ void max_pool_backward(const T* __restrict__ gy, const int64_t* __restrict__ idx, T* gx,
        int64_t n, int64_t oplane, int64_t iplane) {
    EMBER_LOOP(i, n) {
        const int64_t k = idx[i];
        if (k >= 0 && k < iplane) {
            atomicAdd(gx + (i / oplane) * iplane + k, gy[i]);
        }
    }
}

// The window of output (oy, ox), clipped; false when it is empty.
__device__ __forceinline__ bool avg_window(int oy, int ox, const PoolGeo& g, int& ih0, int& ih1, int& iw0, int& iw1,
        int& divisor) {
    const int h = (int)g.h, w = (int)g.w;
    ih0 = oy * (int)g.sh - (int)g.ph;
    iw0 = ox * (int)g.sw - (int)g.pw;
    ih1 = min(ih0 + (int)g.kh, h + (int)g.ph);
    iw1 = min(iw0 + (int)g.kw, w + (int)g.pw);
    const int pool = (ih1 - ih0) * (iw1 - iw0);
    ih0 = max(ih0, 0);
    iw0 = max(iw0, 0);
    ih1 = min(ih1, h);
    iw1 = min(iw1, w);
    if (ih0 >= ih1 || iw0 >= iw1) {
        return false;
    }
    divisor = g.divisor != 0 ? (int)g.divisor : g.include_pad ? pool : (ih1 - ih0) * (iw1 - iw0);
    return true;
}

template <typename T>
__device__ __forceinline__ void avg_pool(const T* __restrict__ x, T* __restrict__ out, const PoolGeo& g) {
    const int h = (int)g.h, w = (int)g.w, oh = (int)g.oh, ow = (int)g.ow;
    const int64_t total = g.planes * oh * ow;
    EMBER_LOOP(i, total) {
        const int64_t plane = i / ((int64_t)oh * ow);
        const int rest = (int)(i - plane * oh * ow);
        const int oy = rest / ow;
        const int ox = rest - oy * ow;
        int ih0, ih1, iw0, iw1, divisor;
        double r = 0;
        if (avg_window(oy, ox, g, ih0, ih1, iw0, iw1, divisor)) {
            const T* xp = x + plane * h * w;
            double s = 0;
            for (int iy = ih0; iy < ih1; ++iy) {
                for (int ix = iw0; ix < iw1; ++ix) {
                    s += (double)xp[iy * w + ix];
                }
            }
            r = s / divisor;
        }
        out[i] = (T)r;
    }
}

// gx(iy, ix) = the sum, over the outputs whose window holds it (in row-major output order), of gy / divisor
// (computed in double, rounded to T, added in T, as the CPU does). Overwrites gx.
template <typename T>
__device__ __forceinline__ void avg_pool_backward(const T* __restrict__ gy, T* __restrict__ gx, const PoolGeo& g) {
    const int h = (int)g.h, w = (int)g.w, oh = (int)g.oh, ow = (int)g.ow;
    const int sh = (int)g.sh, sw = (int)g.sw, ph = (int)g.ph, pw = (int)g.pw, kh = (int)g.kh, kw = (int)g.kw;
    const int64_t total = g.planes * h * w;
    EMBER_LOOP(i, total) {
        const int64_t plane = i / ((int64_t)h * w);
        const int rest = (int)(i - plane * h * w);
        const int iy = rest / w;
        const int ix = rest - iy * w;
        // Outputs oy with oy * sh - ph <= iy < oy * sh - ph + kh.
        const int oy0 = iy + ph - kh < 0 ? 0 : (iy + ph - kh) / sh + 1;
        const int oy1 = min((iy + ph) / sh, oh - 1);
        const int ox0 = ix + pw - kw < 0 ? 0 : (ix + pw - kw) / sw + 1;
        const int ox1 = min((ix + pw) / sw, ow - 1);
        const T* gp = gy + plane * oh * ow;
        T sum = T(0);
        for (int oy = oy0; oy <= oy1; ++oy) {
            for (int ox = ox0; ox <= ox1; ++ox) {
                int ih0, ih1, iw0, iw1, divisor;
                if (avg_window(oy, ox, g, ih0, ih1, iw0, iw1, divisor)) {
                    sum += (T)((double)gp[oy * ow + ox] / divisor);
                }
            }
        }
        gx[i] = sum;
    }
}

#define EMBER_POOL(sfx, T)                                                                                     \
    extern "C" __global__ void max_pool2d_##sfx(const T* x, T* out, int64_t* idx, const PoolGeo g) {           \
        max_pool<T>(x, out, idx, g);                                                                           \
    }                                                                                                          \
    extern "C" __global__ void max_pool2d_backward_##sfx(const T* gy, const int64_t* idx, T* gx, int64_t n,    \
            int64_t oplane, int64_t iplane) {                                                                  \
        max_pool_backward<T>(gy, idx, gx, n, oplane, iplane);                                                  \
    }                                                                                                          \
    extern "C" __global__ void avg_pool2d_##sfx(const T* x, T* out, const PoolGeo g) {                         \
        avg_pool<T>(x, out, g);                                                                                \
    }                                                                                                          \
    extern "C" __global__ void avg_pool2d_backward_##sfx(const T* gy, T* gx, const PoolGeo g) {                \
        avg_pool_backward<T>(gy, gx, g);                                                                       \
    }

EMBER_POOL(f32, float)
EMBER_POOL(f64, double)
