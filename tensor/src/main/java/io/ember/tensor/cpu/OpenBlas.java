package io.ember.tensor.cpu;

import io.ember.tensor.Threads;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Loads bytedeco's OpenBLAS (the copy inside the {@code openblas} jar, never a system library) and
 * keeps its thread count equal to {@link Threads#get()}.
 */
public final class OpenBlas {
    private static volatile boolean loaded;

    private OpenBlas() {
    }

    /** Loads OpenBLAS if not yet loaded. Call early (Ember does, on first use of the CPU backend). */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        Loader.load(openblas.class);
        openblas.blas_set_num_threads(Threads.get());
        loaded = true;
    }

    static void setThreads(int n) {
        if (loaded) {
            openblas.blas_set_num_threads(n);
        }
    }

    /** OpenBLAS's current thread count. */
    public static int threads() {
        load();
        return openblas.blas_get_num_threads();
    }
}
