package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;

/**
 * Strided iteration over operands of one shape. Dims of size 1 are dropped and adjacent dims that
 * every operand lays out contiguously are merged, so a contiguous array is one row. The body is
 * called once per innermost row with each operand's start offset and inner stride; rows (or, for
 * a single long row, pieces of it) are split over {@link Parallel}.
 */
final class Loop {
    /** Elements per parallel chunk. */
    static final int GRAIN = 1 << 15;

    interface Body {
        /** Must not modify {@code off} or {@code st}. */
        void row(int[] off, int n, int[] st);
    }

    private Loop() {
    }

    static void forEach(int[] shape, NDArray[] ops, Body body) {
        forEach(shape, ops, GRAIN, body);
    }

    static void forEach(int[] shape, NDArray[] ops, int grain, Body body) {
        int k = ops.length;
        int rank = shape.length;
        int[] dims = new int[Math.max(rank, 1)];
        int[][] st = new int[k][Math.max(rank, 1)];
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (shape[d] == 0) {
                return;
            }
            if (shape[d] == 1) {
                continue;
            }
            boolean merge = r > 0;
            for (int j = 0; j < k && merge; j++) {
                merge = st[j][r - 1] == ops[j].stride(d) * shape[d];
            }
            if (merge) {
                dims[r - 1] *= shape[d];
                for (int j = 0; j < k; j++) {
                    st[j][r - 1] = ops[j].stride(d);
                }
            } else {
                dims[r] = shape[d];
                for (int j = 0; j < k; j++) {
                    st[j][r] = ops[j].stride(d);
                }
                r++;
            }
        }
        if (r == 0) {
            dims[0] = 1;
            r = 1;
        }
        int[] base = new int[k];
        int[] inner = new int[k];
        for (int j = 0; j < k; j++) {
            base[j] = ops[j].offset();
            inner[j] = st[j][r - 1];
        }
        int n = dims[r - 1];
        int rows = 1;
        for (int d = 0; d < r - 1; d++) {
            rows *= dims[d];
        }
        final int outer = r - 1;
        if (rows == 1) {
            Parallel.forRange(n, grain, (lo, hi) -> {
                int[] off = new int[k];
                for (int j = 0; j < k; j++) {
                    off[j] = base[j] + lo * inner[j];
                }
                body.row(off, hi - lo, inner);
            });
            return;
        }
        int grainRows = Math.max(1, grain / Math.max(n, 1));
        Parallel.forRange(rows, grainRows, (lo, hi) -> {
            int[] idx = new int[outer];
            int[] off = base.clone();
            int rem = lo;
            for (int d = outer - 1; d >= 0; d--) {
                idx[d] = rem % dims[d];
                rem /= dims[d];
                for (int j = 0; j < k; j++) {
                    off[j] += idx[d] * st[j][d];
                }
            }
            for (int row = lo; row < hi; row++) {
                body.row(off, n, inner);
                for (int d = outer - 1; d >= 0; d--) {
                    if (++idx[d] < dims[d]) {
                        for (int j = 0; j < k; j++) {
                            off[j] += st[j][d];
                        }
                        break;
                    }
                    idx[d] = 0;
                    for (int j = 0; j < k; j++) {
                        off[j] -= (dims[d] - 1) * st[j][d];
                    }
                }
            }
        });
    }
}
