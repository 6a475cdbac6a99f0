package io.ember.gpu;

import io.ember.gpu.cuda.Kernel;
import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;

/**
 * Max and average pooling, forward and backward (module {@code pool}), over contiguous [N, C, H, W] arrays with the
 * CPU backend's rules (see pool.cu). One launch per op: a thread per output element, or per input element for the
 * average-pooling gradient (a gather, so no atomics); the max-pooling gradient scatters with atomic adds, since
 * its indices alone do not tell whether windows overlap.
 */
final class CudaPool {
    static final int THREADS = 256;
    /** Grid-stride kernels launch at most this many blocks. */
    static final int MAX_BLOCKS = 65535;

    /** The fields of {@code PoolGeo} in pool.cu, in order ({@link #geo}). */
    static final List<String> GEO_FIELDS = List.of("planes", "h", "w", "oh", "ow", "kh", "kw", "sh", "sw", "ph", "pw",
            "dh", "dw", "include_pad", "divisor");

    private CudaPool() {
    }

    static List<String> kernelNames() {
        List<String> names = new ArrayList<>();
        for (String s : new String[] {"f32", "f64"}) {
            names.add("max_pool2d_" + s);
            names.add("max_pool2d_backward_" + s);
            names.add("avg_pool2d_" + s);
            names.add("avg_pool2d_backward_" + s);
        }
        return names;
    }

    /**
     * The {@code PoolGeo} struct for input [N, C, h, w] and output [N, C, oh, ow]. {@code max}: params =
     * {kH, kW, sH, sW, pH, pW, dH, dW}; else params = {kH, kW, sH, sW, pH, pW, countIncludePad, divisorOverride}.
     */
    static long[] geo(boolean max, int[] in, int oh, int ow, int[] p) {
        return new long[] {(long) in[0] * in[1], in[2], in[3], oh, ow, p[0], p[1], p[2], p[3], p[4], p[5],
            max ? p[6] : 1, max ? p[7] : 1, max ? 0 : p[6], max ? 0 : p[7]};
    }

    static int blocks(long n) {
        return Math.min(Kernels.blocks(n, THREADS), MAX_BLOCKS);
    }

    private static DType floatType(String op, NDArray... arrays) {
        DType t = arrays[0].dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": expected FLOAT32 or FLOAT64, got " + t);
        }
        for (NDArray a : arrays) {
            if (a.dtype() != t) {
                throw new IllegalArgumentException(op + ": expected all arrays of " + t + ", got " + a.dtype());
            }
        }
        return t;
    }

    private static void contiguous(String op, NDArray... arrays) {
        for (NDArray a : arrays) {
            if (!a.isContiguous()) {
                throw new IllegalArgumentException(op + ": expected contiguous arrays");
            }
        }
    }

    private static void check4d(String op, NDArray... arrays) {
        for (NDArray a : arrays) {
            if (a.dim() != 4) {
                throw new IllegalArgumentException(op + ": expected 4-D [N, C, H, W] arrays, got " + a.dim() + "-D");
            }
        }
    }

    static void maxPool2d(NDArray input, int[] params, NDArray out, NDArray indices) {
        String op = "maxPool2d";
        check4d(op, input, out, indices);
        DType t = floatType(op, out, input);
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected INT64 indices, got " + indices.dtype());
        }
        contiguous(op, input, out, indices);
        long total = out.numel();
        if (total == 0) {
            return;
        }
        Kernel k = Kernels.get(Kernels.device(out), "pool", "max_pool2d_" + Kernels.suffix(t));
        k.launch1d(blocks(total), THREADS, 0, Kernels.ptr(input), Kernels.ptr(out), Kernels.ptr(indices),
                geo(true, input.shape().toArray(), out.size(2), out.size(3), params));
    }

    static void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradInput) {
        String op = "maxPool2dBackward";
        check4d(op, gradOut, indices, gradInput);
        DType t = floatType(op, gradInput, gradOut);
        if (indices.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": expected INT64 indices, got " + indices.dtype());
        }
        contiguous(op, gradOut, indices, gradInput);
        long n = gradOut.numel();
        if (n == 0) {
            return;
        }
        Kernel k = Kernels.get(Kernels.device(gradInput), "pool", "max_pool2d_backward_" + Kernels.suffix(t));
        k.launch1d(blocks(n), THREADS, 0, Kernels.ptr(gradOut), Kernels.ptr(indices), Kernels.ptr(gradInput), n,
                (long) gradOut.size(2) * gradOut.size(3), (long) gradInput.size(2) * gradInput.size(3));
    }

    static void avgPool2d(NDArray input, int[] params, NDArray out) {
        String op = "avgPool2d";
        check4d(op, input, out);
        DType t = floatType(op, out, input);
        contiguous(op, input, out);
        long total = out.numel();
        if (total == 0) {
            return;
        }
        Kernel k = Kernels.get(Kernels.device(out), "pool", "avg_pool2d_" + Kernels.suffix(t));
        k.launch1d(blocks(total), THREADS, 0, Kernels.ptr(input), Kernels.ptr(out),
                geo(false, input.shape().toArray(), out.size(2), out.size(3), params));
    }

    static void avgPool2dBackward(NDArray gradOut, int[] params, NDArray gradInput) {
        String op = "avgPool2dBackward";
        check4d(op, gradOut, gradInput);
        DType t = floatType(op, gradInput, gradOut);
        contiguous(op, gradOut, gradInput);
        long total = gradInput.numel();
        if (total == 0) {
            return;
        }
        Kernel k = Kernels.get(Kernels.device(gradInput), "pool", "avg_pool2d_backward_" + Kernels.suffix(t));
        k.launch1d(blocks(total), THREADS, 0, Kernels.ptr(gradOut), Kernels.ptr(gradInput),
                geo(false, gradInput.shape().toArray(), gradOut.size(2), gradOut.size(3), params));
    }
}
