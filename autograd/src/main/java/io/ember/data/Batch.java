package io.ember.data;

import io.ember.autograd.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * One batch from the default collate: a list of tensors whose first dimension is the batch, in
 * the order of the sample's fields ({@code get(0)} the features, {@code get(1)} the labels for a
 * {@code TensorDataset.of(x, y)}).
 */
public final class Batch implements Iterable<Tensor> {
    private final List<Tensor> tensors;

    /** A batch of the given tensors (not copied). */
    public Batch(List<Tensor> tensors) {
        if (tensors.isEmpty()) {
            throw new IllegalArgumentException("Batch: expected at least one tensor, got none");
        }
        this.tensors = Collections.unmodifiableList(new ArrayList<>(tensors));
    }

    /** Field {@code i} of the batch. */
    public Tensor get(int i) {
        if (i < 0 || i >= tensors.size()) {
            throw new IndexOutOfBoundsException("Batch.get: index " + i + " out of range for a batch of "
                    + tensors.size() + " tensors");
        }
        return tensors.get(i);
    }

    /** The number of tensors (fields), not the number of samples. */
    public int size() {
        return tensors.size();
    }

    /** The number of samples: the first dimension of the first tensor. */
    public int batchSize() {
        Tensor t = tensors.get(0);
        return t.dim() == 0 ? 1 : t.size(0);
    }

    /** The tensors, unmodifiable. */
    public List<Tensor> tensors() {
        return tensors;
    }

    @Override
    public Iterator<Tensor> iterator() {
        return tensors.iterator();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Batch(");
        for (int i = 0; i < tensors.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(tensors.get(i).dtype()).append(tensors.get(i).shape());
        }
        return sb.append(')').toString();
    }
}
