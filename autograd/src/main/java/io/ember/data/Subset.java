package io.ember.data;

import java.util.Arrays;

/** The samples of a dataset at the given indices, in that order (no copy). */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    /** A view of {@code dataset} restricted to {@code indices} (each in range). */
    public Subset(Dataset<T> dataset, int[] indices) {
        if (dataset == null) {
            throw new IllegalArgumentException("Subset: dataset is null");
        }
        int n = dataset.size();
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IllegalArgumentException("Subset: index " + indices[i] + " at position " + i
                        + " is out of range for a dataset of size " + n);
            }
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    /** The underlying dataset. */
    public Dataset<T> dataset() {
        return dataset;
    }

    /** The indices into the underlying dataset (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    int indexAt(int i) {
        return indices[i];
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public T get(int index) {
        Datasets.checkIndex("Subset", index, indices.length);
        return dataset.get(indices[index]);
    }

    @Override
    public String toString() {
        return "Subset(size=" + indices.length + ", of " + dataset + ")"
                + (indices.length <= 8 ? " " + Arrays.toString(indices) : "");
    }
}
