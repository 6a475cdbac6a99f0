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

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    static float tanh(float x) {
        if (Math.abs(x) < 0.01f) {
            float x2 = x * x;
            return x * (1f - x2 * (1f / 3f - x2 * (2f / 15f)));
        }
        double e = Math.exp(2.0 * x);
        return Double.isInfinite(e) ? 1f : (float) ((e - 1.0) / (e + 1.0));
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
