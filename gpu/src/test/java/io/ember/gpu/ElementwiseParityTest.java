package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import io.ember.tensor.spi.Backend;
import io.ember.tensor.spi.Backends;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.UnaryOp;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * GPU parity of the elementwise kernels: each op runs through the backend SPI on the CPU and on cuda:0 with the same
 * inputs, for every dtype the CPU defines, on contiguous, misaligned (offset 1: the linear path without vector
 * access), strided (transposed or stepped), broadcast (stride 0) and in-place operands, at sizes 0, 1, 1000 and
 * 2^20 + 3, with NaN, infinities, signed zeros and int64 extremes among the values. Skipped without a GPU.
 */
class ElementwiseParityTest {
    static final Backend CPU = Backends.cpu();
    static final int[][] SHAPES = {{0}, {1}, {40, 25}, {(1 << 20) + 3}};
    static final double[] SPECIALS = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1,
        -1, 0.5, 2, 1e-30, 1e30, -2.5, 3};
    static final long[] INT_SPECIALS = {Long.MIN_VALUE, Long.MAX_VALUE, 0, 1, -1, Long.MIN_VALUE + 1};
    static final Set<UnaryOp> EXACT_UNARY = EnumSet.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.RELU,
            UnaryOp.SQUARE, UnaryOp.CLAMP, UnaryOp.FLOOR, UnaryOp.CEIL, UnaryOp.ROUND, UnaryOp.ISNAN,
            UnaryOp.ISFINITE, UnaryOp.LOGICAL_NOT, UnaryOp.RECIPROCAL, UnaryOp.SQRT);
    static final Set<BinaryOp> INEXACT_BINARY = EnumSet.of(BinaryOp.POW, BinaryOp.ATAN2, BinaryOp.REMAINDER);

    enum Layout { CONTIGUOUS, OFFSET, STRIDED, BROADCAST, IN_PLACE }

    // ------------------------------------------------------------------------------------------------ data

    static int numel(int[] shape) {
        return Arrays.stream(shape).reduce(1, (p, q) -> p * q);
    }

    /** Values of a dtype on the CPU: floats in [lo, hi) with the specials sprinkled in, int64 in [-100, 100]. */
    static NDArray values(DType t, int[] shape, long seed, double lo, double hi, boolean specials) {
        int n = numel(shape);
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = t == DType.INT64 ? r.nextInt(201) - 100
                    : t == DType.BOOL ? r.nextInt(2) : lo + (hi - lo) * r.nextDouble();
        }
        NDArray a = switch (t) {
            case FLOAT32 -> {
                float[] f = new float[n];
                for (int i = 0; i < n; i++) {
                    f[i] = (float) (specials && i < SPECIALS.length * 3 && i % 3 == 1 ? special(i, seed) : v[i]);
                }
                yield NDArray.of(f, shape);
            }
            case FLOAT64 -> {
                for (int i = 0; specials && i < n && i < SPECIALS.length * 3; i += 3) {
                    if (i + 1 < n) {
                        v[i + 1] = special(i + 1, seed);
                    }
                }
                yield NDArray.of(v, shape);
            }
            case INT64 -> {
                long[] l = new long[n];
                for (int i = 0; i < n; i++) {
                    l[i] = specials && i < INT_SPECIALS.length * 3 && i % 3 == 1 ? INT_SPECIALS[i / 3] : (long) v[i];
                }
                yield NDArray.of(l, shape);
            }
            case BOOL -> {
                boolean[] b = new boolean[n];
                for (int i = 0; i < n; i++) {
                    b[i] = v[i] != 0;
                }
                yield NDArray.of(b, shape);
            }
        };
        return a;
    }

    /** The special value at position i (every third), rotated by the seed so two arrays pair different ones. */
    static double special(int i, long seed) {
        return SPECIALS[(int) ((i / 3 + seed) % SPECIALS.length)];
    }

    /** A GPU copy of a at element offset 1 of its storage (contiguous, misaligned for vector access). */
    static NDArray offset(NDArray a, Device gpu) {
        NDArray big = NDArray.zeros(a.dtype(), a.numel() + 1).to(gpu);
        NDArray v = big.narrow(0, 1, a.numel()).reshape(a.shape().toArray());
        v.copyFrom(a.to(gpu));
        return v;
    }

    /**
     * The CPU operand on the GPU in a layout. BROADCAST: the CPU operand is already expanded (its values are all its
     * first value); moving it materializes it, so it is expanded again on the GPU (stride 0 there too).
     */
    static NDArray onGpu(NDArray cpu, Layout layout, Device gpu) {
        return switch (layout) {
            case OFFSET -> offset(cpu, gpu);
            case STRIDED -> GpuTests.strided(cpu.to(gpu));
            case BROADCAST -> broadcastOf(cpu.to(gpu), cpu.shape().toArray());
            default -> cpu.to(gpu);
        };
    }

    static NDArray gpuOut(DType t, int[] shape, Layout layout, Device gpu) {
        NDArray z = NDArray.zeros(t, shape);
        return switch (layout) {
            case OFFSET -> offset(z, gpu);
            case STRIDED -> GpuTests.strided(z.to(gpu));
            default -> z.to(gpu);
        };
    }

    /** The first element of a, expanded (stride 0) to shape. */
    static NDArray broadcastOf(NDArray a, int[] shape) {
        int[] ones = new int[shape.length];
        Arrays.fill(ones, 1);
        return a.reshape(-1).narrow(0, 0, 1).reshape(ones).expand(shape);
    }

    static List<Layout> layouts(int[] shape, boolean inPlace) {
        if (numel(shape) == 0) {
            return List.of(Layout.CONTIGUOUS);
        }
        return inPlace ? List.of(Layout.values())
                : List.of(Layout.CONTIGUOUS, Layout.OFFSET, Layout.STRIDED, Layout.BROADCAST);
    }

    // ------------------------------------------------------------------------------------------------ unary

    private static void unary(Device gpu, UnaryOp op, DType t, double a, double b, double lo, double hi) {
        Backend cuda = Backends.of(gpu);
        DType outType = op.producesBool() ? DType.BOOL : t;
        double[] tol = t == DType.FLOAT32 ? new double[] {1e-5, 1e-6} : new double[] {1e-12, 1e-14};
        if (EXACT_UNARY.contains(op) || !t.isFloating()) {
            tol = new double[] {0, 0};
        }
        for (int[] shape : SHAPES) {
            NDArray x = values(t, shape, 11, lo, hi, true);
            for (Layout layout : layouts(shape, !op.producesBool())) {
                String what = op.opName() + " " + t + " " + Arrays.toString(shape) + " " + layout + " a=" + a
                        + " b=" + b;
                NDArray xc = layout == Layout.BROADCAST ? broadcastOf(x, shape) : x;
                NDArray ref = NDArray.zeros(outType, shape);
                CPU.unary(op, xc, ref, a, b);
                NDArray xg = onGpu(xc, layout, gpu);
                NDArray out = layout == Layout.IN_PLACE ? xg : gpuOut(outType, shape, layout, gpu);
                cuda.unary(op, xg, out, a, b);
                GpuTests.assertClose(ref, out, tol[0], tol[1], what);
            }
        }
    }

    @Test
    void unary_everyFloatingOpMatchesTheCpu() {
        Device gpu = GpuTests.gpu();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (UnaryOp op : UnaryOp.values()) {
                if (op == UnaryOp.LOGICAL_NOT) {
                    continue;
                }
                double a = switch (op) {
                    case LEAKY_RELU -> 0.01;
                    case ELU -> 1.3;
                    case POW_SCALAR -> 2;
                    case RPOW_SCALAR -> 2.5;
                    case CLAMP -> -0.5;
                    default -> 0;
                };
                unary(gpu, op, t, a, op == UnaryOp.CLAMP ? 0.75 : 0, -4, 4);
            }
        }
    }

    @Test
    void unary_parametersAndNanBounds() {
        Device gpu = GpuTests.gpu();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (double p : new double[] {0.5, 3, -1.5, 0, Double.NaN}) {
                unary(gpu, UnaryOp.POW_SCALAR, t, p, 0, -3, 3);
            }
            for (double base : new double[] {0.5, -2, 1, Double.NaN}) {
                unary(gpu, UnaryOp.RPOW_SCALAR, t, base, 0, -3, 3);
            }
            unary(gpu, UnaryOp.CLAMP, t, Double.NaN, 0.3, -2, 2);
            unary(gpu, UnaryOp.CLAMP, t, -0.2, Double.NaN, -2, 2);
            unary(gpu, UnaryOp.LEAKY_RELU, t, 0.2, 0, -2, 2);
            unary(gpu, UnaryOp.ELU, t, 0.5, 0, -20, 5);
        }
    }

    @Test
    void unary_int64AndBoolOps() {
        Device gpu = GpuTests.gpu();
        for (UnaryOp op : UnaryOp.values()) {
            if (CudaElementwise.unarySupported(op, DType.INT64)) {
                unary(gpu, op, DType.INT64, op == UnaryOp.CLAMP ? -30 : 0, op == UnaryOp.CLAMP ? 70 : 0, 0, 0);
            }
        }
        unary(gpu, UnaryOp.CLAMP, DType.INT64, Double.NaN, 5, 0, 0);
        unary(gpu, UnaryOp.CLAMP, DType.INT64, -2.5, Double.NaN, 0, 0);
        unary(gpu, UnaryOp.LOGICAL_NOT, DType.BOOL, 0, 0, 0, 0);
    }

    // ------------------------------------------------------------------------------------------------ binary

    private static void binary(Device gpu, BinaryOp op, DType t, NDArray x, NDArray y) {
        Backend cuda = Backends.of(gpu);
        int[] shape = x.shape().toArray();
        DType outType = op.producesBool() ? DType.BOOL : t;
        double[] tol = !INEXACT_BINARY.contains(op) || !t.isFloating() ? new double[] {0, 0}
                : t == DType.FLOAT32 ? new double[] {1e-5, 1e-6} : new double[] {1e-12, 1e-14};
        List<String> cases = numel(shape) == 0 ? List.of("contiguous")
                : List.of("contiguous", "offset", "strided", "y scalar", "x scalar", "y row", "in place");
        for (String c : cases) {
            if ((c.equals("in place") && op.producesBool()) || (c.equals("y row") && shape.length < 2)) {
                continue;
            }
            String what = op.opName() + " " + t + " " + Arrays.toString(shape) + " " + c;
            NDArray xc = c.equals("x scalar") ? broadcastOf(x, shape) : x;
            NDArray yc = c.equals("y scalar") ? broadcastOf(y, shape)
                    : c.equals("y row") ? y.narrow(0, 0, 1).expand(shape) : y;
            NDArray ref = NDArray.zeros(outType, shape);
            CPU.binary(op, xc, yc, ref);
            Layout l = c.equals("offset") ? Layout.OFFSET : c.equals("strided") ? Layout.STRIDED : Layout.CONTIGUOUS;
            NDArray xg = onGpu(xc, c.equals("x scalar") ? Layout.BROADCAST : l, gpu);
            NDArray yg = c.equals("y row") ? y.narrow(0, 0, 1).to(gpu).expand(shape)
                    : onGpu(yc, c.equals("y scalar") ? Layout.BROADCAST : l, gpu);
            NDArray out = c.equals("in place") ? xg : gpuOut(outType, shape, l, gpu);
            cuda.binary(op, xg, yg, out);
            GpuTests.assertClose(ref, out, tol[0], tol[1], what);
        }
    }

    @Test
    void binary_everyOpOnFloatingTypesMatchesTheCpu() {
        Device gpu = GpuTests.gpu();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : SHAPES) {
                NDArray x = values(t, shape, 21, -3, 3, true);
                NDArray y = values(t, shape, 22, -3, 3, true);
                for (BinaryOp op : BinaryOp.values()) {
                    binary(gpu, op, t, x, y);
                }
            }
        }
    }

    @Test
    void binary_int64AndBoolOpsMatchTheCpu() {
        Device gpu = GpuTests.gpu();
        for (int[] shape : SHAPES) {
            NDArray x = values(DType.INT64, shape, 31, 0, 0, true);
            NDArray y = values(DType.INT64, shape, 32, 0, 0, true);
            // the CPU throws on remainder by zero and negative powers: keep those out of its inputs
            NDArray nonZero = NDArray.where(y.eq(0), NDArray.scalar(DType.INT64, 7), y);
            NDArray smallExp = y.remainder(6);
            NDArray smallBase = x.remainder(9).sub(4);
            for (BinaryOp op : BinaryOp.values()) {
                if (!CudaElementwise.binarySupported(op, DType.INT64)) {
                    continue;
                }
                if (op == BinaryOp.REMAINDER) {
                    binary(gpu, op, DType.INT64, x, nonZero);
                } else if (op == BinaryOp.POW) {
                    binary(gpu, op, DType.INT64, smallBase, smallExp);
                } else {
                    binary(gpu, op, DType.INT64, x, y);
                }
            }
            NDArray p = values(DType.BOOL, shape, 33, 0, 0, false);
            NDArray q = values(DType.BOOL, shape, 34, 0, 0, false);
            for (BinaryOp op : BinaryOp.values()) {
                if (op.producesBool()) {
                    binary(gpu, op, DType.BOOL, p, q);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------ copy, fill, where

    @Test
    void copy_everyDtypePairOnEveryLayout() {
        Device gpu = GpuTests.gpu();
        Backend cuda = Backends.of(gpu);
        for (int[] shape : SHAPES) {
            for (DType from : DType.values()) {
                NDArray src = values(from, shape, 41, -1e3, 1e3, true);
                if (from == DType.FLOAT64 && numel(shape) > 40) { // beyond int64 and float32 ranges
                    src.set(1e19, src.dim() == 1 ? new int[] {40} : new int[] {1, 15});
                    src.set(-1e300, src.dim() == 1 ? new int[] {39} : new int[] {1, 14});
                }
                for (DType to : DType.values()) {
                    for (String c : numel(shape) == 0 ? List.of("contiguous")
                            : List.of("contiguous", "offset", "strided src", "strided dst", "broadcast src")) {
                        String what = "copy " + from + " -> " + to + " " + Arrays.toString(shape) + " " + c;
                        NDArray s = c.equals("broadcast src") ? broadcastOf(src, shape) : src;
                        NDArray ref = NDArray.zeros(to, shape);
                        CPU.copy(s, ref);
                        NDArray sg = onGpu(s, c.equals("strided src") ? Layout.STRIDED
                                : c.equals("offset") ? Layout.OFFSET
                                : c.equals("broadcast src") ? Layout.BROADCAST : Layout.CONTIGUOUS, gpu);
                        NDArray dg = gpuOut(to, shape, c.equals("strided dst") ? Layout.STRIDED
                                : c.equals("offset") ? Layout.OFFSET : Layout.CONTIGUOUS, gpu);
                        cuda.copy(sg, dg);
                        GpuTests.assertSame(ref, dg, what);
                    }
                }
            }
        }
    }

    @Test
    void fill_everyDtypeOnViews() {
        Device gpu = GpuTests.gpu();
        Backend cuda = Backends.of(gpu);
        for (int[] shape : SHAPES) {
            for (DType t : DType.values()) {
                for (double v : new double[] {0, 1.5, -2.7, Double.NaN, 1e30, -1e30}) {
                    for (Layout l : layouts(shape, false)) {
                        if (l == Layout.BROADCAST) {
                            continue;
                        }
                        NDArray ref = NDArray.zeros(t, shape);
                        CPU.fill(ref, v);
                        NDArray g = gpuOut(t, shape, l, gpu);
                        cuda.fill(g, v);
                        GpuTests.assertSame(ref, g, "fill " + t + " " + v + " " + Arrays.toString(shape) + " " + l);
                    }
                }
            }
        }
        // a column of a matrix: the rest stays untouched
        NDArray m = NDArray.zeros(4, 5).to(gpu);
        cuda.fill(m.select(1, 2), 3);
        NDArray want = NDArray.zeros(4, 5);
        CPU.fill(want.select(1, 2), 3);
        GpuTests.assertSame(want, m, "fill of a column");
    }

    @Test
    void where_everyDtypeWithBroadcastOperands() {
        Device gpu = GpuTests.gpu();
        Backend cuda = Backends.of(gpu);
        for (int[] shape : SHAPES) {
            NDArray c = values(DType.BOOL, shape, 51, 0, 0, false);
            for (DType t : DType.values()) {
                NDArray x = values(t, shape, 52, -5, 5, true);
                NDArray y = values(t, shape, 53, -5, 5, true);
                for (String k : numel(shape) == 0 ? List.of("contiguous")
                        : List.of("contiguous", "offset", "strided", "y scalar", "cond scalar")) {
                    NDArray cc = k.equals("cond scalar") ? broadcastOf(c, shape) : c;
                    NDArray yc = k.equals("y scalar") ? broadcastOf(y, shape) : y;
                    NDArray ref = NDArray.zeros(t, shape);
                    CPU.where(cc, x, yc, ref);
                    Layout l = k.equals("strided") ? Layout.STRIDED : k.equals("offset") ? Layout.OFFSET
                            : Layout.CONTIGUOUS;
                    NDArray out = gpuOut(t, shape, l, gpu);
                    cuda.where(onGpu(cc, k.equals("cond scalar") ? Layout.BROADCAST : l, gpu), onGpu(x, l, gpu),
                            onGpu(yc, k.equals("y scalar") ? Layout.BROADCAST : l, gpu), out);
                    GpuTests.assertSame(ref, out, "where " + t + " " + Arrays.toString(shape) + " " + k);
                }
            }
        }
    }

    @Test
    void reluBackward_masksByTheOutputSign() {
        Device gpu = GpuTests.gpu();
        Backend cuda = Backends.of(gpu);
        for (int[] shape : SHAPES) {
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
                NDArray g = values(t, shape, 61, -2, 2, true);
                NDArray y = values(t, shape, 62, -2, 2, true);
                for (Layout l : layouts(shape, false)) {
                    NDArray yc = l == Layout.BROADCAST ? broadcastOf(y, shape) : y;
                    NDArray ref = NDArray.zeros(t, shape);
                    CPU.reluBackward(g, yc, ref);
                    NDArray out = NDArray.zeros(t, shape).to(gpu);
                    cuda.reluBackward(onGpu(g, l == Layout.BROADCAST ? Layout.CONTIGUOUS : l, gpu), onGpu(yc, l, gpu),
                            out);
                    GpuTests.assertSame(ref, out, "relu backward " + t + " " + Arrays.toString(shape) + " " + l);
                }
            }
        }
    }

    @Test
    void moreThanEightUnmergeableDims_runAsSeveralLaunches() {
        Device gpu = GpuTests.gpu();
        NDArray x = GpuTests.rand(71, 2, 3, 2, 2, 2, 2, 2, 2, 3, 2);
        NDArray reversed = x.permute(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        NDArray ref = NDArray.zeros(reversed.shape().toArray());
        CPU.unary(UnaryOp.EXP, reversed, ref, 0, 0);
        NDArray out = NDArray.zeros(reversed.shape().toArray()).to(gpu);
        Backends.of(gpu).unary(UnaryOp.EXP, x.to(gpu).permute(9, 8, 7, 6, 5, 4, 3, 2, 1, 0), out, 0, 0);
        GpuTests.assertClose(ref, out, 1e-6, 0, "exp of a reversed 10-d view");
        assertEquals(10, CudaElementwise.Layout.coalesce(reversed.shape().toArray(), out.strides(),
                reversed.strides()).rank());
    }
}
