package io.ember.data;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Arrays that share their first dimension, such as features {@code [n, 784]} and labels {@code [n]};
 * sample {@code i} is row {@code i} of each, as a list of tensors (views, no copy). A
 * {@link DataLoader} with the default collate batches it with one {@code indexSelect} per array.
 */
public final class TensorDataset implements Dataset<List<Tensor>> {
    private final List<NDArray> arrays;

    private TensorDataset(List<NDArray> arrays) {
        if (arrays.isEmpty()) {
            throw new IllegalArgumentException("TensorDataset: expected at least one tensor, got none");
        }
        for (int i = 0; i < arrays.size(); i++) {
            NDArray a = arrays.get(i);
            if (a == null) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " is null");
            }
            if (a.dim() == 0) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i
                        + " is a scalar (shape []); every tensor needs a first dimension of samples");
            }
        }
        int n = arrays.get(0).size(0);
        for (int i = 1; i < arrays.size(); i++) {
            if (arrays.get(i).size(0) != n) {
                throw new IllegalArgumentException("TensorDataset: all tensors must have the same size in dim 0, "
                        + "but tensor 0 " + arrays.get(0).shape() + " has " + n + " and tensor " + i + " "
                        + arrays.get(i).shape() + " has " + arrays.get(i).size(0));
            }
        }
        this.arrays = Collections.unmodifiableList(new ArrayList<>(arrays));
    }

    /** A dataset over raw arrays (not copied). */
    public static TensorDataset of(NDArray... arrays) {
        return new TensorDataset(Arrays.asList(arrays));
    }

    /** A dataset over the tensors' data (not copied; gradients are not tracked through loading). */
    public static TensorDataset of(Tensor... tensors) {
        List<NDArray> list = new ArrayList<>(tensors.length);
        for (int i = 0; i < tensors.length; i++) {
            if (tensors[i] == null) {
                throw new IllegalArgumentException("TensorDataset: tensor " + i + " is null");
            }
            list.add(tensors[i].data());
        }
        return new TensorDataset(list);
    }

    /** The arrays, in order. */
    public List<NDArray> arrays() {
        return arrays;
    }

    @Override
    public int size() {
        return arrays.get(0).size(0);
    }

    @Override
    public List<Tensor> get(int index) {
        Datasets.checkIndex("TensorDataset", index, size());
        List<Tensor> row = new ArrayList<>(arrays.size());
        for (NDArray a : arrays) {
            row.add(Tensor.of(a.select(0, index)));
        }
        return Collections.unmodifiableList(row);
    }

    /** The rows {@code indices} of every array, gathered with one indexSelect each. */
    Batch batch(int[] indices) {
        long[] idx = new long[indices.length];
        int n = size();
        for (int i = 0; i < indices.length; i++) {
            Datasets.checkIndex("TensorDataset", indices[i], n);
            idx[i] = indices[i];
        }
        NDArray index = NDArray.of(idx, idx.length);
        List<Tensor> out = new ArrayList<>(arrays.size());
        for (NDArray a : arrays) {
            out.add(Tensor.of(a.indexSelect(0, index)));
        }
        return new Batch(out);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TensorDataset(size=").append(size());
        for (NDArray a : arrays) {
            sb.append(", ").append(a.dtype()).append(a.shape());
        }
        return sb.append(')').toString();
    }
}
