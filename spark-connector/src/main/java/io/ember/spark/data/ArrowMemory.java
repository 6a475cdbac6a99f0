package io.ember.spark.data;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The per-JVM (per-executor) Arrow root allocator; each task or reader takes a child with its own limit and closes
 * it when done, so that {@link #root()}'s allocated memory returns to zero (Arrow's leak check).
 */
final class ArrowMemory {
    private static RootAllocator root;

    private ArrowMemory() {
    }

    /** The JVM-wide root allocator (unlimited; the children carry the limits). */
    static synchronized BufferAllocator root() {
        if (root == null) {
            root = new RootAllocator(Long.MAX_VALUE);
        }
        return root;
    }

    /** A child of the root with at most {@code limit} bytes. */
    static BufferAllocator child(String name, long limit) {
        return root().newChildAllocator(name, 0, limit);
    }
}
