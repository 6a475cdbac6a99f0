package io.ember.gpu;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.util.Arrays;
import java.util.List;

/**
 * Fused optimizer updates (module {@code optim}, {@code gpu/src/main/cuda/optim.cu}): SGD (momentum, Nesterov,
 * weight decay, maximize) and Adam/AdamW (amsgrad), one launch per parameter, reading and writing each array once.
 * Every element takes exactly the float operations, in the same order, of the CPU's fused loops
 * ({@code io.ember.optim.Fused}), each rounded on its own (no fused multiply-add), so a parameter updated on the GPU
 * is bit-identical to the same update on the CPU. The scalar factors ({@code 1 - dampening}, {@code -lr}, ...) are
 * computed here in float exactly as the CPU loop computes them. When every array's address is 16-byte aligned (fresh
 * allocations are) elements move as float4.
 */
final class CudaOptim {
    static final String MODULE = "optim";
    static final int THREADS = 256;
    static final int MAX_BLOCKS = 4096;

    private CudaOptim() {
    }

    /** Every kernel function this launcher can request from module {@code optim}. */
    static List<String> kernelNames() {
        return List.of("sgd_f32", "adam_f32");
    }

    /** See {@code Backend.sgdUpdate}; buf is null without momentum. */
    static void sgd(NDArray param, NDArray grad, NDArray buf, boolean first, float lr, float wd, float momentum,
            float dampening, boolean nesterov, boolean maximize) {
        String op = "sgd update";
        check(op, param, new String[] {"grad", "momentum buffer"}, grad, buf);
        int n = param.numel();
        if (n == 0) {
            return;
        }
        int dev = device(op, param, grad, buf);
        long p = Kernels.ptr(param);
        long g = Kernels.ptr(grad);
        long b = buf == null ? 0L : Kernels.ptr(buf);
        int vec = aligned(p, g, b, 0, 0) ? 1 : 0;
        Kernels.get(dev, MODULE, "sgd_f32").launch1d(blocks(n, vec), THREADS, 0, p, g, b, n, vec, -lr, wd, momentum,
                1f - dampening, maximize ? -1f : 1f, first ? 1 : 0, nesterov ? 1 : 0);
    }

    /** See {@code Backend.adamUpdate}; maxExpAvgSq is null without amsgrad. */
    static void adam(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq, float decay,
            float l2, float beta1, float beta2, float stepSize, float bc2Sqrt, float eps, boolean maximize) {
        String op = "adam update";
        if (expAvg == null || expAvgSq == null) {
            throw new IllegalArgumentException(op + ": expAvg and expAvgSq are required");
        }
        check(op, param, new String[] {"grad", "expAvg", "expAvgSq", "maxExpAvgSq"}, grad, expAvg, expAvgSq,
                maxExpAvgSq);
        int n = param.numel();
        if (n == 0) {
            return;
        }
        int dev = device(op, param, grad, expAvg, expAvgSq, maxExpAvgSq);
        long p = Kernels.ptr(param);
        long g = Kernels.ptr(grad);
        long m = Kernels.ptr(expAvg);
        long v = Kernels.ptr(expAvgSq);
        long x = maxExpAvgSq == null ? 0L : Kernels.ptr(maxExpAvgSq);
        int vec = aligned(p, g, m, v, x) ? 1 : 0;
        Kernels.get(dev, MODULE, "adam_f32").launch1d(blocks(n, vec), THREADS, 0, p, g, m, v, x, n, vec, decay, l2,
                maximize ? -1f : 1f, 1f - beta1, beta2, 1f - beta2, -stepSize, bc2Sqrt, eps);
    }

    /**
     * The arrays must be float32, contiguous and of param's shape (null ones, optional state, are skipped); checked
     * before anything touches the device.
     */
    static void check(String op, NDArray param, String[] names, NDArray... others) {
        if (param == null || others[0] == null) {
            throw new IllegalArgumentException(op + ": param and grad are required");
        }
        int[] shape = param.shape().toArray();
        for (int i = -1; i < others.length; i++) {
            NDArray a = i < 0 ? param : others[i];
            String name = i < 0 ? "param" : names[i];
            if (a == null) {
                continue;
            }
            if (a.dtype() != DType.FLOAT32) {
                throw new IllegalArgumentException(op + ": " + name + " must be float32, got " + a.dtype());
            }
            if (!a.isContiguous()) {
                throw new IllegalArgumentException(op + ": " + name + " must be contiguous, got shape " + a.shape()
                        + " with strides " + Arrays.toString(a.strides()));
            }
            if (!Arrays.equals(shape, a.shape().toArray())) {
                throw new IllegalArgumentException(op + ": " + name + " shape " + a.shape()
                        + " differs from the parameter's " + param.shape());
            }
        }
    }

    private static int device(String op, NDArray param, NDArray... others) {
        int d = Kernels.device(param);
        for (NDArray a : others) {
            if (a != null && Kernels.device(a) != d) {
                throw new IllegalArgumentException(op + ": arrays are on different devices: param on "
                        + param.device() + ", another on " + a.device());
            }
        }
        return d;
    }

    /** Whether every address (0 = absent) is 16-byte aligned, so float4 loads and stores are legal. */
    static boolean aligned(long... addresses) {
        for (long a : addresses) {
            if ((a & 15) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Blocks for n elements, in float4 steps when vec. */
    static int blocks(int n, int vec) {
        long work = vec == 1 ? Math.max(1, n >> 2) : n;
        return Math.min(Kernels.blocks(work, THREADS), MAX_BLOCKS);
    }
}
