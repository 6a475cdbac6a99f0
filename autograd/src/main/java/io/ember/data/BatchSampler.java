package io.ember.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Groups a sampler's indices into batches of {@code batchSize}; the last, smaller batch is kept
 * unless {@code dropLast}. Each {@link #iterator()} is one epoch of the underlying sampler.
 */
public final class BatchSampler implements Iterable<int[]> {
    private final Sampler sampler;
    private final int batchSize;
    private final boolean dropLast;

    public BatchSampler(Sampler sampler, int batchSize, boolean dropLast) {
        if (sampler == null) {
            throw new IllegalArgumentException("BatchSampler: sampler is null");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("BatchSampler: batchSize must be >= 1, got " + batchSize);
        }
        this.sampler = sampler;
        this.batchSize = batchSize;
        this.dropLast = dropLast;
    }

    /** The number of batches in one epoch. */
    public int size() {
        int n = sampler.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    public boolean dropLast() {
        return dropLast;
    }

    public Sampler sampler() {
        return sampler;
    }

    @Override
    public Iterator<int[]> iterator() {
        Iterator<Integer> it = sampler.iterator();
        return new Iterator<>() {
            private int[] next = advance();

            private int[] advance() {
                int[] buf = new int[batchSize];
                int k = 0;
                while (k < batchSize && it.hasNext()) {
                    buf[k++] = it.next();
                }
                if (k == 0 || (k < batchSize && dropLast)) {
                    return null;
                }
                return k == batchSize ? buf : Arrays.copyOf(buf, k);
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public int[] next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                int[] out = next;
                next = advance();
                return out;
            }
        };
    }
}
