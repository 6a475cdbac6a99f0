package io.ember.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Several datasets one after the other: indices of the second start at the first's size. */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<? extends T>> datasets;
    private final int[] ends;

    /** The concatenation of {@code datasets}, in order. */
    public ConcatDataset(List<? extends Dataset<? extends T>> datasets) {
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("ConcatDataset: expected at least one dataset, got none");
        }
        this.datasets = Collections.unmodifiableList(new ArrayList<>(datasets));
        ends = new int[datasets.size()];
        long total = 0;
        for (int i = 0; i < ends.length; i++) {
            total += datasets.get(i).size();
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ConcatDataset: more than " + Integer.MAX_VALUE + " samples");
            }
            ends[i] = (int) total;
        }
    }

    @SafeVarargs
    public static <T> ConcatDataset<T> of(Dataset<? extends T>... datasets) {
        return new ConcatDataset<>(Arrays.asList(datasets));
    }

    /** The parts, in order. */
    public List<Dataset<? extends T>> datasets() {
        return datasets;
    }

    @Override
    public int size() {
        return ends[ends.length - 1];
    }

    @Override
    public T get(int index) {
        Datasets.checkIndex("ConcatDataset", index, size());
        // first part whose end is beyond index
        int lo = 0;
        int hi = ends.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] > index) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int start = lo == 0 ? 0 : ends[lo - 1];
        return datasets.get(lo).get(index - start);
    }
}
