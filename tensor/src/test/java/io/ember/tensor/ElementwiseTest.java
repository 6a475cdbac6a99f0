package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ElementwiseTest {
    private static final int[] SHAPE = {3, 4, 5};
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    // ------------------------------------------------------------------ helpers

    /** Values in [lo, hi) built element by element. */
    static NDArray input(long seed, DType dtype, int[] shape, double lo, double hi) {
        Random r = new Random(seed);
        NDArray x = NDArray.zeros(dtype, shape);
        TestArrays.forEachIndex(shape, idx -> x.set(lo + (hi - lo) * r.nextDouble(), idx));
        return x;
    }

    /** Rounds a double reference to what the dtype can hold. */
    static double as(DType t, double v) {
        return switch (t) {
            case FLOAT32 -> (float) v;
            case INT64 -> (long) v;
            case BOOL -> v != 0 ? 1 : 0;
            default -> v;
        };
    }

    static void assertValues(double[] expected, NDArray got, DType t, String what) {
        double[] g = TestArrays.values(got);
        assertEquals(expected.length, g.length, what);
        double tol = t == DType.FLOAT32 ? 1e-6 : t == DType.FLOAT64 ? 1e-12 : 0;
        for (int i = 0; i < g.length; i++) {
            double e = expected[i];
            if (Double.isNaN(e)) {
                assertTrue(Double.isNaN(g[i]), what + " at " + i + ": expected NaN, got " + g[i]);
            } else if (Double.isInfinite(e)) {
                assertEquals(e, g[i], what + " at " + i);
            } else {
                assertEquals(e, g[i], tol * Math.max(1, Math.abs(e)), what + " at " + i);
            }
        }
    }

    private static void checkUnary(String name, UnaryOperator<NDArray> op, DoubleUnaryOperator ref, double lo,
            double hi, DType... dtypes) {
        for (DType t : dtypes) {
            NDArray x = input(name.hashCode(), t, SHAPE, lo, hi);
            double[] xs = TestArrays.values(x);
            double[] expected = new double[xs.length];
            DType outType = op.apply(x).dtype();
            for (int i = 0; i < xs.length; i++) {
                expected[i] = as(outType, ref.applyAsDouble(xs[i]));
            }
            for (NDArray a : TestArrays.layouts(x)) {
                NDArray out = op.apply(a);
                assertEquals(Shape.of(SHAPE), out.shape(), name);
                assertTrue(out.isContiguous(), name);
                assertValues(expected, out, outType, name + " " + t);
            }
        }
    }

    private static void checkBinary(String name, BiFunction<NDArray, NDArray, NDArray> op, DoubleBinaryOperator ref,
            double lo, double hi, DType... dtypes) {
        for (DType t : dtypes) {
            NDArray x = input(name.hashCode(), t, SHAPE, lo, hi);
            NDArray y = input(name.hashCode() + 1, t, SHAPE, lo, hi);
            double[] xs = TestArrays.values(x);
            double[] ys = TestArrays.values(y);
            DType outType = op.apply(x, y).dtype();
            double[] expected = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                expected[i] = as(outType, ref.applyAsDouble(xs[i], ys[i]));
            }
            List<NDArray> xl = TestArrays.layouts(x);
            List<NDArray> yl = TestArrays.layouts(y);
            for (int i = 0; i < xl.size(); i++) {
                assertValues(expected, op.apply(xl.get(i), yl.get((i + 1) % yl.size())), outType, name + " " + t);
            }
        }
    }

    static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage() + " should contain " + p);
        }
    }

    /** erf by Simpson's rule on 2/sqrt(pi) * exp(-t^2), independent of the library's series. */
    static double erfSimpson(double x) {
        int n = 4000;
        double h = x / n;
        double s = 1 + Math.exp(-x * x);
        for (int i = 1; i < n; i++) {
            double t = i * h;
            s += (i % 2 == 1 ? 4 : 2) * Math.exp(-t * t);
        }
        return 2 / Math.sqrt(Math.PI) * s * h / 3;
    }

    static double geluRef(double x) {
        return 0.5 * x * (1 + erfSimpson(x / Math.sqrt(2)));
    }

    static double roundHalfEven(double x) {
        double f = Math.floor(x);
        double d = x - f;
        if (d < 0.5) {
            return f;
        }
        if (d > 0.5) {
            return f + 1;
        }
        return f % 2 == 0 ? f : f + 1;
    }

    // ------------------------------------------------------------------ unary

    @Test
    void unary_signedOps_matchMath() {
        DType[] all = {DType.FLOAT32, DType.FLOAT64, DType.INT64};
        checkUnary("neg", NDArray::neg, v -> -v, -5, 5, all);
        checkUnary("abs", NDArray::abs, v -> v < 0 ? -v : v, -5, 5, all);
        checkUnary("sign", NDArray::sign, v -> v > 0 ? 1 : v < 0 ? -1 : 0, -5, 5, all);
        checkUnary("square", NDArray::square, v -> v * v, -5, 5, all);
        checkUnary("relu", NDArray::relu, v -> v > 0 ? v : 0, -5, 5, all);
    }

    @Test
    void unary_expLog_matchMath() {
        checkUnary("exp", NDArray::exp, Math::exp, -5, 5, FLOATS);
        checkUnary("expm1", NDArray::expm1, Math::expm1, -1e-3, 1e-3, FLOATS);
        checkUnary("log", NDArray::log, Math::log, 0.01, 10, FLOATS);
        checkUnary("log1p", NDArray::log1p, Math::log1p, -0.5, 10, FLOATS);
        checkUnary("sqrt", NDArray::sqrt, Math::sqrt, 0, 10, FLOATS);
        checkUnary("rsqrt", NDArray::rsqrt, v -> 1 / Math.sqrt(v), 0.01, 10, FLOATS);
        checkUnary("reciprocal", NDArray::reciprocal, v -> 1 / v, 0.1, 10, FLOATS);
    }

    @Test
    void unary_trigAndActivations_matchMath() {
        checkUnary("sin", NDArray::sin, Math::sin, -4, 4, FLOATS);
        checkUnary("cos", NDArray::cos, Math::cos, -4, 4, FLOATS);
        checkUnary("tanh", NDArray::tanh, v -> (Math.exp(2 * v) - 1) / (Math.exp(2 * v) + 1), -4, 4, FLOATS);
        checkUnary("sigmoid", NDArray::sigmoid, v -> 1 / (1 + Math.exp(-v)), -8, 8, FLOATS);
        checkUnary("silu", NDArray::silu, v -> v / (1 + Math.exp(-v)), -8, 8, FLOATS);
        checkUnary("leakyRelu", x -> x.leakyRelu(0.1), v -> v > 0 ? v : 0.1 * v, -3, 3, FLOATS);
        checkUnary("elu", x -> x.elu(1.5), v -> v > 0 ? v : 1.5 * (Math.exp(v) - 1), -3, 3, FLOATS);
        checkUnary("geluTanh", NDArray::geluTanh,
                v -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v))), -4, 4, FLOATS);
    }

    @Test
    void gelu_matchesSimpsonErf() {
        // sanity of the reference itself: erf(1) = 0.8427007929497149
        assertEquals(0.8427007929497149, erfSimpson(1), 1e-13);
        for (double x : new double[] {-6, -3, -1.7, -0.5, -1e-3, 0, 1e-3, 0.3, 1, 2.2, 3.5, 6}) {
            NDArray g = NDArray.of(new double[] {x}).gelu();
            assertEquals(geluRef(x), g.getDouble(0), 1e-12, "gelu(" + x + ")");
        }
        checkUnary("gelu", NDArray::gelu, ElementwiseTest::geluRef, -4, 4, FLOATS);
    }

    @Test
    void unary_floorCeilRound_halfToEven() {
        checkUnary("floor", NDArray::floor, Math::floor, -5, 5, FLOATS);
        checkUnary("ceil", NDArray::ceil, Math::ceil, -5, 5, FLOATS);
        checkUnary("round", NDArray::round, ElementwiseTest::roundHalfEven, -5, 5, FLOATS);
        NDArray ties = NDArray.of(new double[] {0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 2.5001});
        assertArrayEquals(new double[] {0, 2, 2, -0.0, -2, -2, 2, 3}, TestArrays.values(ties.round()));
        assertArrayEquals(new double[] {0, 2, 2, -0.0, -2, -2, 2, 3},
                TestArrays.values(ties.to(DType.FLOAT32).round()));
        NDArray ints = NDArray.of(new long[] {-3, 4});
        assertEquals(DType.INT64, ints.floor().dtype());
        assertArrayEquals(new double[] {-3, 4}, TestArrays.values(ints.round()));
    }

    @Test
    void clamp_bothAndOneSided() {
        DType[] all = {DType.FLOAT32, DType.FLOAT64, DType.INT64};
        checkUnary("clamp", x -> x.clamp(-2, 3), v -> v < -2 ? -2 : v > 3 ? 3 : v, -5, 5, all);
        checkUnary("clampMin", x -> x.clampMin(1), v -> v < 1 ? 1 : v, -5, 5, all);
        checkUnary("clampMax", x -> x.clampMax(-1), v -> v > -1 ? -1 : v, -5, 5, all);
        NDArray i = NDArray.of(new long[] {-3, 0, 3});
        NDArray f = i.clamp(-1.5, 2.5);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(new double[] {-1.5, 0, 2.5}, TestArrays.values(f));
        assertMessage(assertThrows(IllegalArgumentException.class, () -> i.clamp(3, 1)), "clamp", "3", "1");
    }

    @Test
    void powScalarAndRpow_matchMath() {
        checkUnary("pow3", x -> x.pow(3), v -> v * v * v, -3, 3, DType.FLOAT32, DType.FLOAT64, DType.INT64);
        checkUnary("pow2", x -> x.pow(2), v -> v * v, -3, 3, DType.FLOAT32, DType.FLOAT64, DType.INT64);
        checkUnary("pow0.5", x -> x.pow(0.5), Math::sqrt, 0, 9, FLOATS);
        checkUnary("pow-1.5", x -> x.pow(-1.5), v -> 1 / (v * Math.sqrt(v)), 0.5, 9, FLOATS);
        checkUnary("rpow", x -> x.rpow(2), v -> Math.exp(v * Math.log(2)), -3, 3, FLOATS);
        NDArray i = NDArray.of(new long[] {4, 9});
        NDArray s = i.pow(0.5);
        assertEquals(DType.FLOAT32, s.dtype());
        assertArrayEquals(new double[] {2, 3}, TestArrays.values(s));
        assertEquals(DType.INT64, i.pow(3).dtype());
        assertArrayEquals(new double[] {64, 729}, TestArrays.values(i.pow(3)));
    }

    @Test
    void predicates_isNanIsFiniteLogicalNot() {
        NDArray x = NDArray.of(new double[] {1, Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.NEGATIVE_INFINITY});
        for (NDArray a : List.of(x, x.to(DType.FLOAT32))) {
            NDArray n = a.isNan();
            assertEquals(DType.BOOL, n.dtype());
            assertArrayEquals(new double[] {0, 1, 0, 0, 0}, TestArrays.values(n));
            assertArrayEquals(new double[] {1, 0, 0, 1, 0}, TestArrays.values(a.isFinite()));
        }
        assertArrayEquals(new double[] {0, 0}, TestArrays.values(NDArray.of(new long[] {1, 2}).isNan()));
        assertArrayEquals(new double[] {1, 1}, TestArrays.values(NDArray.of(new long[] {1, 2}).isFinite()));
        NDArray b = TestArrays.random(4, DType.BOOL, 3, 4);
        double[] bs = TestArrays.values(b);
        for (NDArray a : TestArrays.layouts(b)) {
            double[] got = TestArrays.values(a.logicalNot());
            for (int i = 0; i < bs.length; i++) {
                assertEquals(bs[i] == 0 ? 1 : 0, got[i]);
            }
        }
        assertArrayEquals(new double[] {1, 0, 0}, TestArrays.values(NDArray.of(new double[] {0, 2, Double.NaN}).logicalNot()));
    }

    @Test
    void unary_zeroDimAndEmpty() {
        NDArray s = NDArray.scalar(DType.FLOAT64, -2);
        assertEquals(0, s.abs().dim());
        assertEquals(2, s.abs().item());
        NDArray e = NDArray.zeros(0, 3).exp();
        assertEquals(Shape.of(0, 3), e.shape());
    }

    // ------------------------------------------------------------------ binary

    @Test
    void binary_arithmetic_matchLoops() {
        DType[] all = {DType.FLOAT32, DType.FLOAT64, DType.INT64};
        checkBinary("add", NDArray::add, Double::sum, -5, 5, all);
        checkBinary("sub", NDArray::sub, (p, q) -> p - q, -5, 5, all);
        checkBinary("mul", NDArray::mul, (p, q) -> p * q, -5, 5, all);
        checkBinary("div", NDArray::div, (p, q) -> p / q, 0.5, 5, all);
        checkBinary("minimum", NDArray::minimum, (p, q) -> p < q ? p : q, -5, 5, all);
        checkBinary("maximum", NDArray::maximum, (p, q) -> p > q ? p : q, -5, 5, all);
        checkBinary("addAlpha", (a, b) -> a.add(b, 2.5), (p, q) -> p + 2.5 * q, -5, 5, FLOATS);
        checkBinary("pow", NDArray::pow, (p, q) -> Math.exp(q * Math.log(p)), 0.1, 3, FLOATS);
        checkBinary("atan2", NDArray::atan2, Math::atan2, -3, 3, FLOATS);
    }

    @Test
    void remainder_pythonSignRule() {
        checkBinary("remainder", NDArray::remainder, (p, q) -> p - Math.floor(p / q) * q, -5, 5, FLOATS);
        NDArray a = NDArray.of(new long[] {7, -7, 7, -7, 6});
        NDArray b = NDArray.of(new long[] {3, 3, -3, -3, 3});
        // Python: 7 % 3 = 1, -7 % 3 = 2, 7 % -3 = -2, -7 % -3 = -1, 6 % 3 = 0
        assertArrayEquals(new double[] {1, 2, -2, -1, 0}, TestArrays.values(a.remainder(b)));
        assertArrayEquals(new double[] {1, 2, -2, -1, 0}, TestArrays.values(a.to(DType.FLOAT64).remainder(b.to(DType.FLOAT64))));
        assertArrayEquals(new double[] {1.5, 0.5}, TestArrays.values(NDArray.of(new double[] {-0.5, 2.5}).remainder(2)));
    }

    @Test
    void comparisons_giveBoolMatchingLoops() {
        DType[] all = {DType.FLOAT32, DType.FLOAT64, DType.INT64};
        checkBinary("eq", NDArray::eq, (p, q) -> p == q ? 1 : 0, -2, 2, all);
        checkBinary("ne", NDArray::ne, (p, q) -> p != q ? 1 : 0, -2, 2, all);
        checkBinary("lt", NDArray::lt, (p, q) -> p < q ? 1 : 0, -2, 2, all);
        checkBinary("le", NDArray::le, (p, q) -> p <= q ? 1 : 0, -2, 2, all);
        checkBinary("gt", NDArray::gt, (p, q) -> p > q ? 1 : 0, -2, 2, all);
        checkBinary("ge", NDArray::ge, (p, q) -> p >= q ? 1 : 0, -2, 2, all);
        NDArray x = NDArray.of(new float[] {1, 2, Float.NaN});
        assertArrayEquals(new double[] {0, 1, 0}, TestArrays.values(x.eq(2)));
        assertArrayEquals(new double[] {1, 0, 1}, TestArrays.values(x.ne(2)));
        assertArrayEquals(new double[] {1, 0, 0}, TestArrays.values(x.lt(2)));
        assertArrayEquals(new double[] {1, 1, 0}, TestArrays.values(x.le(2)));
        assertArrayEquals(new double[] {0, 0, 0}, TestArrays.values(x.gt(2)));
        assertArrayEquals(new double[] {0, 1, 0}, TestArrays.values(x.ge(2)));
        assertEquals(DType.BOOL, x.ge(2).dtype());
    }

    @Test
    void logicalOps_onBoolsAndNumbers() {
        checkBinary("and", NDArray::logicalAnd, (p, q) -> p != 0 && q != 0 ? 1 : 0, -1, 2, DType.INT64, DType.FLOAT32);
        checkBinary("or", NDArray::logicalOr, (p, q) -> p != 0 || q != 0 ? 1 : 0, -1, 2, DType.INT64, DType.FLOAT64);
        checkBinary("xor", NDArray::logicalXor, (p, q) -> (p != 0) != (q != 0) ? 1 : 0, -1, 2, DType.INT64);
        NDArray a = NDArray.of(new boolean[] {true, true, false, false});
        NDArray b = NDArray.of(new boolean[] {true, false, true, false});
        assertArrayEquals(new double[] {1, 0, 0, 0}, TestArrays.values(a.logicalAnd(b)));
        assertArrayEquals(new double[] {1, 1, 1, 0}, TestArrays.values(a.logicalOr(b)));
        assertArrayEquals(new double[] {0, 1, 1, 0}, TestArrays.values(a.logicalXor(b)));
        assertEquals(DType.BOOL, a.logicalXor(b).dtype());
    }

    @Test
    void scalarOverloads_andReversed() {
        for (DType t : FLOATS) {
            NDArray x = input(3, t, SHAPE, 0.5, 4);
            double[] xs = TestArrays.values(x);
            for (NDArray a : TestArrays.layouts(x)) {
                double[][] expected = new double[8][xs.length];
                for (int i = 0; i < xs.length; i++) {
                    expected[0][i] = as(t, xs[i] + 1.5);
                    expected[1][i] = as(t, xs[i] - 1.5);
                    expected[2][i] = as(t, 1.5 - xs[i]);
                    expected[3][i] = as(t, xs[i] * 1.5);
                    expected[4][i] = as(t, xs[i] / 1.5);
                    expected[5][i] = as(t, 1.5 / xs[i]);
                    expected[6][i] = as(t, xs[i] - Math.floor(xs[i] / 1.5) * 1.5);
                    expected[7][i] = xs[i] > 1.5 ? 1 : 0;
                }
                assertValues(expected[0], a.add(1.5), t, "add");
                assertValues(expected[1], a.sub(1.5), t, "sub");
                assertValues(expected[2], a.rsub(1.5), t, "rsub");
                assertValues(expected[3], a.mul(1.5), t, "mul");
                assertValues(expected[4], a.div(1.5), t, "div");
                assertValues(expected[5], a.rdiv(1.5), t, "rdiv");
                assertValues(expected[6], a.remainder(1.5), t, "remainder");
                assertValues(expected[7], a.gt(1.5), DType.BOOL, "gt");
                assertEquals(t, a.add(1.5).dtype());
            }
        }
    }

    @Test
    void where_broadcastsAllThree() {
        NDArray cond = NDArray.of(new boolean[] {true, false, true}, 3, 1);
        NDArray x = TestArrays.random(1, DType.FLOAT32, 1, 4);
        NDArray y = TestArrays.random(2, DType.FLOAT64, 3, 4);
        NDArray w = NDArray.where(cond, x, y);
        assertEquals(Shape.of(3, 4), w.shape());
        assertEquals(DType.FLOAT64, w.dtype());
        for (NDArray yl : TestArrays.layouts(y)) {
            NDArray ww = NDArray.where(cond, x, yl);
            TestArrays.forEachIndex(new int[] {3, 4}, i -> assertEquals(
                    i[0] != 1 ? (double) (float) x.getDouble(0, i[1]) : y.getDouble(i), ww.getDouble(i)));
        }
        NDArray numericCond = NDArray.of(new double[] {0, 2});
        assertArrayEquals(new double[] {5, 1}, TestArrays.values(
                NDArray.where(numericCond, NDArray.ones(2), NDArray.full(5, 2))));
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.where(NDArray.zeros(DType.BOOL, 2), NDArray.zeros(3), NDArray.zeros(3))), "where");
    }

    // ------------------------------------------------------------------ broadcasting

    @Test
    void broadcast_columnPlusRow() {
        NDArray a = TestArrays.random(1, DType.FLOAT64, 3, 1);
        NDArray b = TestArrays.random(2, DType.FLOAT64, 1, 4);
        for (NDArray al : TestArrays.layouts(a)) {
            for (NDArray bl : TestArrays.layouts(b)) {
                NDArray c = al.add(bl);
                assertEquals(Shape.of(3, 4), c.shape());
                TestArrays.forEachIndex(new int[] {3, 4}, i ->
                        assertEquals(a.getDouble(i[0], 0) + b.getDouble(0, i[1]), c.getDouble(i), 1e-15));
            }
        }
    }

    @Test
    void broadcast_rank3WithRank2() {
        NDArray a = TestArrays.random(3, DType.FLOAT32, 5, 1, 3);
        NDArray b = TestArrays.random(4, DType.FLOAT32, 4, 1);
        NDArray c = a.mul(b);
        assertEquals(Shape.of(5, 4, 3), c.shape());
        TestArrays.forEachIndex(new int[] {5, 4, 3}, i ->
                assertEquals((float) (a.getDouble(i[0], 0, i[2]) * b.getDouble(i[1], 0)), c.getDouble(i), 1e-6));
        assertEquals(Shape.of(5, 4, 3), b.sub(a).shape());
    }

    @Test
    void broadcast_zeroDimScalarWithNd() {
        NDArray s = NDArray.scalar(DType.FLOAT64, 2);
        NDArray x = TestArrays.random(5, DType.FLOAT64, 2, 3);
        for (NDArray a : TestArrays.layouts(x)) {
            NDArray c = s.sub(a);
            assertEquals(Shape.of(2, 3), c.shape());
            TestArrays.forEachIndex(new int[] {2, 3}, i -> assertEquals(2 - x.getDouble(i), c.getDouble(i)));
        }
        assertEquals(0, s.add(s).dim());
        assertEquals(4, s.add(s).item());
    }

    @Test
    void broadcast_sizeZeroDims() {
        NDArray e = NDArray.zeros(0, 3).add(NDArray.ones(1, 3));
        assertEquals(Shape.of(0, 3), e.shape());
        assertEquals(Shape.of(2, 0), NDArray.zeros(2, 1).mul(NDArray.zeros(0)).shape());
        assertMessage(assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(2, 3).add(NDArray.zeros(0))),
                "add", "[2, 3]", "[0]");
    }

    @Test
    void broadcast_incompatible_messageNamesOpAndShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(2, 3).mul(NDArray.zeros(4, 3)));
        assertMessage(e, "mul", "[2, 3]", "[4, 3]");
        assertMessage(assertThrows(IllegalArgumentException.class,
                () -> NDArray.zeros(5).lt(NDArray.zeros(2, 4))), "lt", "[5]", "[2, 4]");
    }

    // ------------------------------------------------------------------ in place

    @Test
    void inPlace_arithmetic_contiguousAndStridedWriteThrough() {
        for (DType t : FLOATS) {
            NDArray x0 = input(1, t, SHAPE, 0.5, 3);
            NDArray y = input(2, t, SHAPE, 0.5, 3);
            double[] xs = TestArrays.values(x0);
            double[] ys = TestArrays.values(y);
            for (NDArray x : TestArrays.layouts(x0)) {
                double[] e = new double[xs.length];
                NDArray r = x.addInPlace(y);
                assertSame(x, r);
                for (int i = 0; i < e.length; i++) {
                    e[i] = as(t, xs[i] + ys[i]);
                }
                assertValues(e, x, t, "addInPlace");
                x.addInPlace(y, -2);
                for (int i = 0; i < e.length; i++) {
                    e[i] = as(t, e[i] - 2 * ys[i]);
                }
                assertValues(e, x, t, "addInPlace alpha");
                x.subInPlace(y);
                x.mulInPlace(y);
                x.divInPlace(NDArray.scalar(t, 4));
                for (int i = 0; i < e.length; i++) {
                    e[i] = as(t, as(t, as(t, e[i] - ys[i]) * ys[i]) / 4);
                }
                assertValues(e, x, t, "sub/mul/divInPlace");
                x.addInPlace(1).mulInPlace(2).subInPlace(0.5).divInPlace(2);
                for (int i = 0; i < e.length; i++) {
                    e[i] = as(t, as(t, as(t, as(t, e[i] + 1) * 2) - 0.5) / 2);
                }
                assertValues(e, x, t, "scalar InPlace");
            }
        }
    }

    @Test
    void inPlace_writesThroughViewToBase() {
        NDArray base = NDArray.zeros(4, 6);
        NDArray view = base.slice(1, 1, 6, 2).t(); // [3, 4], strided and transposed
        view.addInPlace(NDArray.arange(4).to(DType.FLOAT32));
        TestArrays.forEachIndex(new int[] {4, 6}, i ->
                assertEquals(i[1] % 2 == 1 ? i[0] : 0, base.getDouble(i), Arrays.toString(i)));
        view.zeroInPlace();
        assertArrayEquals(new double[24], TestArrays.values(base));
        base.select(0, 2).fillInPlace(3);
        TestArrays.forEachIndex(new int[] {4, 6}, i -> assertEquals(i[0] == 2 ? 3 : 0, base.getDouble(i)));
    }

    @Test
    void addcmulAddcdivLerp_matchFormulas() {
        NDArray x0 = input(5, DType.FLOAT64, SHAPE, -2, 2);
        NDArray a = input(6, DType.FLOAT64, SHAPE, -2, 2);
        NDArray b = input(7, DType.FLOAT64, SHAPE, 0.5, 2);
        double[] xs = TestArrays.values(x0);
        double[] as = TestArrays.values(a);
        double[] bs = TestArrays.values(b);
        for (NDArray x : TestArrays.layouts(x0)) {
            x.addcmulInPlace(a, b, 0.5);
            double[] e = new double[xs.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = xs[i] + 0.5 * as[i] * bs[i];
            }
            assertValues(e, x, DType.FLOAT64, "addcmul");
            x.addcdivInPlace(a, b, -2);
            for (int i = 0; i < e.length; i++) {
                e[i] = e[i] - 2 * as[i] / bs[i];
            }
            assertValues(e, x, DType.FLOAT64, "addcdiv");
            x.lerpInPlace(b, 0.25);
            for (int i = 0; i < e.length; i++) {
                e[i] = e[i] + 0.25 * (bs[i] - e[i]);
            }
            assertValues(e, x, DType.FLOAT64, "lerp");
        }
    }

    @Test
    void clampInPlaceFillZero_onLayouts() {
        NDArray x0 = input(8, DType.FLOAT32, SHAPE, -5, 5);
        double[] xs = TestArrays.values(x0);
        for (NDArray x : TestArrays.layouts(x0)) {
            x.clampInPlace(-1, 2);
            double[] e = new double[xs.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = Math.max(-1, Math.min(2, xs[i]));
            }
            assertValues(e, x, DType.FLOAT32, "clampInPlace");
            x.fillInPlace(2.5);
            Arrays.fill(e, 2.5);
            assertValues(e, x, DType.FLOAT32, "fillInPlace");
            x.zeroInPlace();
            assertValues(new double[xs.length], x, DType.FLOAT32, "zeroInPlace");
        }
    }

    @Test
    void inPlace_errors() {
        NDArray ints = NDArray.zeros(DType.INT64, 3);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ints.addInPlace(NDArray.ones(3))),
                "add", "can't be cast", "int64", "float32");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ints.divInPlace(2)), "div", "can't be cast");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> ints.sqrtInPlace()), "sqrt", "can't be cast");
        NDArray expanded = NDArray.zeros(1, 3).expand(4, 3);
        assertMessage(assertThrows(IllegalArgumentException.class, () -> expanded.addInPlace(NDArray.ones(4, 3))),
                "add", "expanded");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> expanded.fillInPlace(1)),
                "fillInPlace", "expanded");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> NDArray.zeros(3).addInPlace(NDArray.ones(2, 3))),
                "add", "[2, 3]", "[3]");
        NDArray f = NDArray.zeros(2);
        f.addInPlace(NDArray.of(new long[] {1, 2}));
        assertArrayEquals(new double[] {1, 2}, TestArrays.values(f));
    }

    @Test
    void unaryInPlace_matchOutOfPlace() {
        NDArray x0 = input(9, DType.FLOAT64, SHAPE, 0.1, 3);
        for (NDArray x : TestArrays.layouts(x0)) {
            NDArray y = x.clone();
            assertValues(TestArrays.values(x0.sqrt()), y.sqrtInPlace(), DType.FLOAT64, "sqrtInPlace");
            NDArray z = x.clone();
            z.negInPlace().reluInPlace();
            assertValues(new double[x0.numel()], z, DType.FLOAT64, "neg relu");
            x.expInPlace();
            double[] xs = TestArrays.values(x0);
            double[] e = new double[xs.length];
            for (int i = 0; i < e.length; i++) {
                e[i] = Math.exp(xs[i]);
            }
            assertValues(e, x, DType.FLOAT64, "expInPlace");
            x.powInPlace(0.5);
            for (int i = 0; i < e.length; i++) {
                e[i] = Math.exp(xs[i] / 2);
            }
            assertValues(e, x, DType.FLOAT64, "powInPlace");
        }
    }

    @Test
    void int64Arithmetic_exact() {
        long big = 1L << 53;
        NDArray a = NDArray.of(new long[] {big, -7});
        NDArray b = NDArray.of(new long[] {1, 2});
        assertEquals(big + 1, a.add(b).getLong(0));
        assertEquals(-14, a.mul(b).getLong(1));
        assertEquals(DType.FLOAT32, a.div(b).dtype());
        assertEquals(-3.5, a.div(b).getDouble(1));
    }

    @Test
    void broadcast_randomShapes_matchLoop() {
        Random r = new Random(2024);
        DType[] types = {DType.FLOAT32, DType.FLOAT64, DType.INT64, DType.BOOL};
        for (int trial = 0; trial < 40; trial++) {
            int rank = r.nextInt(5);
            int[] out = new int[rank];
            int[] as = new int[rank];
            for (int i = 0; i < rank; i++) {
                out[i] = 1 + r.nextInt(4);
                as[i] = r.nextInt(3) == 0 ? 1 : out[i];
            }
            int bRank = rank == 0 ? 0 : r.nextInt(rank + 1);
            int[] bs = new int[bRank];
            for (int i = 0; i < bRank; i++) {
                int d = rank - bRank + i;
                bs[i] = r.nextInt(3) == 0 ? 1 : out[d];
            }
            int[] expectedShape = new int[rank];
            for (int i = 0; i < rank; i++) {
                int bi = i - (rank - bRank);
                expectedShape[i] = Math.max(as[i], bi >= 0 ? bs[bi] : 1);
            }
            DType t = types[trial % types.length];
            NDArray a = TestArrays.random(trial, t, as);
            NDArray b = TestArrays.random(trial + 100, t, bs);
            List<NDArray> al = TestArrays.layouts(a);
            List<NDArray> bl = TestArrays.layouts(b);
            NDArray sum = al.get(trial % al.size()).add(bl.get((trial + 1) % bl.size()));
            NDArray prod = bl.get(trial % bl.size()).mul(al.get((trial + 2) % al.size()));
            NDArray less = al.get((trial + 3) % al.size()).lt(bl.get(trial % bl.size()));
            assertEquals(Shape.of(expectedShape), sum.shape(), Arrays.toString(as) + " + " + Arrays.toString(bs));
            assertEquals(t == DType.BOOL ? DType.INT64 : t, sum.dtype());
            TestArrays.forEachIndex(expectedShape, idx -> {
                int[] ai = new int[rank];
                int[] bi = new int[bRank];
                for (int i = 0; i < rank; i++) {
                    ai[i] = as[i] == 1 ? 0 : idx[i];
                }
                for (int i = 0; i < bRank; i++) {
                    bi[i] = bs[i] == 1 ? 0 : idx[rank - bRank + i];
                }
                double x = a.getDouble(ai);
                double y = b.getDouble(bi);
                DType ct = t == DType.BOOL ? DType.INT64 : t;
                assertEquals(as(ct, x + y), sum.getDouble(idx), 1e-6);
                assertEquals(as(ct, x * y), prod.getDouble(idx), 1e-6);
                assertEquals(x < y ? 1 : 0, less.getDouble(idx));
            });
        }
    }

    @Test
    void where_allLayouts_matchLoop() {
        NDArray c = TestArrays.random(1, DType.BOOL, 3, 4);
        NDArray x = TestArrays.random(2, DType.FLOAT32, 3, 4);
        NDArray y = TestArrays.random(3, DType.FLOAT32, 3, 4);
        for (NDArray cl : TestArrays.layouts(c)) {
            for (NDArray xl : TestArrays.layouts(x)) {
                NDArray w = NDArray.where(cl, xl, y.t().contiguous().t());
                TestArrays.forEachIndex(new int[] {3, 4}, i ->
                        assertEquals(c.getBoolean(i) ? x.getDouble(i) : y.getDouble(i), w.getDouble(i)));
            }
        }
    }

    @Test
    void boolInputs_arithmeticAsInt64() {
        NDArray b = TestArrays.random(1, DType.BOOL, 4, 5);
        for (NDArray l : TestArrays.layouts(b)) {
            NDArray s = l.add(l);
            assertEquals(DType.INT64, s.dtype());
            TestArrays.forEachIndex(new int[] {4, 5}, i -> assertEquals(2 * b.getDouble(i), s.getDouble(i)));
            assertEquals(DType.INT64, l.abs().dtype());
            NDArray m = l.maximum(l.logicalNot());
            TestArrays.forEachIndex(new int[] {4, 5}, i -> assertEquals(1, m.getDouble(i)));
        }
    }
}
