package io.ember.tensor.cpu;

import io.ember.tensor.Threads;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits a range over Ember's fork-join pool: {@link Threads#get()} threads in all (the caller
 * runs one chunk itself). Ranges below the grain, single-thread settings and calls from inside the
 * pool (nested parallelism) run inline.
 */
final class Parallel {
    interface Range {
        void run(int lo, int hi);
    }

    private static final AtomicInteger THREAD_IDS = new AtomicInteger();
    private static volatile ForkJoinPool pool;
    private static volatile int poolThreads;

    private Parallel() {
    }

    private static ForkJoinPool pool(int threads) {
        ForkJoinPool p = pool;
        if (p == null || poolThreads != threads) {
            synchronized (Parallel.class) {
                if (pool == null || poolThreads != threads) {
                    ForkJoinPool old = pool;
                    pool = new ForkJoinPool(Math.max(1, threads - 1), fp -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fp);
                        t.setName("ember-cpu-" + THREAD_IDS.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }, null, false);
                    poolThreads = threads;
                    if (old != null) {
                        old.shutdown();
                    }
                }
                p = pool;
            }
        }
        return p;
    }

    private static boolean inPool() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool;
    }

    /** Runs {@code body} over [0, n) in chunks of at least {@code grain}. */
    static void forRange(int n, int grain, Range body) {
        int threads = Threads.get();
        if (threads <= 1 || n <= grain || inPool()) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        int chunks = (int) Math.min(threads, (n + (long) grain - 1) / grain);
        ForkJoinPool p = pool(threads);
        ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int lo = (int) ((long) n * c / chunks);
            int hi = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = p.submit(() -> body.run(lo, hi));
        }
        RuntimeException failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (ForkJoinTask<?> t : tasks) {
            try {
                t.join();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
