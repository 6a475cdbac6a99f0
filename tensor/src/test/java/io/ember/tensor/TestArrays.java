package io.ember.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Test helpers that build arrays element by element with {@code set}/{@code getDouble}, so that
 * reference values and layouts do not depend on the kernels under test.
 */
public final class TestArrays {
    private TestArrays() {
    }

    /** Calls {@code f} with every index of a shape, row-major (the array is reused between calls). */
    public static void forEachIndex(int[] shape, Consumer<int[]> f) {
        int n = Shape.numel(shape);
        int[] idx = new int[shape.length];
        for (int c = 0; c < n; c++) {
            f.accept(idx);
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
    }

    /** Random values: floats in [-2, 2), int64 in [-5, 5), bools half true. */
    public static NDArray random(long seed, DType dtype, int... shape) {
        java.util.Random r = new java.util.Random(seed);
        NDArray x = NDArray.zeros(dtype, shape);
        forEachIndex(shape, idx -> {
            double v = switch (dtype) {
                case FLOAT32, FLOAT64 -> r.nextDouble() * 4 - 2;
                case INT64 -> r.nextInt(10) - 5;
                case BOOL -> r.nextBoolean() ? 1 : 0;
            };
            x.set(v, idx);
        });
        return x;
    }

    /** Row-major values read one by one. */
    public static double[] values(NDArray x) {
        double[] v = new double[x.numel()];
        int[] k = {0};
        forEachIndex(x.shape().toArray(), idx -> v[k[0]++] = x.getDouble(idx));
        return v;
    }

    /**
     * The same logical values in several layouts: a contiguous copy, a permuted view of storage laid
     * out in reverse dim order, a stepped view (every other element of a wider array), and a view at
     * a non-zero offset inside a larger array. All but the first are non-contiguous for rank >= 1
     * (when the dims allow it).
     */
    public static List<NDArray> layouts(NDArray x) {
        int[] shape = x.shape().toArray();
        int rank = shape.length;
        List<NDArray> out = new ArrayList<>();
        NDArray contiguous = NDArray.zeros(x.dtype(), shape);
        forEachIndex(shape, idx -> contiguous.set(x.getDouble(idx), idx));
        out.add(contiguous);
        if (rank == 0) {
            return out;
        }
        int[] rev = new int[rank];
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) {
            rev[i] = shape[rank - 1 - i];
            perm[i] = rank - 1 - i;
        }
        NDArray store = NDArray.zeros(x.dtype(), rev);
        NDArray permuted = store.permute(perm);
        forEachIndex(shape, idx -> permuted.set(x.getDouble(idx), idx));
        out.add(permuted);

        int[] wide = shape.clone();
        wide[rank - 1] = shape[rank - 1] * 2;
        NDArray wideStore = NDArray.full(x.dtype(), 7, wide);
        NDArray stepped = wideStore.slice(rank - 1, 0, wide[rank - 1], 2);
        forEachIndex(shape, idx -> stepped.set(x.getDouble(idx), idx));
        out.add(stepped);

        int[] bigger = shape.clone();
        for (int i = 0; i < rank; i++) {
            bigger[i] = shape[i] + 2;
        }
        NDArray big = NDArray.full(x.dtype(), -3, bigger);
        NDArray inner = big;
        for (int i = 0; i < rank; i++) {
            inner = inner.narrow(i, 1, shape[i]);
        }
        NDArray offsetView = inner;
        forEachIndex(shape, idx -> offsetView.set(x.getDouble(idx), idx));
        out.add(offsetView);
        return out;
    }
}
