package io.ember.tensor;

/** What {@code max(dim)}, {@code min(dim)} and {@code maxPool2d} return: values and INT64 indices. */
public record ValuesIndices(NDArray values, NDArray indices) {
}
