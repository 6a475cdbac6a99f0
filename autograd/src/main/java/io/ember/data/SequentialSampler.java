package io.ember.data;

import java.util.Iterator;
import java.util.NoSuchElementException;

/** The indices {@code 0, 1, ..., size - 1} in order. */
public final class SequentialSampler implements Sampler {
    private final int size;

    public SequentialSampler(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("SequentialSampler: size must be >= 0, got " + size);
        }
        this.size = size;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Iterator<Integer> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < size;
            }

            @Override
            public Integer next() {
                if (next >= size) {
                    throw new NoSuchElementException();
                }
                return next++;
            }
        };
    }
}
