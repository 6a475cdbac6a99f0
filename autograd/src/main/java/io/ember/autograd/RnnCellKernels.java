package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import io.ember.tensor.spi.Backends;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;

/**
 * Raw helpers shared by the fused recurrent nodes: dense host arrays, GEMM on views of them, fast activations and
 * a row-parallel loop.
 */
final class RnnCellKernels {
    /** Below this many elements per step the elementwise part runs on the calling thread. */
    private static final int PARALLEL_GRAIN = 16384;

    private RnnCellKernels() {
    }

    /** A contiguous host copy at offset 0 whose storage holds exactly its elements (x itself when it already is). */
    static NDArray dense(NDArray x) {
        if (x.isContiguous() && x.offset() == 0 && x.storage().size() == x.numel() && x.device().isCpu()) {
            return x;
        }
        NDArray c = x.device().isCpu() ? x.clone() : x.to(io.ember.tensor.Device.CPU);
        return c.isContiguous() && c.offset() == 0 && c.storage().size() == c.numel() ? c : c.clone();
    }

    static float[] f(NDArray x) {
        return ((HostStorage) x.storage()).floats();
    }

    static double[] d(NDArray x) {
        return ((HostStorage) x.storage()).doubles();
    }

    static NDArray wrap(float[] a, int... shape) {
        return NDArray.fromStorage(HostStorage.wrap(a), shape);
    }

    static NDArray wrap(double[] a, int... shape) {
        return NDArray.fromStorage(HostStorage.wrap(a), shape);
    }

    /** A zero array of the dtype (float32 or float64). */
    static NDArray zeros(DType t, int... shape) {
        return NDArray.zeros(t, shape);
    }

    /** A [rows, cols] matrix view of a dense array's storage at an element offset, with a row stride. */
    private static NDArray mat(NDArray base, int off, int rows, int cols, int rowStride, int colStride) {
        return NDArray.strided(base.storage(), new int[] {1, rows, cols}, new int[] {0, rowStride, colStride}, off);
    }

    /**
     * {@code out[m, n] = a[m, k] * b[k, n]} on storage views: a at aOff row-major (transA: a is stored [k, m]),
     * b at bOff row-major (transB: b is stored [n, k]), out dense [m, n] at offset 0.
     */
    static void gemm(NDArray a, int aOff, boolean transA, NDArray b, int bOff, boolean transB, NDArray out, int m,
            int n, int k) {
        NDArray av = transA ? mat(a, aOff, m, k, 1, m) : mat(a, aOff, m, k, k, 1);
        NDArray bv = transB ? mat(b, bOff, k, n, 1, k) : mat(b, bOff, k, n, n, 1);
        NDArray ov = mat(out, 0, m, n, n, 1);
        // the backend's small-product path accumulates into out
        if (out.dtype() == DType.FLOAT32) {
            java.util.Arrays.fill(f(out), 0, m * n, 0f);
        } else {
            java.util.Arrays.fill(d(out), 0, m * n, 0.0);
        }
        Backends.cpu().matmul(av, bv, ov);
    }

    // tanh(x) ~ x P(x^2) / Q(x^2), a rational fit of degree 4/4 in x^2 on [-9, 9],
    // made for Ember (weighted least squares on Chebyshev nodes, relative error 2.2e-8 before float rounding).
    // In float32 the error is at most 6 ulp (3.5e-7), 0.9 ulp on average. The input is clamped to +-8.55, where the
    // float evaluation gives exactly +-1 (tanh(8.55) is 1 - 7e-8). No branch and no call, so loops of it vectorise.
    private static final float TP1 = 0.13385359942913055f;
    private static final float TP2 = 0.003500587772578001f;
    private static final float TP3 = 2.0685482013504952e-05f;
    private static final float TP4 = 1.3449598768033866e-08f;
    private static final float TQ1 = 0.467186838388443f;
    private static final float TQ2 = 0.025896385312080383f;
    private static final float TQ3 = 0.00032935570925474167f;
    private static final float TQ4 = 7.817718028491072e-07f;

    /** Float tanh (at most 6 ulp from the exact value, |result| <= 1, NaN stays NaN). */
    static float tanh(float x) {
        float y = Math.max(-8.55f, Math.min(8.55f, x));
        float u = y * y;
        float p = (((TP4 * u + TP3) * u + TP2) * u + TP1) * u + 1f;
        float q = (((TQ4 * u + TQ3) * u + TQ2) * u + TQ1) * u + 1f;
        return Math.max(-1f, Math.min(1f, y * p / q));
    }

    /** Float logistic sigmoid as {@code (1 + tanh(x / 2)) / 2} (absolute error below 2e-7). */
    static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    // The in-place loops below index every array with the loop variable alone: C2 (JDK 17) vectorises a loop only
    // when all its array references share one loop-invariant offset.

    /** {@code a[from, to) = sigmoid(a[from, to))}. */
    static void sigmoidInPlace(float[] a, int from, int to) {
        for (int j = from; j < to; j++) {
            a[j] = sigmoid(a[j]);
        }
    }

    /** {@code a[from, to) = tanh(a[from, to))}. */
    static void tanhInPlace(float[] a, int from, int to) {
        for (int j = from; j < to; j++) {
            a[j] = tanh(a[j]);
        }
    }

    /** {@code dst[from, to) = tanh(src[from, to))} (same offsets in both arrays). */
    static void tanhInto(float[] src, float[] dst, int from, int to) {
        for (int j = from; j < to; j++) {
            dst[j] = tanh(src[j]);
        }
    }

    /** Writes the transpose of a dense [rows, cols] into dst ([cols, rows]) in cache-sized tiles; returns dst. */
    static float[] transpose(float[] a, int rows, int cols, float[] dst) {
        for (int r0 = 0; r0 < rows; r0 += 32) {
            int r1 = Math.min(rows, r0 + 32);
            for (int c0 = 0; c0 < cols; c0 += 32) {
                int c1 = Math.min(cols, c0 + 32);
                for (int r = r0; r < r1; r++) {
                    for (int c = c0; c < c1; c++) {
                        dst[c * rows + r] = a[r * cols + c];
                    }
                }
            }
        }
        return dst;
    }

    /** {@code dst[dstOff + c * ldd + r] += src[r * cols + c]}: adds the transpose of a dense [rows, cols], tiled. */
    static void addTransposed(float[] src, int rows, int cols, float[] dst, int dstOff, int ldd) {
        for (int r0 = 0; r0 < rows; r0 += 32) {
            int r1 = Math.min(rows, r0 + 32);
            for (int c = 0; c < cols; c++) {
                int d = dstOff + c * ldd;
                for (int r = r0; r < r1; r++) {
                    dst[d + r] += src[r * cols + c];
                }
            }
        }
    }

    /**
     * Row-major float {@code C = A op(B) + beta C} straight on the heap arrays (no views): A [m, k] at aOff with
     * row stride lda (transA: stored [k, m]), B [k, n] at bOff with row stride ldb (transB: stored [n, k]), C [m, n]
     * at cOff with row stride ldc.
     */
    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda, float[] b,
            int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (k == 0) {
            if (beta == 0f) {
                for (int r = 0; r < m; r++) {
                    java.util.Arrays.fill(c, cOff + r * ldc, cOff + r * ldc + n, 0f);
                }
            }
            return;
        }
        io.ember.tensor.cpu.CpuGemm.sgemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff,
                ldc);
    }

    static double sigmoid(double x) {
        return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
    }

    interface Rows {
        void run(int lo, int hi);
    }

    /** Runs body over batch rows [0, rows), split over Ember's thread count when a step is big enough. */
    static void forRows(int rows, int width, Rows body) {
        int threads = Math.min(Threads.get(), rows);
        if (threads <= 1 || (long) rows * width < PARALLEL_GRAIN
                || Thread.currentThread() instanceof java.util.concurrent.ForkJoinWorkerThread) {
            body.run(0, rows);
            return;
        }
        int chunks = (int) Math.min(threads, (long) rows * width / (PARALLEL_GRAIN / 4));
        chunks = Math.max(1, Math.min(chunks, rows));
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int lo = rows * c / chunks;
            int hi = rows * (c + 1) / chunks;
            tasks[c - 1] = ForkJoinPool.commonPool().submit(() -> body.run(lo, hi));
        }
        body.run(0, rows / chunks);
        for (ForkJoinTask<?> t : tasks) {
            t.join();
        }
    }
}
