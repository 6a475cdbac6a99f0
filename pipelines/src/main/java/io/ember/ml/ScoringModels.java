package io.ember.ml;

import io.ember.nn.Module;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Per JVM (executor): the networks built from each broadcast model, a small pool per model so that concurrent tasks
 * each use their own copy (forward passes keep no state, but a network is not meant to be shared by threads). The
 * broadcast's value is fetched once per executor by Spark; a network is built only when no idle one is in the pool,
 * so at most one per concurrently running task. The pools of the least recently used models beyond
 * {@value #MAX_MODELS} are dropped.
 */
final class ScoringModels {
    static final int MAX_MODELS = 8;
    private static final Map<String, ArrayDeque<Module>> POOLS = new LinkedHashMap<>(16, 0.75f, true);
    private static final AtomicLong BUILT = new AtomicLong();

    private ScoringModels() {
    }

    /** An idle network for broadcast {@code id}, or a new one built from {@code file}. */
    static Module borrow(long id, Supplier<EmberModel.ModelFile> file) {
        synchronized (POOLS) {
            ArrayDeque<Module> pool = POOLS.get(key(id));
            if (pool != null && !pool.isEmpty()) {
                return pool.pop();
            }
        }
        Module m = file.get().build();
        BUILT.incrementAndGet();
        return m;
    }

    /** Returns a network to its pool. */
    static void giveBack(long id, Module m) {
        synchronized (POOLS) {
            POOLS.computeIfAbsent(key(id), k -> new ArrayDeque<>()).push(m);
            Iterator<String> it = POOLS.keySet().iterator();
            while (POOLS.size() > MAX_MODELS && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }

    /**
     * The pool of broadcast {@code id} of this application: broadcast ids restart with every SparkContext, and one
     * JVM (local mode) may run several applications one after another.
     */
    private static String key(long id) {
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        return (env == null ? "" : env.conf().get("spark.app.id", "")) + "/" + id;
    }

    /** How many networks this JVM has built for scoring (for tests). */
    static long built() {
        return BUILT.get();
    }
}
