package io.ember.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic release of device memory, like DJL's NDManager or a {@code torch.no_grad}-style block: every device
 * storage (GPU memory; host arrays live on the Java heap and are never tracked) created on this thread while a scope
 * is open belongs to the innermost open scope, and {@link #close()} releases those not {@link #keep kept}. Wrap a
 * training step in one, and its temporaries (activations, saved tensors, intermediate gradients) go back to the
 * device allocator's cache at the end of the step instead of waiting for the garbage collector:
 *
 * <pre>{@code
 * for (TensorBatch b : loader) {
 *     try (MemoryScope step = MemoryScope.open()) {
 *         Tensor loss = lossFn.apply(model.forward(b.features()), b.labels());
 *         optimizer.zeroGrad();
 *         loss.backward();
 *         optimizer.step();
 *         lossSum += loss.item();          // a host double: nothing on the device escapes
 *     }
 * }
 * }</pre>
 *
 * <p>Parameters, their gradients, module buffers and optimizer state are kept automatically (the autograd layer calls
 * {@link #keep} when it stores an array into them). Anything else that must outlive the scope is kept explicitly, or
 * copied to the host. Using a released array fails with a clear error rather than reading recycled memory.
 * Storages that no scope releases are returned to the allocator when the garbage collector finds them unreachable.
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

    private final MemoryScope parent;
    private final Thread owner;
    private final List<Storage> tracked = new ArrayList<>();
    private boolean closed;

    private MemoryScope(MemoryScope parent) {
        this.parent = parent;
        this.owner = Thread.currentThread();
    }

    /** Opens a scope on this thread, nested in the current one if any. */
    public static MemoryScope open() {
        MemoryScope s = new MemoryScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** The innermost open scope of this thread, or null. */
    public static MemoryScope current() {
        return CURRENT.get();
    }

    /** Called by {@link Storage}'s constructor for device storages. */
    static void track(Storage s) {
        MemoryScope c = CURRENT.get();
        if (c != null) {
            s.scope = c;
            c.tracked.add(s);
        }
    }

    /**
     * Takes an array's storage out of every scope: no scope will release it; it is released when closed explicitly
     * or when it becomes unreachable. Returns the array. A no-op for host arrays.
     */
    public static NDArray keep(NDArray a) {
        if (a != null) {
            a.storage().scope = null;
        }
        return a;
    }

    /** How many device storages this scope would release if closed now. */
    public int size() {
        int n = 0;
        for (Storage s : tracked) {
            if (s.scope == this && !s.isReleased()) {
                n++;
            }
        }
        return n;
    }

    /** Releases every storage created in this scope and not kept; ends the scope. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("MemoryScope.close: a scope must be closed by the thread that opened it ("
                    + owner.getName() + "), not " + Thread.currentThread().getName());
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("MemoryScope.close: an inner scope is still open; close scopes in the"
                    + " reverse order of opening (try-with-resources does)");
        }
        closed = true;
        CURRENT.set(parent);
        RuntimeException first = null;
        for (Storage s : tracked) {
            if (s.scope == this) {
                s.scope = null;
                try {
                    s.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
        }
        tracked.clear();
        if (first != null) {
            throw first;
        }
    }
}
