package io.ember.gpu;

import io.ember.gpu.cuda.Kernel;
import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import io.ember.tensor.spi.ReduceOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Reductions and softmax (module {@code reduce}). A reduction is one launch (two when a few long reductions are
 * split over many blocks): the kept dims and the reduced dims each become a coalesced stride table, and
 * {@link #plan} picks the thread layout: a warp or block per output when the reduced elements are contiguous (row
 * sums, full reductions), threads across outputs when the kept dim is contiguous (column sums such as bias
 * gradients). Floating values accumulate in double, like the CPU backend; int64 values wrap like Java's long.
 * MAX/MIN pick the first extreme (or first NaN), as the CPU does, whatever the order the threads combine in.
 */
final class CudaReduce {
    static final String MODULE = "reduce";
    /** Most threads per block (the kernels' shared arrays are sized for it). */
    static final int MAX_THREADS = 512;
    /** Below this many blocks a launch splits long reductions over more blocks (about 4 per H100 SM). */
    static final int TARGET_BLOCKS = 512;
    /** A split is worth it only when each thread still reduces at least this many elements. */
    static final int MIN_PER_THREAD = 8;
    static final int MAX_SPLITS = 1024;
    /** Reductions this short take the column layout even when contiguous (a warp each would idle most lanes). */
    static final int SHORT = 16;
    /** Softmax slices over fewer rows than this use a warp or block per slice even when strided. */
    static final int SOFTMAX_COLS_MIN_ROWS = 1024;
    /** Bytes reserved per partial state (reduce.cu asserts every accumulator fits; variance's is 32). */
    static final int PARTIAL_BYTES = 32;

    private static final DType[] FLOATING = {DType.FLOAT32, DType.FLOAT64};

    private CudaReduce() {
    }

    // ------------------------------------------------------------------------------------------------ reduce

    static void reduce(ReduceOp op, NDArray x, int[] dims, NDArray out, NDArray indices, double p) {
        String kind = kind(op, p);
        DType t = x.dtype();
        if (!supported(op, t)) {
            throw new UnsupportedOperationException(name(op) + ": not defined for " + t);
        }
        DType outType = op == ReduceOp.ANY || op == ReduceOp.ALL ? DType.BOOL : t;
        if (out.dtype() != outType) {
            throw new IllegalArgumentException(name(op) + ": out is " + out.dtype() + ", expected " + outType);
        }
        if (indices != null && ((op != ReduceOp.MAX && op != ReduceOp.MIN) || dims.length != 1
                || indices.dtype() != DType.INT64 || indices.numel() != out.numel())) {
            throw new IllegalArgumentException(name(op) + ": indices need max or min over one dim and an int64"
                    + " array of the output's size; got " + Arrays.toString(dims) + " and " + indices.dtype() + " "
                    + indices.shape());
        }
        int outs = out.numel();
        if (outs == 0) {
            return;
        }
        long m = 1;
        for (int d : dims) {
            m *= x.size(d);
        }
        if (m == 0) {
            if (op == ReduceOp.MAX || op == ReduceOp.MIN) {
                throw new IllegalArgumentException(op + ": cannot reduce over an empty slice");
            }
            CudaElementwise.fill(out, emptyValue(op));
            return;
        }
        if (!out.isContiguous() || (indices != null && !indices.isContiguous())) {
            reduceIntoTemporaries(op, x, dims, out, indices, p);
            return;
        }
        int[][] tables = tables(x.shape().toArray(), x.strides(), dims, indices != null);
        int[] plan = plan(outs, m, innerStride(tables[0]), innerStride(tables[1]));
        int col = plan[0];
        int bx = plan[1];
        int by = plan[2];
        int gridX = plan[3];
        int splits = plan[4];
        int device = Kernels.device(x);
        String sfx = Kernels.suffix(t);
        Kernel k = Kernels.get(device, MODULE, "reduce_" + kind + "_" + sfx);
        long idx = indices == null ? 0L : Kernels.ptr(indices);
        if (splits == 1) {
            k.launch(gridX, 1, 1, bx, by, 1, 0, Kernels.ptr(x), Kernels.ptr(out), idx, 0L, tables[0], tables[1],
                    outs, (int) m, col, 1, p);
            return;
        }
        CudaStorage partial = CudaBackend.allocateUninitialized(out.device(), DType.FLOAT64,
                splits * outs * (PARTIAL_BYTES / 8));
        try {
            k.launch(gridX, splits, 1, bx, by, 1, 0, Kernels.ptr(x), Kernels.ptr(out), idx, partial.address(),
                    tables[0], tables[1], outs, (int) m, col, splits, p);
            Kernel fin = Kernels.get(device, MODULE, "reduce_final_" + kind + "_" + sfx);
            fin.launch(outs, 1, 1, plan[5], 1, 1, 0, partial.address(), Kernels.ptr(out), idx, outs, splits, (int) m,
                    p);
        } finally {
            partial.close(); // launches run in order on the one stream: later users of the block come after
        }
    }

    private static void reduceIntoTemporaries(ReduceOp op, NDArray x, int[] dims, NDArray out, NDArray indices,
            double p) {
        int[] shape = out.shape().toArray();
        CudaStorage o = CudaBackend.allocateUninitialized(out.device(), out.dtype(), out.numel());
        CudaStorage i = indices == null ? null
                : CudaBackend.allocateUninitialized(out.device(), DType.INT64, out.numel());
        try {
            NDArray ot = NDArray.fromStorage(o, shape);
            NDArray it = i == null ? null : NDArray.fromStorage(i, shape);
            reduce(op, x, dims, ot, it, p);
            CudaElementwise.copy(ot, out);
            if (it != null) {
                CudaElementwise.copy(it, indices);
            }
        } finally {
            o.close();
            if (i != null) {
                i.close();
            }
        }
    }

    /** The kernel family of an op: NORM by its order. */
    static String kind(ReduceOp op, double p) {
        return switch (op) {
            case SUM -> "sum";
            case PROD -> "prod";
            case MEAN -> "mean";
            case MAX -> "max";
            case MIN -> "min";
            case VAR -> "var";
            case LOGSUMEXP -> "logsumexp";
            case NORM -> p == Double.POSITIVE_INFINITY ? "norm_inf" : p == Double.NEGATIVE_INFINITY ? "norm_neg_inf"
                    : p == 0 ? "norm0" : p == 1 ? "norm1" : p == 2 ? "norm2" : "normp";
            case ANY -> "any";
            case ALL -> "all";
        };
    }

    private static String name(ReduceOp op) {
        return op.name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The input dtypes the CPU backend (and so this one) reduces for an op. */
    static boolean supported(ReduceOp op, DType t) {
        return switch (op) {
            case SUM, PROD -> t != DType.BOOL;
            case MEAN, VAR, LOGSUMEXP, NORM -> t.isFloating();
            case MAX, MIN, ANY, ALL -> true;
        };
    }

    /** The result over an empty slice, as the CPU gives it. */
    static double emptyValue(ReduceOp op) {
        return switch (op) {
            case SUM, NORM, ANY -> 0;
            case PROD, ALL -> 1;
            case LOGSUMEXP -> Double.NEGATIVE_INFINITY;
            case MEAN, VAR -> Double.NaN;
            case MAX, MIN -> throw new IllegalArgumentException(op + ": cannot reduce over an empty slice");
        };
    }

    /** Every kernel function these launchers can ask the module for. */
    static List<String> kernelNames() {
        List<String> names = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            List<String> kinds = op == ReduceOp.NORM
                    ? List.of(kind(op, Double.POSITIVE_INFINITY), kind(op, Double.NEGATIVE_INFINITY), kind(op, 0),
                            kind(op, 1), kind(op, 2), kind(op, 3))
                    : List.of(kind(op, 0));
            for (String kind : kinds) {
                for (DType t : DType.values()) {
                    if (supported(op, t)) {
                        names.add("reduce_" + kind + "_" + Kernels.suffix(t));
                        names.add("reduce_final_" + kind + "_" + Kernels.suffix(t));
                    }
                }
            }
        }
        for (DType t : FLOATING) {
            names.add("softmax_rows_" + Kernels.suffix(t));
            names.add("softmax_cols_" + Kernels.suffix(t));
        }
        return names;
    }

    // ------------------------------------------------------------------------------------------ tables, plan

    /**
     * The kept and reduced stride tables of x (each {rank, shape[8], strides[8]}, the layout of common.cuh's
     * Strided): kept dims in order (the output is contiguous over them), merged where x's strides allow; reduced
     * dims sorted by decreasing |stride| and merged, unless {@code keepOrder} (arg indices count in dim order).
     * Size-1 dims are dropped; an empty list becomes {@code [1]} with stride 0.
     */
    static int[][] tables(int[] shape, int[] strides, int[] dims, boolean keepOrder) {
        boolean[] reduced = new boolean[shape.length];
        for (int d : dims) {
            reduced[d] = true;
        }
        List<int[]> kept = new ArrayList<>();
        List<int[]> red = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] != 1) {
                (reduced[d] ? red : kept).add(new int[] {shape[d], strides[d]});
            }
        }
        if (!keepOrder) {
            red.sort(Comparator.comparingLong((int[] v) -> -Math.abs((long) v[1]))); // stable
        }
        return new int[][] {table("kept", merge(kept)), table("reduced", merge(red))};
    }

    /** Merges each dim into the one before it where that one's stride is its stride times its size. */
    private static List<int[]> merge(List<int[]> dims) {
        List<int[]> out = new ArrayList<>();
        for (int[] d : dims) {
            int[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && (long) last[1] == (long) d[1] * d[0]) {
                last[0] *= d[0];
                last[1] = d[1];
            } else {
                out.add(d.clone());
            }
        }
        return out;
    }

    private static int[] table(String what, List<int[]> dims) {
        int max = Kernels.MAX_DIMS;
        if (dims.size() > max) {
            throw new IllegalArgumentException("reduce: the " + what + " dims need " + dims.size()
                    + " strides after merging, CUDA kernels take at most " + max + " (make the array contiguous"
                    + " first)");
        }
        int[] t = new int[1 + 2 * max];
        if (dims.isEmpty()) {
            t[0] = 1;
            t[1] = 1;
            return t;
        }
        t[0] = dims.size();
        for (int i = 0; i < dims.size(); i++) {
            t[1 + i] = dims.get(i)[0];
            t[1 + max + i] = dims.get(i)[1];
        }
        return t;
    }

    /** The stride of a table's innermost dim. */
    static int innerStride(int[] table) {
        return table[Kernels.MAX_DIMS + table[0]];
    }

    /**
     * The launch: {col, blockX, blockY, gridX, splits, finalThreads}. Row layout (col 0): blockX threads (32, 128
     * or 512) share each output, blockY outputs a block. Column layout (col 1, when the reduced elements are
     * strided but neighbouring outputs adjacent, or the reductions are short): blockX (up to 32) outputs a block,
     * blockY (a power of two) threads share each. splits > 1 when few blocks would each reduce long ranges: the reduction is split over
     * gridDim.y blocks and a second kernel of finalThreads threads a block combines the parts.
     */
    static int[] plan(int outs, long m, int keptInnerStride, int redInnerStride) {
        boolean row = outs == 1 || (redInnerStride == 1 && m > SHORT) || (keptInnerStride != 1 && m >= 32);
        int bx;
        int by;
        int gridX;
        int lanes;
        if (row) {
            bx = m <= 256 ? 32 : m <= 2048 ? 128 : MAX_THREADS;
            by = Math.max(1, Math.min(256 / bx, outs));
            gridX = (outs + by - 1) / by;
            lanes = bx;
        } else {
            bx = outs >= 32 ? 32 : Integer.highestOneBit(outs - 1) << 1;
            bx = Math.max(1, bx);
            by = (int) Math.min(256 / bx, m <= 1 ? 1 : Long.highestOneBit(m - 1) << 1);
            gridX = (outs + bx - 1) / bx;
            lanes = by;
        }
        int splits = 1;
        if (gridX < TARGET_BLOCKS) {
            long bySize = (m + (long) lanes * MIN_PER_THREAD - 1) / ((long) lanes * MIN_PER_THREAD);
            splits = (int) Math.max(1, Math.min(Math.min(TARGET_BLOCKS / gridX, bySize), MAX_SPLITS));
        }
        int fin = splits <= 64 ? 32 : 256;
        return new int[] {row ? 0 : 1, bx, by, gridX, splits, fin};
    }

    // ------------------------------------------------------------------------------------------------ softmax

    static void softmax(NDArray x, int dim, boolean log, NDArray out) {
        String op = log ? "logSoftmax" : "softmax";
        DType t = x.dtype();
        if (!t.isFloating()) {
            throw new UnsupportedOperationException(op + ": not defined for " + t);
        }
        if (out.dtype() != t) {
            throw new IllegalArgumentException(op + ": out is " + out.dtype() + ", expected " + t);
        }
        if (x.numel() == 0) {
            return;
        }
        if (x.dim() == 0) {
            x = NDArray.strided(x.storage(), new int[] {1}, new int[] {1}, x.offset());
            out = NDArray.strided(out.storage(), new int[] {1}, new int[] {1}, out.offset());
            dim = 0;
        }
        int n = x.size(dim);
        int xs = x.stride(dim);
        int os = out.stride(dim);
        CudaElementwise.Layout rows = slices(op, x.shape().toArray(), x.strides(), out.strides(), dim);
        int count = rows.numel();
        int[] sp = softmaxPlan(count, n, xs);
        Kernel k = Kernels.get(Kernels.device(x), MODULE, (sp[0] == 1 ? "softmax_cols_" : "softmax_rows_")
                + Kernels.suffix(t));
        k.launch(sp[1], 1, 1, sp[2], sp[3], 1, 0, Kernels.ptr(x), Kernels.ptr(out), count, n, xs, os, rows.table(),
                log ? 1 : 0);
    }

    /**
     * The softmax slices: the shape without {@code dim}, coalesced over x's and out's strides (operand 0: x,
     * 1: out); slice i starts at the offsets its table gives, and its elements follow at x's and out's strides of dim.
     */
    static CudaElementwise.Layout slices(String op, int[] shape, int[] xStrides, int[] outStrides, int dim) {
        int[] sh = shape.clone();
        sh[dim] = 1;
        CudaElementwise.Layout rows = CudaElementwise.Layout.coalesce(sh, xStrides, outStrides);
        if (rows.rank() > Kernels.MAX_DIMS) {
            throw new IllegalArgumentException(op + ": " + rows.rank() + " dims besides dim " + dim
                    + " remain after merging, CUDA kernels take at most " + Kernels.MAX_DIMS
                    + " (make the array contiguous first)");
        }
        return rows;
    }

    /**
     * {cols, gridX, blockX, blockY}: one thread per slice (cols 1) when the slice's elements are strided and
     * there are many slices (neighbouring slices are then adjacent in memory); else a warp per slice for up to
     * 1024 elements (blockY slices a block), a block of 256 or 512 threads per longer slice.
     */
    static int[] softmaxPlan(int rows, int n, int xs) {
        if (xs != 1 && rows >= SOFTMAX_COLS_MIN_ROWS) {
            int threads = CudaElementwise.THREADS;
            return new int[] {1, (int) Math.min(Kernels.blocks(rows, threads), CudaElementwise.MAX_BLOCKS), threads,
                1};
        }
        int bx = n <= 1024 ? 32 : n <= 8192 ? 256 : MAX_THREADS;
        int by = bx == 32 ? Math.min(8, rows) : 1;
        return new int[] {0, (rows + by - 1) / by, bx, by};
    }
}
