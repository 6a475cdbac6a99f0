package io.ember.data;

import io.ember.tensor.Generator;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Batches of a {@link Dataset}, one epoch per iteration, like PyTorch's {@code DataLoader}:
 *
 * <pre>{@code
 * DataLoader<List<Tensor>, Batch> loader = DataLoader.builder(TensorDataset.of(x, y))
 *         .batchSize(64).shuffle(true).seed(42).numWorkers(2).build();
 * for (Batch b : loader) { Tensor features = b.get(0), labels = b.get(1); ... }
 * }</pre>
 *
 * <p>The default collate stacks samples into a {@link Batch} ({@link Collate#stack}); for a
 * {@link TensorDataset} (or a {@link Subset} of one) it gathers each batch with one
 * {@code indexSelect} per array instead. The batch order comes from the sampler on the consuming
 * thread, so with a seed it is the same whatever {@code numWorkers} is. With
 * {@code numWorkers > 0}, batches are loaded on daemon worker threads, at most {@code prefetch}
 * ahead, and handed over in order; a failure surfaces in the consumer as a
 * {@link DataLoaderException}. The workers stop when the epoch ends, when the iterator is closed
 * (use try-with-resources on {@link #iterator()} to stop early), or when an abandoned iterator is
 * garbage collected.
 *
 * @param <T> the sample type
 * @param <B> the batch type
 */
public final class DataLoader<T, B> implements Iterable<B> {
    private final Dataset<T> dataset;
    private final BatchSampler batchSampler;
    private final Function<? super List<T>, ? extends B> collate; // null: the default
    private final int numWorkers;
    private final int prefetch;

    private DataLoader(Builder<T, B> b) {
        this.dataset = b.dataset;
        this.collate = b.collate;
        this.numWorkers = b.numWorkers;
        this.prefetch = b.prefetch > 0 ? b.prefetch : 2 * Math.max(1, b.numWorkers);
        if (b.batchSampler != null) {
            this.batchSampler = b.batchSampler;
        } else {
            Sampler s = b.sampler;
            if (s == null) {
                if (b.shuffle) {
                    Generator g = b.generator;
                    if (g == null && b.seed != null) {
                        g = new Generator(b.seed);
                    }
                    if (g == null) {
                        Generator global = Generator.global();
                        synchronized (global) {
                            g = new Generator(global.nextLong());
                        }
                    }
                    s = new RandomSampler(dataset.size(), g);
                } else {
                    s = new SequentialSampler(dataset.size());
                }
            }
            this.batchSampler = new BatchSampler(s, b.batchSize, b.dropLast);
        }
    }

    /** A builder with the defaults batchSize 1, no shuffle, no workers, the default collate. */
    public static <T> Builder<T, Batch> builder(Dataset<T> dataset) {
        if (dataset == null) {
            throw new IllegalArgumentException("DataLoader: dataset is null");
        }
        return new Builder<>(dataset);
    }

    /** The number of batches in one epoch. */
    public int size() {
        return batchSampler.size();
    }

    public Dataset<T> dataset() {
        return dataset;
    }

    public BatchSampler batchSampler() {
        return batchSampler;
    }

    public int numWorkers() {
        return numWorkers;
    }

    public int prefetch() {
        return prefetch;
    }

    /** One epoch; close it to stop early (the workers also stop when it is exhausted). */
    @Override
    public CloseableIterator<B> iterator() {
        return new LoaderIterator<>(batchSampler.iterator(), this::load, numWorkers, prefetch);
    }

    /** Loads batch number {@code batchIndex} of the epoch, made of the dataset indices {@code indices}. */
    @SuppressWarnings("unchecked")
    B load(int batchIndex, int[] indices) {
        if (collate == null) {
            Batch fast = fastPath(batchIndex, indices);
            if (fast != null) {
                return (B) fast;
            }
        }
        List<T> samples = new ArrayList<>(indices.length);
        for (int idx : indices) {
            try {
                samples.add(dataset.get(idx));
            } catch (RuntimeException | Error e) {
                throw new DataLoaderException("DataLoader: loading sample " + idx + " of batch " + batchIndex
                        + " failed: " + e, batchIndex, idx, e);
            }
        }
        try {
            return collate == null ? (B) Collate.stack(samples) : collate.apply(samples);
        } catch (RuntimeException | Error e) {
            throw new DataLoaderException("DataLoader: collating batch " + batchIndex + " failed: " + e,
                    batchIndex, -1, e);
        }
    }

    /** One indexSelect per array for a TensorDataset, seen through any Subsets; null otherwise. */
    private Batch fastPath(int batchIndex, int[] indices) {
        Dataset<?> d = dataset;
        int[] idx = indices;
        while (d instanceof Subset<?> sub) {
            int[] mapped = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                mapped[i] = sub.indexAt(idx[i]);
            }
            idx = mapped;
            d = sub.dataset();
        }
        if (!(d instanceof TensorDataset td)) {
            return null;
        }
        try {
            return td.batch(idx);
        } catch (RuntimeException | Error e) {
            throw new DataLoaderException("DataLoader: loading batch " + batchIndex + " failed: " + e,
                    batchIndex, -1, e);
        }
    }

    /** Options of a {@link DataLoader}. */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private int batchSize = 1;
        private boolean shuffle;
        private Long seed;
        private Generator generator;
        private boolean dropLast;
        private Sampler sampler;
        private BatchSampler batchSampler;
        private Function<? super List<T>, ? extends B> collate;
        private int numWorkers;
        private int prefetch;
        private boolean batchOptionsSet;

        private Builder(Dataset<T> dataset) {
            this.dataset = dataset;
        }

        /** Samples per batch (default 1). */
        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("DataLoader: batchSize must be >= 1, got " + batchSize);
            }
            this.batchSize = batchSize;
            batchOptionsSet = true;
            return this;
        }

        /** A new random order every epoch (default false). */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            batchOptionsSet = true;
            return this;
        }

        /** Seeds the shuffling: the same seed gives the same sequence of epochs. */
        public Builder<T, B> seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The generator for shuffling (advanced every epoch); overrides {@link #seed}. */
        public Builder<T, B> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** Drops the last, smaller batch (default false). */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            batchOptionsSet = true;
            return this;
        }

        /** The order of the indices; excludes {@link #shuffle}. */
        public Builder<T, B> sampler(Sampler sampler) {
            this.sampler = sampler;
            return this;
        }

        /** Ready-made batches of indices; excludes batchSize, shuffle, dropLast and sampler. */
        public Builder<T, B> batchSampler(BatchSampler batchSampler) {
            this.batchSampler = batchSampler;
            return this;
        }

        /** Turns a list of samples into a batch, replacing the default {@link Collate#stack}. */
        @SuppressWarnings("unchecked")
        public <C> Builder<T, C> collate(Function<? super List<T>, ? extends C> collate) {
            if (collate == null) {
                throw new IllegalArgumentException("DataLoader: collate is null");
            }
            Builder<T, C> self = (Builder<T, C>) this;
            self.collate = collate;
            return self;
        }

        /** Worker threads loading batches in the background (default 0: load on the caller's thread). */
        public Builder<T, B> numWorkers(int numWorkers) {
            if (numWorkers < 0) {
                throw new IllegalArgumentException("DataLoader: numWorkers must be >= 0, got " + numWorkers);
            }
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches loaded ahead of the consumer with workers (default {@code 2 * numWorkers}). */
        public Builder<T, B> prefetch(int prefetch) {
            if (prefetch < 1) {
                throw new IllegalArgumentException("DataLoader: prefetch must be >= 1, got " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        public DataLoader<T, B> build() {
            if (sampler != null && shuffle) {
                throw new IllegalArgumentException("DataLoader: sampler and shuffle(true) are mutually exclusive");
            }
            if (batchSampler != null && (batchOptionsSet || sampler != null)) {
                throw new IllegalArgumentException(
                        "DataLoader: batchSampler excludes batchSize, shuffle, dropLast and sampler");
            }
            return new DataLoader<>(this);
        }
    }
}
