package io.ember.spark.train;

import io.ember.nn.Module;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per executor JVM: the model a partition's task built in an earlier round of the same fit, reused by the next
 * round's task on this executor instead of rebuilding it from the model file (its state is reloaded every round, so
 * reuse changes no result). A task takes the model out for its exclusive use and puts it back when done; models of an
 * older fit are dropped when a newer one puts one back.
 */
final class ModelCache {
    private static final ConcurrentHashMap<String, Module> MODELS = new ConcurrentHashMap<>();

    private ModelCache() {
    }

    /** The cached model for (fit, partition), removed from the cache, or null. */
    static Module take(long fit, int partition) {
        return MODELS.remove(prefix(fit) + partition);
    }

    static void put(long fit, int partition, Module model) {
        String prefix = prefix(fit);
        MODELS.keySet().removeIf(k -> !k.startsWith(prefix));
        MODELS.put(prefix + partition, model);
    }

    /**
     * The key prefix of a fit: its plan's broadcast id within the application. Broadcast ids restart with every
     * SparkContext, and one JVM (local mode) may run several applications one after another.
     */
    private static String prefix(long fit) {
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        return (env == null ? "" : env.conf().get("spark.app.id", "")) + "/" + fit + ":";
    }
}
