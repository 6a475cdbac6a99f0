package io.ember.data;

import io.ember.tensor.Generator;

import java.util.Arrays;
import java.util.Iterator;

/**
 * Random indices in {@code [0, size)}: a new permutation every epoch, or with replacement
 * {@code numSamples} independent uniform draws. The generator advances from epoch to epoch, so a
 * sampler built with the same seed replays the same sequence of epochs.
 */
public final class RandomSampler implements Sampler {
    private final int size;
    private final boolean replacement;
    private final int numSamples;
    private final Generator generator;

    /** A permutation of {@code 0..size-1} per epoch. */
    public RandomSampler(int size, Generator generator) {
        this(size, false, size, generator);
    }

    /**
     * {@code numSamples} indices per epoch: with replacement, independent draws; without, the
     * first {@code numSamples} of a fresh permutation ({@code numSamples <= size}).
     */
    public RandomSampler(int size, boolean replacement, int numSamples, Generator generator) {
        if (size < 0) {
            throw new IllegalArgumentException("RandomSampler: size must be >= 0, got " + size);
        }
        if (numSamples < 0) {
            throw new IllegalArgumentException("RandomSampler: numSamples must be >= 0, got " + numSamples);
        }
        if (!replacement && numSamples > size) {
            throw new IllegalArgumentException("RandomSampler: numSamples " + numSamples
                    + " exceeds the dataset size " + size + " without replacement");
        }
        if (replacement && numSamples > 0 && size == 0) {
            throw new IllegalArgumentException("RandomSampler: cannot draw " + numSamples + " samples from an empty dataset");
        }
        if (generator == null) {
            throw new IllegalArgumentException("RandomSampler: generator is null");
        }
        this.size = size;
        this.replacement = replacement;
        this.numSamples = numSamples;
        this.generator = generator;
    }

    @Override
    public int size() {
        return numSamples;
    }

    @Override
    public Iterator<Integer> iterator() {
        int[] order;
        synchronized (generator) {
            if (replacement) {
                order = new int[numSamples];
                for (int i = 0; i < numSamples; i++) {
                    order[i] = (int) generator.nextLong(size);
                }
            } else {
                order = Arrays.copyOf(Datasets.permutation(size, generator), numSamples);
            }
        }
        return Arrays.stream(order).iterator();
    }
}
