package io.ember.spark.train;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named arrays held as doubles, for shipping parameters and optimizer state between the driver and the tasks and for
 * summing them: a task sends its arrays multiplied by its sample count, the sums meet in treeAggregate, and the
 * driver divides by the total. With one worker this gives back the exact float32 values (w * n / n in double is exact
 * for float w and n below 2^29).
 */
final class ArrayMap implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String[] keys;
    private final int[][] shapes;
    private final DType[] dtypes;
    private final double[][] values;

    private ArrayMap(String[] keys, int[][] shapes, DType[] dtypes, double[][] values) {
        this.keys = keys;
        this.shapes = shapes;
        this.dtypes = dtypes;
        this.values = values;
    }

    /** {@code arrays} (in their order) times {@code weight}. */
    static ArrayMap weighted(Map<String, NDArray> arrays, double weight) {
        int n = arrays.size();
        String[] keys = new String[n];
        int[][] shapes = new int[n][];
        DType[] dtypes = new DType[n];
        double[][] values = new double[n][];
        int i = 0;
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            NDArray a = e.getValue();
            keys[i] = e.getKey();
            shapes[i] = a.shape().toArray();
            dtypes[i] = a.dtype();
            double[] v = a.toDoubleArray();
            if (weight != 1.0) {
                for (int j = 0; j < v.length; j++) {
                    v[j] *= weight;
                }
            }
            values[i++] = v;
        }
        return new ArrayMap(keys, shapes, dtypes, values);
    }

    static ArrayMap of(Map<String, NDArray> arrays) {
        return weighted(arrays, 1.0);
    }

    /** Adds {@code other} into this one (same keys and shapes, in the same order). */
    ArrayMap addInPlace(ArrayMap other) {
        if (!Arrays.equals(keys, other.keys)) {
            throw new IllegalStateException("ArrayMap: cannot add arrays named " + Arrays.toString(other.keys)
                    + " to " + Arrays.toString(keys));
        }
        for (int i = 0; i < values.length; i++) {
            double[] a = values[i];
            double[] b = other.values[i];
            if (a.length != b.length) {
                throw new IllegalStateException("ArrayMap: '" + keys[i] + "' has " + b.length + " values, expected "
                        + a.length);
            }
            for (int j = 0; j < a.length; j++) {
                a[j] += b[j];
            }
        }
        return this;
    }

    /** The arrays divided by {@code divisor}, in their own dtypes (integers rounded). */
    Map<String, NDArray> toArrays(double divisor) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            double[] v = values[i];
            double[] d = new double[v.length];
            for (int j = 0; j < v.length; j++) {
                d[j] = v[j] / divisor;
            }
            NDArray a = NDArray.of(d, shapes[i]);
            if (dtypes[i] == DType.INT64) {
                a = a.round();
            }
            out.put(keys[i], a.to(dtypes[i]));
        }
        return out;
    }

    Map<String, NDArray> toArrays() {
        return toArrays(1.0);
    }

    int size() {
        return keys.length;
    }
}
