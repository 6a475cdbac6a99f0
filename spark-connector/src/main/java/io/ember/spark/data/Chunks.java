package io.ember.spark.data;

import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import java.util.List;

/** Converted chunks joined into one {@link TensorBatch} (one copy; none for a single exact chunk). */
final class Chunks {
    private Chunks() {
    }

    static TensorBatch toBatch(List<ArrowConverter.Chunk> chunks, InputSpec spec) {
        int[] example = spec.exampleShape();
        int width = spec.exampleSize();
        long total = 0;
        for (ArrowConverter.Chunk c : chunks) {
            total += c.rows();
        }
        if (total * width > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("TensorBatch: " + total + " rows of " + width
                    + " values do not fit one array; use more partitions");
        }
        int n = (int) total;
        InputSpec.LabelKind kind = spec.labelKind();
        float[] features;
        long[] classes = null;
        float[] targets = null;
        ArrowConverter.Chunk only = chunks.size() == 1 ? chunks.get(0) : null;
        if (only != null && only.features().length == n * width) {
            features = only.features();
            classes = only.classes();
            targets = only.targets();
        } else {
            features = new float[n * width];
            classes = kind == InputSpec.LabelKind.CLASS ? new long[n] : null;
            targets = kind == InputSpec.LabelKind.REGRESSION ? new float[n] : null;
            int at = 0;
            for (ArrowConverter.Chunk c : chunks) {
                System.arraycopy(c.features(), 0, features, at * width, c.rows() * width);
                if (classes != null) {
                    System.arraycopy(c.classes(), 0, classes, at, c.rows());
                }
                if (targets != null) {
                    System.arraycopy(c.targets(), 0, targets, at, c.rows());
                }
                at += c.rows();
            }
        }
        int[] shape = new int[example.length + 1];
        shape[0] = n;
        System.arraycopy(example, 0, shape, 1, example.length);
        NDArray f = NDArray.fromStorage(HostStorage.wrap(features), shape);
        NDArray l = classes != null ? NDArray.fromStorage(HostStorage.wrap(classes), n)
                : targets != null ? NDArray.fromStorage(HostStorage.wrap(targets), n) : null;
        return new TensorBatch(f, l);
    }
}
