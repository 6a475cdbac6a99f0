package io.ember.tensor;

/** One component of {@link NDArray#index}: an integer, a slice, a new axis, an ellipsis or an index array. (STUB.) */
public final class Index {
    private Index() {
    }
}
