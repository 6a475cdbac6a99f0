package io.ember.spark.train;

import io.ember.tensor.DType;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named arrays for shipping parameters and optimizer state between the driver and the tasks, and for summing them.
 * A task sends its arrays as they are (float32 stays float32: half the bytes of doubles) with a weight, its sample
 * count; the first sum turns them into doubles times the weight, treeAggregate adds those, and the driver divides by
 * the total. With one worker this gives back the exact float32 values (w * n / n in double is exact for float w and
 * n below 2^29).
 */
final class ArrayMap implements Serializable {
    @Serial
    private static final long serialVersionUID = 2L;

    private final String[] keys;
    private final int[][] shapes;
    private final DType[] dtypes;
    /** Per entry: the raw float[] (FLOAT32, to be multiplied by {@code weight}) or double[] sums (already weighted). */
    private final Object[] values;
    private final double weight;

    private ArrayMap(String[] keys, int[][] shapes, DType[] dtypes, Object[] values, double weight) {
        this.keys = keys;
        this.shapes = shapes;
        this.dtypes = dtypes;
        this.values = values;
        this.weight = weight;
    }

    /** {@code arrays} (in their order) with the weight {@code weight}; the values are copied. */
    static ArrayMap weighted(Map<String, NDArray> arrays, double weight) {
        int n = arrays.size();
        String[] keys = new String[n];
        int[][] shapes = new int[n][];
        DType[] dtypes = new DType[n];
        Object[] values = new Object[n];
        int i = 0;
        for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
            NDArray a = e.getValue();
            keys[i] = e.getKey();
            shapes[i] = a.shape().toArray();
            dtypes[i] = a.dtype();
            if (a.dtype() == DType.FLOAT32) {
                values[i] = a.toFloatArray();
            } else {
                double[] v = a.toDoubleArray();
                for (int j = 0; j < v.length; j++) {
                    v[j] *= weight;
                }
                values[i] = v;
            }
            i++;
        }
        return new ArrayMap(keys, shapes, dtypes, values, weight);
    }

    static ArrayMap of(Map<String, NDArray> arrays) {
        return weighted(arrays, 1.0);
    }

    /** The sum of this and {@code other} (same keys and shapes, in the same order), in doubles. */
    ArrayMap plus(ArrayMap other) {
        if (!Arrays.equals(keys, other.keys)) {
            throw new IllegalStateException("ArrayMap: cannot add arrays named " + Arrays.toString(other.keys)
                    + " to " + Arrays.toString(keys));
        }
        Object[] sums = new Object[values.length];
        for (int i = 0; i < values.length; i++) {
            double[] a = sum(i);
            if (values[i] instanceof float[] f && a.length != f.length || other.length(i) != a.length) {
                throw new IllegalStateException("ArrayMap: '" + keys[i] + "' has " + other.length(i)
                        + " values, expected " + a.length);
            }
            if (other.values[i] instanceof float[] f) {
                double w = other.weight;
                for (int j = 0; j < a.length; j++) {
                    a[j] += f[j] * w;
                }
            } else {
                double[] b = (double[]) other.values[i];
                for (int j = 0; j < a.length; j++) {
                    a[j] += b[j];
                }
            }
            sums[i] = a;
        }
        return new ArrayMap(keys, shapes, dtypes, sums, 1.0);
    }

    private int length(int i) {
        return values[i] instanceof float[] f ? f.length : ((double[]) values[i]).length;
    }

    /** Entry {@code i} as weighted doubles: a fresh array when raw, else the sums themselves. */
    private double[] sum(int i) {
        if (values[i] instanceof float[] f) {
            double[] d = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                d[j] = f[j] * weight;
            }
            return d;
        }
        return (double[]) values[i];
    }

    /** The arrays divided by {@code divisor} (the weighted sum over the total weight), in their own dtypes. */
    Map<String, NDArray> toArrays(double divisor) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            if (values[i] instanceof float[] f && weight == divisor) {
                out.put(keys[i], NDArray.fromStorage(HostStorage.wrap(f.clone()), shapes[i]));
                continue;
            }
            double[] v = sum(i);
            if (dtypes[i] == DType.FLOAT32) {
                float[] r = new float[v.length];
                for (int j = 0; j < v.length; j++) {
                    r[j] = (float) (v[j] / divisor);
                }
                out.put(keys[i], NDArray.fromStorage(HostStorage.wrap(r), shapes[i]));
            } else {
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
        }
        return out;
    }

    /** The arrays as sent (a map made with weight 1). */
    Map<String, NDArray> toArrays() {
        return toArrays(weight);
    }
}
