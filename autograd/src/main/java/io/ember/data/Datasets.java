package io.ember.data;

import io.ember.tensor.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Operations on datasets: {@link #randomSplit}. */
public final class Datasets {
    private Datasets() {
    }

    /**
     * Splits {@code dataset} into non-overlapping random subsets of the given lengths, which must
     * add up to the dataset's size; like {@code torch.utils.data.random_split}.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        int n = dataset.size();
        long total = 0;
        for (int len : lengths) {
            if (len < 0) {
                throw new IllegalArgumentException("randomSplit: lengths must be >= 0, got " + Arrays.toString(lengths));
            }
            total += len;
        }
        if (total != n) {
            throw new IllegalArgumentException("randomSplit: lengths " + Arrays.toString(lengths) + " add up to "
                    + total + ", but the dataset has " + n + " samples");
        }
        int[] perm = permutation(n, generator);
        List<Subset<T>> out = new ArrayList<>(lengths.length);
        int start = 0;
        for (int len : lengths) {
            out.add(new Subset<>(dataset, Arrays.copyOfRange(perm, start, start + len)));
            start += len;
        }
        return out;
    }

    /**
     * Splits by fractions that add up to 1: each part gets {@code floor(n * fraction)} samples and
     * the samples left over go one each to the first parts, as in PyTorch.
     */
    public static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("randomSplit: fractions must be in [0, 1], got "
                        + Arrays.toString(fractions));
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions)
                    + " add up to " + sum + ", expected 1");
        }
        if (fractions.length == 0) {
            throw new IllegalArgumentException("randomSplit: expected at least one fraction, got none");
        }
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; assigned < n; i = (i + 1) % lengths.length) {
            lengths[i]++;
            assigned++;
        }
        return randomSplit(dataset, lengths, generator);
    }

    /**
     * A uniform random permutation of {@code 0..n-1} (Fisher-Yates, from the end): the order a shuffling
     * {@link DataLoader} (its {@link RandomSampler}) draws from its generator at the start of each epoch.
     */
    public static int[] permutation(int n, Generator g) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = (int) g.nextLong(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    static void checkIndex(String who, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(who + ": index " + index + " out of range for " + size + " samples");
        }
    }
}
