package io.ember.data;

/**
 * The order in which a {@link DataLoader} visits a dataset's indices. Each call to
 * {@link #iterator()} starts a new epoch; random samplers draw a new order from their generator
 * every epoch, so a sampler built with the same seed gives the same sequence of epochs.
 */
public interface Sampler extends Iterable<Integer> {
    /** The number of indices in one epoch. */
    int size();
}
