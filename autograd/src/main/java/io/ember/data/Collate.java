package io.ember.data;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The default collate of a {@link DataLoader}: stacks samples into a {@link Batch}, like PyTorch's
 * {@code default_collate}. A sample may be a {@link Tensor}, an {@link NDArray}, a {@link Number}
 * or {@link Boolean}, or a {@link List} of those (one batch tensor per position). Integers stack
 * to INT64, floats to FLOAT32, doubles to FLOAT64, booleans to BOOL.
 */
public final class Collate {
    private Collate() {
    }

    /** Stacks {@code samples} (at least one) along a new first dimension. */
    public static Batch stack(List<?> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("collate: expected at least one sample, got none");
        }
        Object first = samples.get(0);
        if (!(first instanceof List<?> fields)) {
            List<Object> column = new ArrayList<>(samples);
            return new Batch(List.of(Tensor.of(stackField(-1, column))));
        }
        int width = fields.size();
        List<Tensor> out = new ArrayList<>(width);
        for (int f = 0; f < width; f++) {
            List<Object> column = new ArrayList<>(samples.size());
            for (int s = 0; s < samples.size(); s++) {
                if (!(samples.get(s) instanceof List<?> row) || row.size() != width) {
                    throw new IllegalArgumentException("collate: sample 0 is a list of " + width
                            + " fields but sample " + s + " is " + describe(samples.get(s)));
                }
                column.add(row.get(f));
            }
            out.add(Tensor.of(stackField(f, column)));
        }
        return new Batch(out);
    }

    private static String describe(Object o) {
        if (o instanceof List<?> l) {
            return "a list of " + l.size() + " fields";
        }
        return o == null ? "null" : "a " + o.getClass().getSimpleName();
    }

    private static NDArray stackField(int field, List<Object> column) {
        String where = field < 0 ? "" : " field " + field + ":";
        Object first = column.get(0);
        if (first instanceof Tensor || first instanceof NDArray) {
            List<NDArray> arrays = new ArrayList<>(column.size());
            for (int s = 0; s < column.size(); s++) {
                Object o = column.get(s);
                NDArray a = o instanceof Tensor t ? t.data() : o instanceof NDArray n ? n : null;
                if (a == null) {
                    throw new IllegalArgumentException("collate:" + where + " sample 0 is a tensor but sample " + s
                            + " is " + describe(o));
                }
                if (!a.shape().equals(arrays.isEmpty() ? a.shape() : arrays.get(0).shape())) {
                    throw new IllegalArgumentException("collate:" + where + " cannot stack samples of different shapes: "
                            + "sample 0 " + arrays.get(0).shape() + ", sample " + s + " " + a.shape());
                }
                arrays.add(a);
            }
            return NDArray.stack(arrays, 0);
        }
        if (first instanceof Number || first instanceof Boolean) {
            return scalars(where, column);
        }
        throw new IllegalArgumentException("collate:" + where + " cannot stack samples of type "
                + describe(first) + "; pass DataLoader.Builder.collate(...)");
    }

    private static NDArray scalars(String where, List<Object> column) {
        int n = column.size();
        Object first = column.get(0);
        for (int s = 0; s < n; s++) {
            Object o = column.get(s);
            if (o == null || o.getClass() != first.getClass()) {
                throw new IllegalArgumentException("collate:" + where + " sample 0 is a "
                        + first.getClass().getSimpleName() + " but sample " + s + " is " + describe(o));
            }
        }
        if (first instanceof Boolean) {
            boolean[] v = new boolean[n];
            for (int s = 0; s < n; s++) {
                v[s] = (Boolean) column.get(s);
            }
            return NDArray.of(v, n);
        }
        if (first instanceof Double) {
            double[] v = new double[n];
            for (int s = 0; s < n; s++) {
                v[s] = ((Number) column.get(s)).doubleValue();
            }
            return NDArray.of(v, n);
        }
        if (first instanceof Float) {
            float[] v = new float[n];
            for (int s = 0; s < n; s++) {
                v[s] = ((Number) column.get(s)).floatValue();
            }
            return NDArray.of(v, n);
        }
        if (first instanceof Long || first instanceof Integer || first instanceof Short || first instanceof Byte) {
            long[] v = new long[n];
            for (int s = 0; s < n; s++) {
                v[s] = ((Number) column.get(s)).longValue();
            }
            return NDArray.of(v, n);
        }
        throw new IllegalArgumentException("collate:" + where + " cannot stack numbers of type "
                + first.getClass().getSimpleName());
    }
}
