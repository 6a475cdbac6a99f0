package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.UnaryOp;

import java.util.function.DoublePredicate;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Unary kernels. The cheap, hot float32 ops (neg, abs, relu, square, clamp) have their own loops;
 * the rest share a loop around a {@link DoubleUnaryOperator}, whose call cost is small next to the
 * transcendental function itself.
 */
final class CpuUnary {
    private CpuUnary() {
    }

    static void run(UnaryOp op, NDArray x, NDArray out, double a, double b) {
        NDArray[] ops = {out, x};
        int[] shape = Host.shape(out);
        switch (x.dtype()) {
            case FLOAT32 -> {
                if (op.producesBool()) {
                    boolPredicateF(ops, shape, Host.f(x), Host.b(out), predicate(op));
                } else if (!hotFloat(op, Host.f(x), Host.f(out), a, b, ops, shape)) {
                    DoubleUnaryOperator f = function(op, a, b);
                    float[] xs = Host.f(x);
                    float[] os = Host.f(out);
                    Loop.forEach(shape, ops, grain(op), (o, n, st) -> {
                        for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                            os[p] = (float) f.applyAsDouble(xs[q]);
                        }
                    });
                }
            }
            case FLOAT64 -> {
                double[] xs = Host.d(x);
                if (op.producesBool()) {
                    DoublePredicate pr = predicate(op);
                    boolean[] os = Host.b(out);
                    Loop.forEach(shape, ops, (o, n, st) -> {
                        for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                            os[p] = pr.test(xs[q]);
                        }
                    });
                } else {
                    DoubleUnaryOperator f = function(op, a, b);
                    double[] os = Host.d(out);
                    Loop.forEach(shape, ops, grain(op), (o, n, st) -> {
                        for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                            os[p] = f.applyAsDouble(xs[q]);
                        }
                    });
                }
            }
            case INT64 -> {
                LongUnaryOperator f = longFunction(op, a, b);
                long[] xs = Host.l(x);
                long[] os = Host.l(out);
                Loop.forEach(shape, ops, (o, n, st) -> {
                    for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                        os[p] = f.applyAsLong(xs[q]);
                    }
                });
            }
            case BOOL -> {
                if (op != UnaryOp.LOGICAL_NOT) {
                    throw new UnsupportedOperationException(op.opName() + ": not defined for bool");
                }
                boolean[] xs = Host.b(x);
                boolean[] os = Host.b(out);
                Loop.forEach(shape, ops, (o, n, st) -> {
                    for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                        os[p] = !xs[q];
                    }
                });
            }
        }
    }

    /** Transcendental ops cost ~10x an add: split them into smaller parallel chunks. */
    private static int grain(UnaryOp op) {
        return op.isFloatingOnly() && op != UnaryOp.FLOOR && op != UnaryOp.CEIL && op != UnaryOp.ROUND
                ? Loop.GRAIN / 8 : Loop.GRAIN;
    }

    private static void boolPredicateF(NDArray[] ops, int[] shape, float[] xs, boolean[] os, DoublePredicate pr) {
        Loop.forEach(shape, ops, (o, n, st) -> {
            for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                os[p] = pr.test(xs[q]);
            }
        });
    }

    private static DoublePredicate predicate(UnaryOp op) {
        return switch (op) {
            case ISNAN -> Double::isNaN;
            case ISFINITE -> Double::isFinite;
            default -> throw new IllegalStateException(op.opName() + " is not a predicate");
        };
    }

    private static boolean hotFloat(UnaryOp op, float[] xs, float[] os, double a, double b, NDArray[] ops,
            int[] shape) {
        Loop.Body body;
        switch (op) {
            case NEG -> body = (o, n, st) -> {
                if (st[0] == 1 && st[1] == 1 && o[0] == o[1]) {
                    for (int i = o[0], end = o[0] + n; i < end; i++) {
                        os[i] = -xs[i];
                    }
                } else if (st[0] == 1 && st[1] == 1) {
                    for (int i = 0, p = o[0], q = o[1]; i < n; i++) {
                        os[p + i] = -xs[q + i];
                    }
                } else {
                    for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                        os[p] = -xs[q];
                    }
                }
            };
            case ABS -> body = (o, n, st) -> {
                for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                    os[p] = Math.abs(xs[q]);
                }
            };
            case RELU -> body = (o, n, st) -> {
                if (st[0] == 1 && st[1] == 1 && o[0] == o[1]) {
                    // Math.max keeps NaN and is branch-free (a select mispredicts on random signs); one
                    // index for input and output lets C2 vectorize even when they alias (in place).
                    for (int i = o[0], end = o[0] + n; i < end; i++) {
                        os[i] = Math.max(xs[i], 0f);
                    }
                } else if (st[0] == 1 && st[1] == 1) {
                    int p = o[0];
                    int q = o[1];
                    for (int i = 0; i < n; i++) {
                        os[p + i] = Math.max(xs[q + i], 0f);
                    }
                } else {
                    for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                        os[p] = Math.max(xs[q], 0f);
                    }
                }
            };
            case SQUARE -> body = (o, n, st) -> {
                for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                    os[p] = xs[q] * xs[q];
                }
            };
            case CLAMP -> {
                float lo = Double.isNaN(a) ? Float.NEGATIVE_INFINITY : (float) a;
                float hi = Double.isNaN(b) ? Float.POSITIVE_INFINITY : (float) b;
                body = (o, n, st) -> {
                    for (int i = 0, p = o[0], q = o[1]; i < n; i++, p += st[0], q += st[1]) {
                        os[p] = Math.min(Math.max(xs[q], lo), hi);
                    }
                };
            }
            default -> {
                return false;
            }
        }
        Loop.forEach(shape, ops, body);
        return true;
    }

    static DoubleUnaryOperator function(UnaryOp op, double a, double b) {
        return switch (op) {
            case NEG -> v -> -v;
            case ABS -> Math::abs;
            case SIGN -> Math::signum;
            case RELU -> v -> v > 0 ? v : (Double.isNaN(v) ? v : 0);
            case SQUARE -> v -> v * v;
            case CLAMP -> {
                double lo = Double.isNaN(a) ? Double.NEGATIVE_INFINITY : a;
                double hi = Double.isNaN(b) ? Double.POSITIVE_INFINITY : b;
                yield v -> v < lo ? lo : (v > hi ? hi : v);
            }
            case FLOOR -> Math::floor;
            case CEIL -> Math::ceil;
            case ROUND -> Math::rint;
            case EXP -> Math::exp;
            case LOG -> Math::log;
            case LOG1P -> Math::log1p;
            case EXPM1 -> Math::expm1;
            case SQRT -> Math::sqrt;
            case RSQRT -> v -> 1 / Math.sqrt(v);
            case RECIPROCAL -> v -> 1 / v;
            case SIN -> Math::sin;
            case COS -> Math::cos;
            case TANH -> Math::tanh;
            case SIGMOID -> MathFns::sigmoid;
            case GELU -> MathFns::gelu;
            case GELU_TANH -> MathFns::geluTanh;
            case SILU -> v -> v * MathFns.sigmoid(v);
            case ERF -> MathFns::erf;
            case LEAKY_RELU -> v -> v > 0 ? v : a * v;
            case ELU -> v -> v > 0 ? v : a * Math.expm1(v);
            case POW_SCALAR -> v -> Math.pow(v, a);
            case RPOW_SCALAR -> v -> Math.pow(a, v);
            case LOGICAL_NOT, ISNAN, ISFINITE -> throw new IllegalStateException(op.opName() + " gives bool");
        };
    }

    private static LongUnaryOperator longFunction(UnaryOp op, double a, double b) {
        return switch (op) {
            case NEG -> v -> -v;
            case ABS -> Math::abs;
            case SIGN -> v -> Long.signum(v);
            case RELU -> v -> Math.max(v, 0);
            case SQUARE -> v -> v * v;
            case CLAMP -> {
                long lo = Double.isNaN(a) ? Long.MIN_VALUE : (long) a;
                long hi = Double.isNaN(b) ? Long.MAX_VALUE : (long) b;
                yield v -> v < lo ? lo : (v > hi ? hi : v);
            }
            default -> throw new UnsupportedOperationException(op.opName() + ": not defined for int64");
        };
    }
}
