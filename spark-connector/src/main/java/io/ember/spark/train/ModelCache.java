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
        return MODELS.remove(fit + ":" + partition);
    }

    static void put(long fit, int partition, Module model) {
        String prefix = fit + ":";
        MODELS.keySet().removeIf(k -> !k.startsWith(prefix));
        MODELS.put(prefix + partition, model);
    }
}
