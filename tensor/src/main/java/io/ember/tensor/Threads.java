package io.ember.tensor;

/**
 * The one thread setting for CPU compute: the parallel loops of elementwise ops and reductions,
 * and OpenBLAS's GEMM threads. Initial value: system property {@code ember.threads}, else the
 * environment variable {@code OMP_NUM_THREADS}, else the number of available processors.
 *
 * <p>A Spark task calls {@link #set(int)} with the cores its slot has ({@code spark.task.cpus}), so
 * that Ember never runs more threads than it was given.
 */
public final class Threads {
    private static volatile int threads = initial();

    private Threads() {
    }

    static int initial() {
        Integer n = parse(System.getProperty("ember.threads"));
        if (n == null) {
            n = parse(System.getenv("OMP_NUM_THREADS"));
        }
        return n != null ? n : Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    private static Integer parse(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            int n = Integer.parseInt(s.trim().split(",")[0]);
            return n >= 1 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Threads that CPU kernels may use. */
    public static int get() {
        return threads;
    }

    /** Sets the threads for parallel loops and OpenBLAS together. */
    public static void set(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Threads.set: thread count must be >= 1, got " + n);
        }
        threads = n;
        io.ember.tensor.cpu.CpuBackend.threadsChanged(n);
    }
}
