package io.ember.data;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One epoch of a {@link DataLoader}. Without workers each batch is loaded in {@link #next()}.
 * With workers, up to {@code prefetch} batches are submitted ahead to a pool of daemon threads
 * and taken back in submission order; the pool is shut down when the epoch ends, on
 * {@link #close()}, or by a {@link Cleaner} once the iterator is unreachable.
 */
final class LoaderIterator<B> implements CloseableIterator<B> {
    /** Prefix of the worker threads' names. */
    static final String THREAD_PREFIX = "ember-data-worker-";
    private static final Cleaner CLEANER = Cleaner.create(daemonFactory("ember-data-cleaner", null));
    private static final AtomicInteger POOLS = new AtomicInteger();

    interface Loader<B> {
        B load(int batchIndex, int[] indices);
    }

    private final Iterator<int[]> batches;
    private final Loader<B> loader;
    private final int prefetch;
    private final Workers workers; // null without workers
    private final Cleaner.Cleanable cleanable;
    private final ArrayDeque<Future<B>> pending = new ArrayDeque<>();
    private int submitted;
    private int delivered;
    private boolean closed;

    LoaderIterator(Iterator<int[]> batches, Loader<B> loader, int numWorkers, int prefetch) {
        this.batches = batches;
        this.loader = loader;
        this.prefetch = prefetch;
        if (numWorkers > 0) {
            workers = new Workers(numWorkers);
            cleanable = CLEANER.register(this, workers);
            fill();
        } else {
            workers = null;
            cleanable = null;
        }
    }

    private void fill() {
        while (pending.size() < prefetch && batches.hasNext()) {
            int[] indices = batches.next();
            int batchIndex = submitted++;
            Loader<B> l = loader; // the task must not reach this iterator, or the Cleaner never runs
            pending.add(workers.pool.submit(() -> l.load(batchIndex, indices)));
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        boolean more = workers == null ? batches.hasNext() : !pending.isEmpty() || batches.hasNext();
        if (!more) {
            close();
        }
        return more;
    }

    @Override
    public B next() {
        if (!hasNext()) {
            throw new NoSuchElementException("DataLoader: the epoch is over" + (closed ? " or was closed" : ""));
        }
        if (workers == null) {
            try {
                return loader.load(delivered++, batches.next());
            } catch (RuntimeException | Error e) {
                close();
                throw e;
            }
        }
        Future<B> head = pending.poll();
        fill();
        try {
            B batch = head.get();
            delivered++;
            return batch;
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + delivered, e);
        } catch (ExecutionException e) {
            close();
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new DataLoaderException("DataLoader: loading batch " + delivered + " failed: " + cause,
                    delivered, -1, cause);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cleanable != null) {
            for (Future<B> f : pending) {
                f.cancel(true);
            }
            pending.clear();
            cleanable.clean(); // shuts the pool down, once
        }
    }

    /** The worker pool: the Cleaner's action, holding no reference to the iterator. */
    private static final class Workers implements Runnable {
        final ExecutorService pool;

        Workers(int n) {
            String name = THREAD_PREFIX + POOLS.incrementAndGet() + "-";
            ThreadPoolExecutor p = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    daemonFactory(name, new AtomicInteger()));
            p.allowCoreThreadTimeOut(true); // idle workers exit even if nobody closes the iterator
            pool = p;
        }

        @Override
        public void run() {
            pool.shutdownNow();
        }
    }

    private static ThreadFactory daemonFactory(String name, AtomicInteger counter) {
        return r -> {
            Thread t = new Thread(r, counter == null ? name : name + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
