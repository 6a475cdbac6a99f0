package io.ember.gpu;

import io.ember.gpu.cuda.Kernel;
import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * 2-D convolution forward and backward (module {@code conv} for the column matrices, {@link CudaGemm} for the
 * products), batched over as many images as fit a column budget:
 * <ul>
 *   <li>forward: im2col into [n][g][kk][L], then one product per (image, group):
 *       out_{n,g} [og, L] = W_g [og, kk] x cols_{n,g} [kk, L], with the bias added as it is stored;</li>
 *   <li>backward input: cols_{n,g} = W_g^T x gradOut_{n,g} (W read transposed in place), then col2im, a gather
 *       that writes each input element once;</li>
 *   <li>backward weight: im2col into [g][kk][n L] and gradOut as [O][n L], then one product per group with K = n L
 *       (split along K when the weight is small), accumulated over chunks of images.</li>
 * </ul>
 * A 1x1 kernel with stride 1 and no padding reads the input (and writes gradInput) directly as its column matrix.
 * Here kk = C/groups * kH * kW and L = oH * oW.
 */
final class CudaConv {
    /** The most elements the column matrices of one chunk of images may take (at least one image per chunk). */
    static final long COLS_BUDGET = 1L << 25;
    static final int THREADS = 256;
    static final int MAX_GRID_X = 1024;

    /** The geometry of one call (params = {strideH, strideW, padH, padW, dilH, dilW, groups}). */
    record Geo(int n, int c, int h, int w, int o, int kh, int kw, int oh, int ow, int sh, int sw, int ph, int pw,
            int dh, int dw, int groups) {
        static Geo of(int[] in, int[] wt, int[] out, int[] p) {
            return new Geo(in[0], in[1], in[2], in[3], wt[0], wt[2], wt[3], out[2], out[3], p[0], p[1], p[2], p[3],
                    p[4], p[5], p[6]);
        }

        int cg() {
            return c / groups;
        }

        int og() {
            return o / groups;
        }

        long kk() {
            return (long) cg() * kh * kw;
        }

        long l() {
            return (long) oh * ow;
        }

        /** Whether the column matrix of an image is the image itself. */
        boolean identity() {
            return kh == 1 && kw == 1 && sh == 1 && sw == 1 && ph == 0 && pw == 0;
        }

        /**
         * The {@code ConvGeo} struct of conv.cu for {@code images} images whose column entry (image, group, row,
         * position) is at {@code image * dn + group * dg + row * dr + position}.
         */
        long[] pack(long images, long dn, long dg, long dr) {
            return new long[] {images, c, h, w, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups, dn, dg, dr};
        }
    }

    /** The fields of {@code ConvGeo} in conv.cu, in order ({@link Geo#pack}). */
    static final List<String> GEO_FIELDS = List.of("n", "c", "h", "w", "kh", "kw", "oh", "ow", "sh", "sw", "ph", "pw",
            "dh", "dw", "groups", "dn", "dg", "dr");

    private CudaConv() {
    }

    /** Images per chunk when each image needs {@code perImage} scratch elements: at least 1, at most n. */
    static int chunk(long perImage, int n) {
        return (int) Math.max(1, Math.min(n, COLS_BUDGET / Math.max(1, perImage)));
    }

    static List<String> kernelNames() {
        List<String> names = new ArrayList<>();
        for (String s : new String[] {"f32", "f64"}) {
            names.add("im2col_" + s);
            names.add("col2im_" + s);
            names.add("permute_rows_" + s);
        }
        return names;
    }

    private static int gridX(long len) {
        return (int) Math.min(Kernels.blocks(len, THREADS), MAX_GRID_X);
    }

    private static int gridY(long rows) {
        return (int) Math.min(rows, CudaGemm.MAX_GRID_Y);
    }

    private static void im2col(int device, String sfx, long x, long cols, Geo g, long images, long dn, long dg,
            long dr) {
        Kernel k = Kernels.get(device, "conv", "im2col_" + sfx);
        k.launch(gridX(g.l()), gridY(images * g.c * g.kh * g.kw), 1, THREADS, 1, 1, 0, x, cols,
                g.pack(images, dn, dg, dr));
    }

    private static DType floatType(String op, NDArray... arrays) {
        DType t = arrays[0].dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": expected FLOAT32 or FLOAT64, got " + t);
        }
        for (NDArray a : arrays) {
            if (a != null && a.dtype() != t) {
                throw new IllegalArgumentException(op + ": expected all arrays of " + t + ", got " + a.dtype());
            }
            if (a != null && !a.isContiguous()) {
                throw new IllegalArgumentException(op + ": expected contiguous arrays, got strides "
                        + Arrays.toString(stridesOf(a)));
            }
        }
        return t;
    }

    private static int[] stridesOf(NDArray a) {
        int[] s = new int[a.dim()];
        for (int d = 0; d < s.length; d++) {
            s[d] = a.stride(d);
        }
        return s;
    }

    private static CudaStorage scratch(int device, DType t, long n) {
        return CudaBackend.allocateUninitialized(Device.cuda(device), t, Math.toIntExact(n));
    }

    static void conv2d(NDArray input, NDArray weight, NDArray bias, int[] params, NDArray out) {
        DType t = floatType("conv2d", out, input, weight, bias);
        Geo g = Geo.of(input.shape().toArray(), weight.shape().toArray(), out.shape().toArray(), params);
        int device = Kernels.device(out);
        long item = t.itemSize();
        long kk = g.kk();
        long l = g.l();
        int nb = chunk(g.groups * kk * l, g.n);
        CudaStorage cols = g.identity() ? null : scratch(device, t, nb * g.groups * kk * l);
        try {
            for (int n0 = 0; n0 < g.n; n0 += nb) {
                int images = Math.min(nb, g.n - n0);
                long x = Kernels.ptr(input) + (long) n0 * g.c * g.h * g.w * item;
                long b = x;
                if (cols != null) {
                    im2col(device, Kernels.suffix(t), x, cols.address(), g, images, g.groups * kk * l, kk * l, l);
                    b = cols.address();
                }
                CudaGemm.Call c = new CudaGemm.Call();
                c.dtype = t;
                c.m = g.og();
                c.n = l;
                c.k = kk;
                c.a = Kernels.ptr(weight);
                c.lda = kk;
                c.b = b;
                c.ldb = l;
                c.c = Kernels.ptr(out) + (long) n0 * g.o * l * item;
                c.ldc = l;
                c.z1 = images;
                c.z2 = g.groups;
                c.sa2 = g.og() * kk;
                c.sb1 = g.groups * kk * l;
                c.sb2 = kk * l;
                c.sc1 = g.o * l;
                c.sc2 = g.og() * l;
                if (bias != null) {
                    c.bias = Kernels.ptr(bias);
                    c.sbias2 = g.og();
                }
                CudaGemm.run(device, c);
            }
        } finally {
            if (cols != null) {
                cols.close();
            }
        }
    }

    static void conv2dBackwardInput(NDArray gradOut, NDArray weight, int[] params, NDArray gradInput) {
        DType t = floatType("conv2dBackwardInput", gradInput, gradOut, weight);
        Geo g = Geo.of(gradInput.shape().toArray(), weight.shape().toArray(), gradOut.shape().toArray(), params);
        int device = Kernels.device(gradInput);
        long item = t.itemSize();
        long kk = g.kk();
        long l = g.l();
        int nb = chunk(g.groups * kk * l, g.n);
        CudaStorage cols = g.identity() ? null : scratch(device, t, nb * g.groups * kk * l);
        try {
            for (int n0 = 0; n0 < g.n; n0 += nb) {
                int images = Math.min(nb, g.n - n0);
                long gx = Kernels.ptr(gradInput) + (long) n0 * g.c * g.h * g.w * item;
                CudaGemm.Call c = new CudaGemm.Call();
                c.dtype = t;
                c.m = kk;
                c.n = l;
                c.k = g.og();
                c.a = Kernels.ptr(weight);
                c.lda = kk;
                c.aTrans = true;
                c.b = Kernels.ptr(gradOut) + (long) n0 * g.o * l * item;
                c.ldb = l;
                c.c = cols == null ? gx : cols.address();
                c.ldc = l;
                c.z1 = images;
                c.z2 = g.groups;
                c.sa2 = g.og() * kk;
                c.sb1 = g.o * l;
                c.sb2 = g.og() * l;
                c.sc1 = g.groups * kk * l;
                c.sc2 = kk * l;
                CudaGemm.run(device, c);
                if (cols != null) {
                    Kernel k = Kernels.get(device, "conv", "col2im_" + Kernels.suffix(t));
                    k.launch(gridX((long) g.h * g.w), gridY((long) images * g.c), 1, THREADS, 1, 1, 0, cols.address(),
                            gx, g.pack(images, g.groups * kk * l, kk * l, l));
                }
            }
        } finally {
            if (cols != null) {
                cols.close();
            }
        }
    }

    static void conv2dBackwardWeight(NDArray gradOut, NDArray input, int[] params, NDArray gradWeight) {
        DType t = floatType("conv2dBackwardWeight", gradWeight, gradOut, input);
        Geo g = Geo.of(input.shape().toArray(), gradWeight.shape().toArray(), gradOut.shape().toArray(), params);
        int device = Kernels.device(gradWeight);
        long item = t.itemSize();
        long kk = g.kk();
        long l = g.l();
        int nb = chunk((g.groups * kk + g.o) * l, g.n);
        boolean direct = nb == 1; // one image per chunk: gradOut is [O][L] already, and a 1x1 input its own columns
        CudaStorage cols = direct && g.identity() ? null : scratch(device, t, g.groups * kk * nb * l);
        CudaStorage gyT = direct ? null : scratch(device, t, g.o * nb * l);
        try {
            String sfx = Kernels.suffix(t);
            for (int n0 = 0; n0 < g.n; n0 += nb) {
                int images = Math.min(nb, g.n - n0);
                long nl = images * l;
                long x = Kernels.ptr(input) + (long) n0 * g.c * g.h * g.w * item;
                long gy = Kernels.ptr(gradOut) + (long) n0 * g.o * l * item;
                long b = x;
                if (cols != null) {
                    im2col(device, sfx, x, cols.address(), g, images, l, kk * nl, nl);
                    b = cols.address();
                }
                long a = gy;
                if (gyT != null) {
                    Kernel k = Kernels.get(device, "conv", "permute_rows_" + sfx);
                    k.launch(gridX(l), gridY((long) images * g.o), 1, THREADS, 1, 1, 0, gy, gyT.address(),
                            (long) images, (long) g.o, l);
                    a = gyT.address();
                }
                // gradW_g [og, kk] (+)= gradOut_g [og, n L] x cols_g^T [n L, kk]
                CudaGemm.Call c = new CudaGemm.Call();
                c.dtype = t;
                c.m = g.og();
                c.n = kk;
                c.k = nl;
                c.a = a;
                c.lda = nl;
                c.b = b;
                c.ldb = nl;
                c.bTrans = true;
                c.c = Kernels.ptr(gradWeight);
                c.ldc = kk;
                c.z1 = g.groups;
                c.sa1 = g.og() * nl;
                c.sb1 = kk * nl;
                c.sc1 = g.og() * kk;
                c.accumulate = n0 > 0;
                CudaGemm.run(device, c);
            }
        } finally {
            if (cols != null) {
                cols.close();
            }
            if (gyT != null) {
                gyT.close();
            }
        }
    }
}
