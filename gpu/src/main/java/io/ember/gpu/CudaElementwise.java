package io.ember.gpu;

import io.ember.gpu.cuda.Kernel;
import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.UnaryOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Elementwise kernels (module {@code elementwise}): copy with dtype conversion, fill, unary, binary, where, relu
 * backward, on strided and broadcast (stride 0) views. Each op is one launch: the operands' dims are coalesced
 * ({@link Layout}); when every operand is then contiguous or a single broadcast value the kernel walks memory
 * linearly (with 4-element vector access where every pointer is aligned for it), else it maps each linear index to
 * offsets through a stride table. Semantics are the CPU backend's (Java casts, NaN handling, wrapping int64).
 *
 * <p>Differences from the CPU, where a kernel cannot throw: int64 {@code remainder} by zero gives 0 (the CPU throws
 * ArithmeticException), and int64 {@code pow} to a negative power gives the truncated value (1 for base 1, +-1 for
 * base -1, else 0) where the CPU throws.
 */
final class CudaElementwise {
    static final String MODULE = "elementwise";
    static final int THREADS = 256;
    /** Grid cap for grid-stride loops: a few waves of an H100 (132 SMs x 2048 threads) at 256 threads a block. */
    static final int MAX_BLOCKS = 4096;
    /** Layout modes, as in elementwise.cuh. */
    static final int STRIDED = 0;
    static final int LINEAR = 1;
    static final int VEC = 2;
    /** Elements per vector access in {@link #VEC} mode. */
    static final int VEC_N = 4;

    private static final DType[] DTYPES = DType.values();
    private static final Set<UnaryOp> INT_UNARY = EnumSet.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.RELU,
            UnaryOp.SQUARE, UnaryOp.CLAMP);
    /** Kernel names by [op][dtype], [src dtype][dst dtype] and [dtype], built once (no string work per launch). */
    private static final String[][] UNARY = new String[UnaryOp.values().length][DTYPES.length];
    private static final String[][] BINARY = new String[BinaryOp.values().length][DTYPES.length];
    private static final String[][] COPY = new String[DTYPES.length][DTYPES.length];
    private static final String[] FILL = new String[DTYPES.length];
    private static final String[] WHERE = new String[DTYPES.length];
    private static final String[] RELU_BACKWARD = new String[DTYPES.length];

    static {
        for (DType t : DTYPES) {
            String sfx = Kernels.suffix(t);
            for (UnaryOp op : UnaryOp.values()) {
                UNARY[op.ordinal()][t.ordinal()] = "unary_" + op.opName() + "_" + sfx;
            }
            for (BinaryOp op : BinaryOp.values()) {
                BINARY[op.ordinal()][t.ordinal()] = "binary_" + op.opName() + "_" + sfx;
            }
            for (DType d : DTYPES) {
                COPY[t.ordinal()][d.ordinal()] = "copy_" + sfx + "_" + Kernels.suffix(d);
            }
            FILL[t.ordinal()] = "fill_" + sfx;
            WHERE[t.ordinal()] = "where_" + sfx;
            RELU_BACKWARD[t.ordinal()] = "relu_backward_" + sfx;
        }
    }

    private CudaElementwise() {
    }

    // ---------------------------------------------------------------------------------------------------- ops

    static void copy(NDArray src, NDArray dst) {
        checkShapes("copy", dst, src);
        run(COPY[src.dtype().ordinal()][dst.dtype().ordinal()], new NDArray[] {dst, src});
    }

    static void fill(NDArray dst, double value) {
        Object v = switch (dst.dtype()) {
            case FLOAT32 -> (float) value;
            case FLOAT64 -> value;
            case INT64 -> (long) value; // Java's cast: saturating, NaN -> 0, like the CPU
            case BOOL -> value != 0 ? 1 : 0; // NaN is true
        };
        run(FILL[dst.dtype().ordinal()], new NDArray[] {dst}, v);
    }

    static void unary(UnaryOp op, NDArray x, NDArray out, double a, double b) {
        checkShapes(op, out, x);
        DType t = x.dtype();
        if (!unarySupported(op, t)) {
            throw new UnsupportedOperationException(op.opName() + ": not defined for " + t);
        }
        checkDtype(op, "out", out, op.producesBool() ? DType.BOOL : t);
        Object pa;
        Object pb;
        if (t == DType.INT64) { // only clamp has parameters: Java's casts, a NaN bound is no bound
            pa = Double.isNaN(a) ? Long.MIN_VALUE : (long) a;
            pb = Double.isNaN(b) ? Long.MAX_VALUE : (long) b;
        } else {
            pa = a;
            pb = b;
        }
        run(unaryKernel(op, t), new NDArray[] {out, x}, pa, pb);
    }

    static void binary(BinaryOp op, NDArray x, NDArray y, NDArray out) {
        checkShapes(op, out, x, y);
        DType t = x.dtype();
        checkDtype(op, "y", y, t);
        if (!binarySupported(op, t)) {
            throw new UnsupportedOperationException(op.opName() + ": not defined for " + t);
        }
        checkDtype(op, "out", out, op.producesBool() ? DType.BOOL : t);
        run(binaryKernel(op, t), new NDArray[] {out, x, y});
    }

    static void where(NDArray cond, NDArray x, NDArray y, NDArray out) {
        checkShapes("where", out, cond, x, y);
        checkDtype("where", "cond", cond, DType.BOOL);
        checkDtype("where", "x", x, out.dtype());
        checkDtype("where", "y", y, out.dtype());
        run(WHERE[out.dtype().ordinal()], new NDArray[] {out, cond, x, y});
    }

    static void reluBackward(NDArray gradOut, NDArray output, NDArray out) {
        checkShapes("relu backward", out, gradOut, output);
        checkDtype("relu backward", "gradOut", gradOut, out.dtype());
        checkDtype("relu backward", "output", output, out.dtype());
        run(RELU_BACKWARD[out.dtype().ordinal()], new NDArray[] {out, gradOut, output});
    }

    // ------------------------------------------------------------------------------------------- dtype support

    /** Whether the CPU backend (and so this one) defines a unary op for an input dtype. */
    static boolean unarySupported(UnaryOp op, DType t) {
        return switch (t) {
            case FLOAT32, FLOAT64 -> op != UnaryOp.LOGICAL_NOT;
            case INT64 -> INT_UNARY.contains(op);
            case BOOL -> op == UnaryOp.LOGICAL_NOT;
        };
    }

    /** Whether the CPU backend (and so this one) defines a binary op for an input dtype. */
    static boolean binarySupported(BinaryOp op, DType t) {
        return switch (t) {
            case FLOAT32, FLOAT64 -> true;
            case INT64 -> op != BinaryOp.DIV && op != BinaryOp.ATAN2;
            case BOOL -> op.producesBool();
        };
    }

    static String unaryKernel(UnaryOp op, DType t) {
        return UNARY[op.ordinal()][t.ordinal()];
    }

    static String binaryKernel(BinaryOp op, DType t) {
        return BINARY[op.ordinal()][t.ordinal()];
    }

    /** Every kernel function these launchers can ask the module for. */
    static List<String> kernelNames() {
        List<String> names = new ArrayList<>();
        for (DType s : DTYPES) {
            for (DType d : DTYPES) {
                names.add(COPY[s.ordinal()][d.ordinal()]);
            }
            names.add(FILL[s.ordinal()]);
            names.add(WHERE[s.ordinal()]);
            names.add(RELU_BACKWARD[s.ordinal()]);
            for (UnaryOp op : UnaryOp.values()) {
                if (unarySupported(op, s)) {
                    names.add(unaryKernel(op, s));
                }
            }
            for (BinaryOp op : BinaryOp.values()) {
                if (binarySupported(op, s)) {
                    names.add(binaryKernel(op, s));
                }
            }
        }
        return names;
    }

    // ---------------------------------------------------------------------------------------------- launching

    /**
     * Launches {@code kernel(ptr(ops[0]), ..., ptr(ops[k]), n, extras..., mode, table)} over out = ops[0]'s
     * elements; several launches (one per outer index) in the rare case that more than 8 dims remain after
     * coalescing.
     */
    private static void run(String kernel, NDArray[] ops, Object... extras) {
        NDArray out = ops[0];
        int n = out.numel();
        if (n == 0) {
            return;
        }
        int[][] strides = new int[ops.length][];
        long[] ptrs = new long[ops.length];
        int[] items = new int[ops.length];
        for (int k = 0; k < ops.length; k++) {
            strides[k] = ops[k].strides();
            ptrs[k] = Kernels.ptr(ops[k]);
            items[k] = ops[k].dtype().itemSize();
        }
        Layout layout = Layout.coalesce(out.shape().toArray(), strides);
        Kernel k = Kernels.get(Kernels.device(out), MODULE, kernel);
        if (layout.rank() <= Kernels.MAX_DIMS) {
            launch(k, layout, ptrs, items, extras);
            return;
        }
        Layout inner = layout.inner();
        long[] p = new long[ops.length];
        for (int[] off : layout.outerOffsets()) {
            for (int i = 0; i < ops.length; i++) {
                p[i] = ptrs[i] + (long) off[i] * items[i];
            }
            launch(k, inner, p, items, extras);
        }
    }

    private static void launch(Kernel k, Layout l, long[] ptrs, int[] items, Object[] extras) {
        int n = l.numel();
        int mode = l.mode(ptrs, items);
        Object[] args = new Object[ptrs.length + 3 + extras.length];
        int a = 0;
        for (long p : ptrs) {
            args[a++] = p;
        }
        args[a++] = n;
        for (Object e : extras) {
            args[a++] = e;
        }
        args[a++] = mode;
        args[a] = l.table();
        k.launch1d(blocks(n, mode), THREADS, 0, args);
    }

    /** Blocks of {@link #THREADS} for n elements in a layout mode (4 elements a thread in VEC mode), capped. */
    static int blocks(int n, int mode) {
        long items = (mode & 3) == VEC ? (n + VEC_N - 1L) / VEC_N : n;
        return (int) Math.min(Kernels.blocks(items, THREADS), MAX_BLOCKS);
    }

    /** An op's name for messages (computed only when one is thrown). */
    private static String nameOf(Object op) {
        return op instanceof UnaryOp u ? u.opName() : op instanceof BinaryOp b ? b.opName() : op.toString();
    }

    private static void checkShapes(Object op, NDArray out, NDArray... ins) {
        for (NDArray in : ins) {
            boolean same = in.dim() == out.dim();
            for (int d = 0; same && d < out.dim(); d++) {
                same = in.size(d) == out.size(d);
            }
            if (!same) {
                throw new IllegalArgumentException(nameOf(op) + ": operand of shape " + in.shape()
                        + " does not match the output's shape " + out.shape());
            }
        }
    }

    private static void checkDtype(Object op, String what, NDArray a, DType expected) {
        if (a.dtype() != expected) {
            throw new IllegalArgumentException(nameOf(op) + ": " + what + " is " + a.dtype() + ", expected "
                    + expected);
        }
    }

    // ------------------------------------------------------------------------------------------------ layouts

    /**
     * A shape and the strides (in elements) of several operands over it, with size-1 dims dropped and adjacent
     * dims merged wherever they are contiguous with each other in every operand (so a contiguous array plus a
     * broadcast scalar is one dim). Rank is at least 1; a one-element shape is {@code [1]} with zero strides.
     */
    static final class Layout {
        final int[] shape;
        /** [operand][dim] */
        final int[][] strides;

        Layout(int[] shape, int[][] strides) {
            this.shape = shape;
            this.strides = strides;
        }

        static Layout coalesce(int[] shape, int[]... strides) {
            int ops = strides.length;
            int[] sh = new int[shape.length];
            int[][] st = new int[ops][shape.length];
            int r = 0;
            for (int d = 0; d < shape.length; d++) {
                if (shape[d] == 1) {
                    continue;
                }
                boolean merge = r > 0;
                for (int k = 0; merge && k < ops; k++) {
                    merge = (long) st[k][r - 1] == (long) strides[k][d] * shape[d];
                }
                if (merge) {
                    sh[r - 1] *= shape[d];
                    for (int k = 0; k < ops; k++) {
                        st[k][r - 1] = strides[k][d];
                    }
                } else {
                    sh[r] = shape[d];
                    for (int k = 0; k < ops; k++) {
                        st[k][r] = strides[k][d];
                    }
                    r++;
                }
            }
            if (r == 0) {
                return new Layout(new int[] {1}, new int[ops][1]);
            }
            int[][] out = new int[ops][];
            for (int k = 0; k < ops; k++) {
                out[k] = Arrays.copyOf(st[k], r);
            }
            return new Layout(Arrays.copyOf(sh, r), out);
        }

        int rank() {
            return shape.length;
        }

        int numel() {
            int n = 1;
            for (int s : shape) {
                n *= s;
            }
            return n;
        }

        /** Whether operand k is one value broadcast to every element. */
        boolean scalar(int k) {
            for (int s : strides[k]) {
                if (s != 0) {
                    return false;
                }
            }
            return true;
        }

        /** Whether operand k holds its elements at consecutive addresses, in order. */
        boolean contiguous(int k) {
            return rank() == 1 && (strides[k][0] == 1 || shape[0] == 1);
        }

        /**
         * The kernel's mode: {@link #LINEAR} when the output is contiguous and every input contiguous or scalar
         * (scalar inputs flagged by bit {@code 4 << input}), plus {@link #VEC} instead when every non-scalar
         * operand's address is aligned to 4 elements; else {@link #STRIDED}.
         */
        int mode(long[] ptrs, int[] itemSizes) {
            if (!contiguous(0)) {
                return STRIDED;
            }
            int bits = 0;
            boolean aligned = true;
            for (int k = 0; k < strides.length; k++) {
                boolean sc = k > 0 && scalar(k) && shape[0] != 1;
                if (sc) {
                    bits |= 4 << (k - 1);
                } else if (!contiguous(k)) {
                    return STRIDED;
                } else if (ptrs[k] % ((long) VEC_N * itemSizes[k]) != 0) {
                    aligned = false;
                }
            }
            return bits | (aligned ? VEC : LINEAR);
        }

        /** The Geo table the kernels take: {rank, shape[8], then each operand's strides[8]}. */
        int[] table() {
            int max = Kernels.MAX_DIMS;
            if (rank() > max) {
                throw new IllegalStateException("a layout of rank " + rank() + " has no table (at most " + max
                        + " dims)");
            }
            int[] t = new int[1 + max + max * strides.length];
            t[0] = rank();
            System.arraycopy(shape, 0, t, 1, rank());
            for (int k = 0; k < strides.length; k++) {
                System.arraycopy(strides[k], 0, t, 1 + max + k * max, rank());
            }
            return t;
        }

        /** The last {@link Kernels#MAX_DIMS} dims (all of them when the rank is no more). */
        Layout inner() {
            int from = Math.max(0, rank() - Kernels.MAX_DIMS);
            int[][] st = new int[strides.length][];
            for (int k = 0; k < st.length; k++) {
                st[k] = Arrays.copyOfRange(strides[k], from, rank());
            }
            return new Layout(Arrays.copyOfRange(shape, from, rank()), st);
        }

        /**
         * For each index of the dims before {@link #inner()} (row-major), every operand's element offset: one
         * launch each when the rank is above {@link Kernels#MAX_DIMS}. A single zero row otherwise.
         */
        int[][] outerOffsets() {
            int outer = Math.max(0, rank() - Kernels.MAX_DIMS);
            int count = 1;
            for (int d = 0; d < outer; d++) {
                count *= shape[d];
            }
            int[][] offs = new int[count][strides.length];
            for (int i = 0; i < count; i++) {
                int rem = i;
                for (int d = outer - 1; d >= 0; d--) {
                    int idx = rem % shape[d];
                    rem /= shape[d];
                    for (int k = 0; k < strides.length; k++) {
                        offs[i][k] += idx * strides[k][d];
                    }
                }
            }
            return offs;
        }

        @Override
        public String toString() {
            return "Layout" + Arrays.toString(shape) + Arrays.deepToString(strides);
        }
    }
}
