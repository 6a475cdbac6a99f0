package io.ember.data;

/**
 * A map-style dataset: a fixed number of samples, each reachable by its index, like PyTorch's
 * {@code torch.utils.data.Dataset}. A {@link DataLoader} with worker threads calls {@link #get}
 * from several threads at once, so implementations must allow concurrent reads.
 *
 * @param <T> the type of one sample
 */
public interface Dataset<T> {
    /** The number of samples. */
    int size();

    /** The sample at {@code index}, {@code 0 <= index < size()}. */
    T get(int index);
}
