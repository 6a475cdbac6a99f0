package io.ember.data;

import io.ember.tensor.Generator;

import java.util.Arrays;
import java.util.Iterator;

/**
 * {@code numSamples} indices drawn with probability proportional to {@code weights[i]}, with or
 * without replacement, like PyTorch's {@code WeightedRandomSampler}; used to rebalance classes.
 * Without replacement every index appears at most once (weighted sampling in sequence).
 */
public final class WeightedRandomSampler implements Sampler {
    private final double[] weights;
    private final double[] cumulative;
    private final int numSamples;
    private final boolean replacement;
    private final Generator generator;

    public WeightedRandomSampler(double[] weights, int numSamples, boolean replacement, Generator generator) {
        if (generator == null) {
            throw new IllegalArgumentException("WeightedRandomSampler: generator is null");
        }
        if (numSamples < 0) {
            throw new IllegalArgumentException("WeightedRandomSampler: numSamples must be >= 0, got " + numSamples);
        }
        int positive = 0;
        double total = 0;
        cumulative = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            double w = weights[i];
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("WeightedRandomSampler: weights must be finite and >= 0, got "
                        + w + " at index " + i);
            }
            if (w > 0) {
                positive++;
            }
            total += w;
            cumulative[i] = total;
        }
        if (numSamples > 0 && total == 0) {
            throw new IllegalArgumentException("WeightedRandomSampler: the weights add up to 0");
        }
        if (!replacement && numSamples > positive) {
            throw new IllegalArgumentException("WeightedRandomSampler: numSamples " + numSamples
                    + " exceeds the " + positive + " indices of positive weight without replacement");
        }
        this.weights = weights.clone();
        this.numSamples = numSamples;
        this.replacement = replacement;
        this.generator = generator;
    }

    @Override
    public int size() {
        return numSamples;
    }

    @Override
    public Iterator<Integer> iterator() {
        int[] order = new int[numSamples];
        synchronized (generator) {
            if (replacement) {
                double total = cumulative[cumulative.length - 1];
                for (int i = 0; i < numSamples; i++) {
                    order[i] = search(generator.nextDouble() * total);
                }
            } else {
                // Efraimidis-Spirakis: the numSamples largest keys log(u) / w are a weighted draw in sequence
                Integer[] idx = new Integer[weights.length];
                double[] key = new double[weights.length];
                for (int i = 0; i < weights.length; i++) {
                    idx[i] = i;
                    double u = 1.0 - generator.nextDouble(); // (0, 1]
                    key[i] = weights[i] > 0 ? Math.log(u) / weights[i] : Double.NEGATIVE_INFINITY;
                }
                Arrays.sort(idx, (a, b) -> Double.compare(key[b], key[a]));
                for (int i = 0; i < numSamples; i++) {
                    order[i] = idx[i];
                }
            }
        }
        return Arrays.stream(order).iterator();
    }

    /** The first index whose cumulative weight exceeds {@code r}, skipping zero weights. */
    private int search(double r) {
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > r) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }
}
