package io.ember.data;

import java.util.Iterator;

/** An iterator that holds resources (worker threads) until exhausted or closed. */
public interface CloseableIterator<E> extends Iterator<E>, AutoCloseable {
    /** Releases the resources; later {@link #hasNext()} calls return false. Idempotent. */
    @Override
    void close();
}
