package io.ember.spark.data;

import io.ember.tensor.DType;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/**
 * Rows turned into tensors: {@code features} {@code [n, ...shape]} (FLOAT32) and {@code labels} {@code [n]} (INT64
 * class indices, or FLOAT32 targets), or no labels. Serializable (shapes and the raw arrays, nothing else), so that
 * Spark can ship or spill it.
 */
public final class TensorBatch implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient NDArray features;
    private transient NDArray labels;

    /** A batch of {@code features} and {@code labels} (may be null); both have the same first dimension. */
    public TensorBatch(NDArray features, NDArray labels) {
        if (features == null) {
            throw new IllegalArgumentException("TensorBatch: features are null");
        }
        if (features.shape().rank() < 1) {
            throw new IllegalArgumentException("TensorBatch: features must have a batch dimension, got shape "
                    + features.shape());
        }
        if (labels != null && (labels.shape().rank() < 1 || labels.shape().get(0) != features.shape().get(0))) {
            throw new IllegalArgumentException("TensorBatch: labels " + labels.shape() + " do not match features "
                    + features.shape() + " in the first dimension");
        }
        this.features = features;
        this.labels = labels;
    }

    public NDArray features() {
        return features;
    }

    /** The labels, or null when the batch has none. */
    public NDArray labels() {
        return labels;
    }

    /** The number of rows. */
    public int size() {
        return features.shape().get(0);
    }

    /** Rows {@code [start, end)} as views (no copy). */
    public TensorBatch rows(int start, int end) {
        return new TensorBatch(features.narrow(0, start, end - start),
                labels == null ? null : labels.narrow(0, start, end - start));
    }

    /** The rows at {@code index} (INT64 [k]) as a new batch. */
    public TensorBatch select(NDArray index) {
        return new TensorBatch(features.indexSelect(0, index), labels == null ? null : labels.indexSelect(0, index));
    }

    /** The batches' rows in order, as one batch. All must have the same feature shape and label dtype. */
    public static TensorBatch concat(List<TensorBatch> batches) {
        if (batches.isEmpty()) {
            throw new IllegalArgumentException("TensorBatch.concat: no batches");
        }
        if (batches.size() == 1) {
            return batches.get(0);
        }
        NDArray[] f = new NDArray[batches.size()];
        NDArray[] l = batches.get(0).labels == null ? null : new NDArray[batches.size()];
        for (int i = 0; i < f.length; i++) {
            TensorBatch b = batches.get(i);
            f[i] = b.features;
            if ((b.labels == null) != (l == null)) {
                throw new IllegalArgumentException("TensorBatch.concat: batch " + i
                        + (l == null ? " has labels, batch 0 has none" : " has no labels, batch 0 has"));
            }
            if (l != null) {
                l[i] = b.labels;
            }
        }
        return new TensorBatch(NDArray.cat(0, f), l == null ? null : NDArray.cat(0, l));
    }

    @Override
    public String toString() {
        return "TensorBatch(features=" + features.shape() + " " + features.dtype()
                + (labels == null ? ", no labels" : ", labels=" + labels.shape() + " " + labels.dtype()) + ")";
    }

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        writeArray(out, features);
        out.writeBoolean(labels != null);
        if (labels != null) {
            writeArray(out, labels);
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        features = readArray(in);
        labels = in.readBoolean() ? readArray(in) : null;
    }

    private static void writeArray(ObjectOutputStream out, NDArray a) throws IOException {
        out.writeUTF(a.dtype().name());
        out.writeObject(a.shape().toArray());
        switch (a.dtype()) {
            case FLOAT32 -> out.writeObject(a.toFloatArray());
            case FLOAT64 -> out.writeObject(a.toDoubleArray());
            case INT64 -> out.writeObject(a.toLongArray());
            default -> throw new IOException("TensorBatch: cannot serialize dtype " + a.dtype());
        }
    }

    private static NDArray readArray(ObjectInputStream in) throws IOException, ClassNotFoundException {
        DType dtype = DType.valueOf(in.readUTF());
        int[] shape = (int[]) in.readObject();
        Object data = in.readObject();
        HostStorage s = switch (dtype) {
            case FLOAT32 -> HostStorage.wrap((float[]) data);
            case FLOAT64 -> HostStorage.wrap((double[]) data);
            case INT64 -> HostStorage.wrap((long[]) data);
            default -> throw new IOException("TensorBatch: unexpected dtype " + dtype);
        };
        return NDArray.fromStorage(s, shape);
    }
}
