package io.ember.gpu;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import io.ember.tensor.spi.Backend;
import io.ember.tensor.spi.Backends;
import io.ember.tensor.spi.ReduceOp;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * GPU parity of reductions and softmax: each runs through the backend SPI on the CPU and on cuda:0 with the same
 * input, for every op and dtype NDArray passes, over full, row, column, middle and multi-dim reductions (including
 * ones long enough to split over blocks), on contiguous, strided and broadcast inputs, with ties (arg indices must be
 * the CPU's), NaN and infinities. Skipped without a GPU.
 */
class ReduceParityTest {
    static final Backend CPU = Backends.cpu();

    record Case(int[] shape, int[] dims) {
        @Override
        public String toString() {
            return Arrays.toString(shape) + " over " + Arrays.toString(dims);
        }
    }

    static final Case[] CASES = {
        new Case(new int[] {0, 3}, new int[] {0}),
        new Case(new int[] {0}, new int[] {0}),
        new Case(new int[] {1}, new int[] {0}),
        new Case(new int[] {1000}, new int[] {0}),
        new Case(new int[] {(1 << 20) + 3}, new int[] {0}),
        new Case(new int[] {64, 256}, new int[] {0}),
        new Case(new int[] {64, 256}, new int[] {1}),
        new Case(new int[] {64, 256}, new int[] {0, 1}),
        new Case(new int[] {64, 10}, new int[] {0}),
        new Case(new int[] {64, 10}, new int[] {1}),
        new Case(new int[] {4, 5, 6}, new int[] {0, 2}),
        new Case(new int[] {4, 5, 6}, new int[] {1}),
        new Case(new int[] {7, 1, 9}, new int[] {1}),
        new Case(new int[] {3, 1 << 14}, new int[] {1}),
        new Case(new int[] {1 << 14, 3}, new int[] {0}),
        new Case(new int[] {200, 3000}, new int[] {0}),
    };

    enum Layout { CONTIGUOUS, STRIDED, BROADCAST }

    static int numel(int[] shape) {
        return Arrays.stream(shape).reduce(1, (p, q) -> p * q);
    }

    /**
     * Values on the CPU: floats on a coarse grid in [-1, 1) (ties), near 1 for products; optional NaN / infinities
     * at a few positions; int64 in [-20, 20]; bools mostly true (so ALL is not trivially false).
     */
    static NDArray values(DType t, int[] shape, long seed, boolean prod, boolean specials) {
        int n = numel(shape);
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = prod ? 1 + (r.nextDouble() - 0.5) * 2e-3 : Math.floor((r.nextDouble() * 2 - 1) * 50) / 50;
        }
        if (specials && n >= 100) {
            v[n / 3] = Double.NaN;
            v[n / 2] = Double.POSITIVE_INFINITY;
            v[n - 7] = Double.NaN;
            v[7] = Double.NEGATIVE_INFINITY;
        }
        return switch (t) {
            case FLOAT64 -> NDArray.of(v, shape);
            case FLOAT32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) v[i];
                }
                yield NDArray.of(f, shape);
            }
            case INT64 -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = r.nextInt(41) - 20;
                }
                yield NDArray.of(l, shape);
            }
            case BOOL -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = r.nextInt(50) != 0;
                }
                yield NDArray.of(b, shape);
            }
        };
    }

    /** x in a layout on the CPU and the GPU: BROADCAST repeats x's first row along dim 0 (stride 0). */
    static NDArray[] layout(NDArray x, Layout l, Device gpu) {
        int[] shape = x.shape().toArray();
        return switch (l) {
            case CONTIGUOUS -> new NDArray[] {x, x.to(gpu)};
            case STRIDED -> new NDArray[] {x, GpuTests.strided(x.to(gpu))};
            case BROADCAST -> new NDArray[] {x.narrow(0, 0, 1).expand(shape), x.narrow(0, 0, 1).to(gpu).expand(shape)};
        };
    }

    static int[] kept(int[] shape, int[] dims) {
        int[] k = shape.clone();
        for (int d : dims) {
            k[d] = 1;
        }
        return k;
    }

    private static void check(Device gpu, ReduceOp op, double p, DType t, boolean specials) {
        Backend cuda = Backends.of(gpu);
        DType outType = op == ReduceOp.ANY || op == ReduceOp.ALL ? DType.BOOL : t;
        double rtol = t == DType.FLOAT32 ? 1e-5 : t == DType.FLOAT64 ? 1e-9 : 0;
        double atol = t == DType.FLOAT32 ? 1e-6 : t == DType.FLOAT64 ? 1e-9 : 0;
        for (Case c : CASES) {
            boolean empty = numel(c.shape) == 0;
            if (empty && (op == ReduceOp.MAX || op == ReduceOp.MIN)) {
                continue; // an error on both backends (NDArray checks it first)
            }
            NDArray x = values(t, c.shape, 3 + c.shape.length, op == ReduceOp.PROD, specials);
            for (Layout l : empty ? List.of(Layout.CONTIGUOUS) : List.of(Layout.values())) {
                NDArray[] xs = layout(x, l, gpu);
                boolean withIndices = (op == ReduceOp.MAX || op == ReduceOp.MIN) && c.dims.length == 1;
                String what = op + (op == ReduceOp.NORM || op == ReduceOp.VAR ? "(" + p + ")" : "") + " " + t + " "
                        + c + " " + l + (specials ? " with NaN/inf" : "");
                int[] k = kept(c.shape, c.dims);
                NDArray ref = NDArray.zeros(outType, k);
                NDArray refIdx = withIndices ? NDArray.zeros(DType.INT64, k) : null;
                CPU.reduce(op, xs[0], c.dims, ref, refIdx, p);
                NDArray out = NDArray.zeros(outType, k).to(gpu);
                NDArray idx = withIndices ? NDArray.zeros(DType.INT64, k).to(gpu) : null;
                cuda.reduce(op, xs[1], c.dims, out, idx, p);
                GpuTests.assertClose(ref, out, rtol, atol, what);
                if (withIndices) {
                    GpuTests.assertSame(refIdx, idx, what + " indices");
                }
            }
        }
    }

    @Test
    void sumProdMean_everyDtype() {
        Device gpu = GpuTests.gpu();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            check(gpu, ReduceOp.SUM, 0, t, false);
            check(gpu, ReduceOp.PROD, 0, t, false);
        }
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            check(gpu, ReduceOp.MEAN, 0, t, false);
            check(gpu, ReduceOp.SUM, 0, t, true);
            check(gpu, ReduceOp.MEAN, 0, t, true);
        }
    }

    @Test
    void maxMin_valuesAndFirstIndicesOfTiesAndNan() {
        Device gpu = GpuTests.gpu();
        for (DType t : DType.values()) {
            check(gpu, ReduceOp.MAX, 0, t, false);
            check(gpu, ReduceOp.MIN, 0, t, false);
        }
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            check(gpu, ReduceOp.MAX, 0, t, true);
            check(gpu, ReduceOp.MIN, 0, t, true);
        }
    }

    @Test
    void varLogSumExpNorms_floatingTypes() {
        Device gpu = GpuTests.gpu();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (boolean specials : new boolean[] {false, true}) {
                check(gpu, ReduceOp.VAR, 1, t, specials);
                check(gpu, ReduceOp.VAR, 0, t, specials);
                check(gpu, ReduceOp.LOGSUMEXP, 0, t, specials);
                for (double p : new double[] {2, 1, 0, 3, 0.5, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
                    check(gpu, ReduceOp.NORM, p, t, specials);
                }
            }
        }
    }

    @Test
    void var_ofValuesFarFromZeroIsAccurate() {
        Device gpu = GpuTests.gpu();
        Random r = new Random(9);
        double[] v = new double[100000];
        for (int i = 0; i < v.length; i++) {
            v[i] = 1e6 + r.nextGaussian();
        }
        NDArray x = NDArray.of(v, v.length);
        NDArray ref = NDArray.zeros(DType.FLOAT64, 1);
        CPU.reduce(ReduceOp.VAR, x, new int[] {0}, ref, null, 1);
        NDArray out = NDArray.zeros(DType.FLOAT64, 1).to(gpu);
        Backends.of(gpu).reduce(ReduceOp.VAR, x.to(gpu), new int[] {0}, out, null, 1);
        GpuTests.assertClose(ref, out, 1e-12, 0, "var of 1e6 + N(0, 1)");
    }

    @Test
    void anyAll_everyDtype() {
        Device gpu = GpuTests.gpu();
        for (DType t : DType.values()) {
            check(gpu, ReduceOp.ANY, 0, t, false);
            check(gpu, ReduceOp.ALL, 0, t, false);
        }
        check(gpu, ReduceOp.ANY, 0, DType.FLOAT32, true);
        check(gpu, ReduceOp.ALL, 0, DType.FLOAT64, true);
    }

    // ------------------------------------------------------------------------------------------------ softmax

    private static void softmax(Device gpu, NDArray x, NDArray xg, int dim, String what) {
        Backend cuda = Backends.of(gpu);
        DType t = x.dtype();
        for (boolean log : new boolean[] {false, true}) {
            NDArray ref = NDArray.zeros(t, x.shape().toArray());
            CPU.softmax(x, dim, log, ref);
            NDArray out = NDArray.zeros(t, x.shape().toArray()).to(gpu);
            cuda.softmax(xg, dim, log, out);
            double rtol = t == DType.FLOAT32 ? 1e-5 : 1e-12;
            double atol = t == DType.FLOAT32 ? 1e-7 : 1e-15;
            GpuTests.assertClose(ref, out, rtol, atol, (log ? "logSoftmax " : "softmax ") + t + " " + what);
        }
    }

    @Test
    void softmax_rowsColumnsAndLongSlices() {
        Device gpu = GpuTests.gpu();
        int[][] shapes = {{64, 10}, {8, 5000}, {3, 20000}, {32, 3, 40, 40}, {1}, {0, 5}, {2, 1100, 3}};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : shapes) {
                NDArray x = GpuTests.rand(5, shape).mul(6).to(t);
                for (int dim = 0; dim < shape.length; dim++) {
                    String what = Arrays.toString(shape) + " dim " + dim;
                    softmax(gpu, x, x.to(gpu), dim, what);
                    if (numel(shape) > 0) {
                        softmax(gpu, x, GpuTests.strided(x.to(gpu)), dim, what + " strided");
                    }
                }
            }
            NDArray s = NDArray.scalar(t, 3);
            softmax(gpu, s, s.to(gpu), 0, "0-d");
        }
    }

    @Test
    void softmax_rowsWithInfinitiesAndNanGiveTheCpusNan() {
        Device gpu = GpuTests.gpu();
        double inf = Double.POSITIVE_INFINITY;
        double[] v = {
            1, 2, 3, 4, -inf, 0, //
            -inf, -inf, -inf, -inf, -inf, -inf, //
            1, inf, 2, 3, 4, 5, //
            1, 2, Double.NaN, 3, 4, 5, //
            -inf, 1, -inf, 2, -inf, 0};
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            NDArray x = NDArray.of(v, 5, 6).to(t);
            softmax(gpu, x, x.to(gpu), 1, "special rows");
            softmax(gpu, x, x.to(gpu), 0, "special columns");
        }
    }
}
