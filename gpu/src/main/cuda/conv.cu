// 2-D convolution helpers (module conv); the products themselves run on the gemm kernels. Layouts: input and
// gradInput [N, C, H, W], gradOut [N, O, oH, oW], all contiguous. A column matrix holds, for image n, group g and
// row r = (ci * kH + ki) * kW + kj (ci the channel within the group), the input value each output position
// l = oy * oW + ox sees through tap (ki, kj), or 0 in the padding; element (n, g, r, l) is at
// n * dn + g * dg + r * dr + l, so that one kernel writes the per-image layout of the forward pass and backward
// input ([n][g][r][l]) and the batch-wide layout of backward weight ([g][r][n][l]).
#include "common.cuh"

// Geometry, passed by value; the Java side (CudaConv.geo) writes it as a long[] in this order.
struct ConvGeo {
    int64_t n, c, h, w;      // images in this launch, input channels, input size
    int64_t kh, kw, oh, ow;  // kernel and output size
    int64_t sh, sw, ph, pw, dh, dw;
    int64_t groups;
    int64_t dn, dg, dr;      // column-matrix strides (see above)
};

// cols <- columns of x. grid.y strides over the N * C * kH * kW rows (one input channel and tap each), grid.x *
// blockDim.x over the oH * oW positions of a row.
template <typename T>
__device__ __forceinline__ void im2col(const T* __restrict__ x, T* __restrict__ cols, const ConvGeo& g) {
    const int kk2 = (int)(g.kh * g.kw);
    const int ckk = (int)g.c * kk2;
    const int cg = (int)(g.c / g.groups);
    const int L = (int)(g.oh * g.ow);
    const int ow = (int)g.ow;
    const int h = (int)g.h;
    const int w = (int)g.w;
    const int64_t rows = g.n * ckk;
    for (int64_t row = blockIdx.y; row < rows; row += gridDim.y) {
        const int64_t img = row / ckk;
        const int q = (int)(row - img * ckk);  // ch * kk2 + ki * kW + kj
        const int ch = q / kk2;
        const int kq = q - ch * kk2;
        const int ki = kq / (int)g.kw;
        const int kj = kq - ki * (int)g.kw;
        const int grp = ch / cg;
        const int r = q - grp * cg * kk2;
        const T* xp = x + (img * g.c + ch) * h * w;
        T* dst = cols + img * g.dn + grp * g.dg + r * g.dr;
        const int y0 = ki * (int)g.dh - (int)g.ph;
        const int x0 = kj * (int)g.dw - (int)g.pw;
        for (int l = blockIdx.x * blockDim.x + threadIdx.x; l < L; l += gridDim.x * blockDim.x) {
            const int oy = l / ow;
            const int ox = l - oy * ow;
            const int iy = oy * (int)g.sh + y0;
            const int ix = ox * (int)g.sw + x0;
            dst[l] = iy >= 0 && iy < h && ix >= 0 && ix < w ? xp[iy * w + ix] : T(0);
        }
    }
}

// gx <- the adjoint of im2col applied to cols: each input element gathers the column entries that saw it, in tap
// order. grid.y strides over the N * C planes, grid.x * blockDim.x over the H * W positions. Overwrites gx.
template <typename T>
__device__ __forceinline__ void col2im(const T* __restrict__ cols, T* __restrict__ gx, const ConvGeo& g) {
    const int kh = (int)g.kh;
    const int kw = (int)g.kw;
    const int cg = (int)(g.c / g.groups);
    const int hw = (int)(g.h * g.w);
    const int w = (int)g.w;
    const int oh = (int)g.oh;
    const int ow = (int)g.ow;
    const int sh = (int)g.sh;
    const int sw = (int)g.sw;
    const int64_t planes = g.n * g.c;
    for (int64_t plane = blockIdx.y; plane < planes; plane += gridDim.y) {
        const int64_t img = plane / g.c;
        const int ch = (int)(plane - img * g.c);
        const int grp = ch / cg;
        const int ci = ch - grp * cg;
        const T* src = cols + img * g.dn + grp * g.dg + (int64_t)ci * kh * kw * g.dr;
        T* dst = gx + plane * hw;
        for (int pos = blockIdx.x * blockDim.x + threadIdx.x; pos < hw; pos += gridDim.x * blockDim.x) {
            const int y = pos / w;
            const int xx = pos - y * w;
            T sum = T(0);
            for (int ki = 0; ki < kh; ++ki) {
                const int ty = y + (int)g.ph - ki * (int)g.dh;
                if (ty < 0) {
                    break;  // later taps reach further up
                }
                const int oy = ty / sh;
                if (oy * sh != ty || oy >= oh) {
                    continue;
                }
                for (int kj = 0; kj < kw; ++kj) {
                    const int tx = xx + (int)g.pw - kj * (int)g.dw;
                    if (tx < 0) {
                        break;
                    }
                    const int ox = tx / sw;
                    if (ox * sw != tx || ox >= ow) {
                        continue;
                    }
                    sum += src[(int64_t)(ki * kw + kj) * g.dr + oy * ow + ox];
                }
            }
            dst[pos] = sum;
        }
    }
}

// dst[o][i * len + l] = src[i][o][l] for i < n, o < rows: gradOut [n, O, L] as [O, n * L], the A operand of
// backward weight. grid.y strides over the n * O source rows.
template <typename T>
__device__ __forceinline__ void permute_rows(const T* __restrict__ src, T* __restrict__ dst, int64_t n, int64_t rows,
        int64_t len) {
    for (int64_t sr = blockIdx.y; sr < n * rows; sr += gridDim.y) {
        const int64_t i = sr / rows;
        const int64_t o = sr - i * rows;
        const T* s = src + sr * len;
        T* d = dst + o * n * len + i * len;
        for (int64_t l = blockIdx.x * blockDim.x + threadIdx.x; l < len; l += (int64_t)gridDim.x * blockDim.x) {
            d[l] = s[l];
        }
    }
}

#define EMBER_CONV(sfx, T)                                                                                     \
    extern "C" __global__ void im2col_##sfx(const T* x, T* cols, const ConvGeo g) {                            \
        im2col<T>(x, cols, g);                                                                                 \
    }                                                                                                          \
    extern "C" __global__ void col2im_##sfx(const T* cols, T* gx, const ConvGeo g) {                           \
        col2im<T>(cols, gx, g);                                                                                \
    }                                                                                                          \
    extern "C" __global__ void permute_rows_##sfx(const T* src, T* dst, int64_t n, int64_t rows, int64_t len) { \
        permute_rows<T>(src, dst, n, rows, len);                                                               \
    }

EMBER_CONV(f32, float)
EMBER_CONV(f64, double)
