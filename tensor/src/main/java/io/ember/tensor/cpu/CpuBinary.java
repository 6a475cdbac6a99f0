package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.spi.BinaryOp;

import java.util.function.DoubleBinaryOperator;
import java.util.function.LongBinaryOperator;

/**
 * Binary kernels over operands already broadcast to one shape. float32 add/sub/mul/div have
 * dedicated loops with contiguous and scalar-operand fast paths; other ops and dtypes share loops
 * around a functional operator.
 */
final class CpuBinary {
    private CpuBinary() {
    }

    interface DoubleBinaryPredicate {
        boolean test(double a, double b);
    }

    interface LongBinaryPredicate {
        boolean test(long a, long b);
    }

    static void run(BinaryOp op, NDArray x, NDArray y, NDArray out) {
        NDArray[] ops = {out, x, y};
        int[] shape = Host.shape(out);
        switch (x.dtype()) {
            case FLOAT32 -> {
                float[] a = Host.f(x);
                float[] b = Host.f(y);
                if (op.producesBool()) {
                    DoubleBinaryPredicate pr = doublePredicate(op);
                    boolean[] o = Host.b(out);
                    Loop.forEach(shape, ops, (off, n, st) -> {
                        for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                            o[p] = pr.test(a[q], b[r]);
                        }
                    });
                } else if (!hotFloat(op, a, b, Host.f(out), ops, shape)) {
                    DoubleBinaryOperator f = doubleFunction(op);
                    float[] o = Host.f(out);
                    Loop.forEach(shape, ops, Loop.GRAIN / 4, (off, n, st) -> {
                        for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                            o[p] = (float) f.applyAsDouble(a[q], b[r]);
                        }
                    });
                }
            }
            case FLOAT64 -> {
                double[] a = Host.d(x);
                double[] b = Host.d(y);
                if (op.producesBool()) {
                    DoubleBinaryPredicate pr = doublePredicate(op);
                    boolean[] o = Host.b(out);
                    Loop.forEach(shape, ops, (off, n, st) -> {
                        for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                            o[p] = pr.test(a[q], b[r]);
                        }
                    });
                } else {
                    DoubleBinaryOperator f = doubleFunction(op);
                    double[] o = Host.d(out);
                    Loop.forEach(shape, ops, Loop.GRAIN / 4, (off, n, st) -> {
                        for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                            o[p] = f.applyAsDouble(a[q], b[r]);
                        }
                    });
                }
            }
            case INT64 -> {
                long[] a = Host.l(x);
                long[] b = Host.l(y);
                if (op.producesBool()) {
                    LongBinaryPredicate pr = longPredicate(op);
                    boolean[] o = Host.b(out);
                    Loop.forEach(shape, ops, (off, n, st) -> {
                        for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                            o[p] = pr.test(a[q], b[r]);
                        }
                    });
                } else {
                    LongBinaryOperator f = longFunction(op);
                    long[] o = Host.l(out);
                    Loop.forEach(shape, ops, (off, n, st) -> {
                        for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                            o[p] = f.applyAsLong(a[q], b[r]);
                        }
                    });
                }
            }
            case BOOL -> {
                boolean[] a = Host.b(x);
                boolean[] b = Host.b(y);
                boolean[] o = Host.b(out);
                LongBinaryPredicate pr = op.isLogical() ? logicalPredicate(op) : longPredicate(op);
                Loop.forEach(shape, ops, (off, n, st) -> {
                    for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                        o[p] = pr.test(a[q] ? 1 : 0, b[r] ? 1 : 0);
                    }
                });
            }
        }
    }

    private static boolean hotFloat(BinaryOp op, float[] a, float[] b, float[] o, NDArray[] ops, int[] shape) {
        Loop.Body body;
        switch (op) {
            case ADD -> body = (off, n, st) -> {
                int p = off[0];
                int q = off[1];
                int r = off[2];
                if (st[0] == 1 && st[1] == 1 && st[2] == 1 && p == q && q == r) {
                    // one index for all three: C2 can vectorize even if the arrays alias (in place)
                    for (int i = p, end = p + n; i < end; i++) {
                        o[i] = a[i] + b[i];
                    }
                } else if (st[0] == 1 && st[1] == 1 && st[2] == 1) {
                    for (int i = 0; i < n; i++) {
                        o[p + i] = a[q + i] + b[r + i];
                    }
                } else if (st[0] == 1 && st[1] == 1 && st[2] == 0 && p == q) {
                    float v = b[r];
                    for (int i = p, end = p + n; i < end; i++) {
                        o[i] = a[i] + v;
                    }
                } else if (st[0] == 1 && st[1] == 1 && st[2] == 0) {
                    float v = b[r];
                    for (int i = 0; i < n; i++) {
                        o[p + i] = a[q + i] + v;
                    }
                } else {
                    for (int i = 0; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                        o[p] = a[q] + b[r];
                    }
                }
            };
            case SUB -> body = (off, n, st) -> {
                int p = off[0];
                int q = off[1];
                int r = off[2];
                if (st[0] == 1 && st[1] == 1 && st[2] == 1 && p == q && q == r) {
                    // one index for all three: C2 can vectorize even if the arrays alias (in place)
                    for (int i = p, end = p + n; i < end; i++) {
                        o[i] = a[i] - b[i];
                    }
                } else if (st[0] == 1 && st[1] == 1 && st[2] == 1) {
                    for (int i = 0; i < n; i++) {
                        o[p + i] = a[q + i] - b[r + i];
                    }
                } else {
                    for (int i = 0; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                        o[p] = a[q] - b[r];
                    }
                }
            };
            case MUL -> body = (off, n, st) -> {
                int p = off[0];
                int q = off[1];
                int r = off[2];
                if (st[0] == 1 && st[1] == 1 && st[2] == 1 && p == q && q == r) {
                    // one index for all three: C2 can vectorize even if the arrays alias (in place)
                    for (int i = p, end = p + n; i < end; i++) {
                        o[i] = a[i] * b[i];
                    }
                } else if (st[0] == 1 && st[1] == 1 && st[2] == 1) {
                    for (int i = 0; i < n; i++) {
                        o[p + i] = a[q + i] * b[r + i];
                    }
                } else if (st[0] == 1 && st[1] == 1 && st[2] == 0 && p == q) {
                    float v = b[r];
                    for (int i = p, end = p + n; i < end; i++) {
                        o[i] = a[i] * v;
                    }
                } else if (st[0] == 1 && st[1] == 1 && st[2] == 0) {
                    float v = b[r];
                    for (int i = 0; i < n; i++) {
                        o[p + i] = a[q + i] * v;
                    }
                } else {
                    for (int i = 0; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                        o[p] = a[q] * b[r];
                    }
                }
            };
            case DIV -> body = (off, n, st) -> {
                int p = off[0];
                int q = off[1];
                int r = off[2];
                if (st[0] == 1 && st[1] == 1 && st[2] == 1 && p == q && q == r) {
                    // one index for all three: C2 can vectorize even if the arrays alias (in place)
                    for (int i = p, end = p + n; i < end; i++) {
                        o[i] = a[i] / b[i];
                    }
                } else if (st[0] == 1 && st[1] == 1 && st[2] == 1) {
                    for (int i = 0; i < n; i++) {
                        o[p + i] = a[q + i] / b[r + i];
                    }
                } else {
                    for (int i = 0; i < n; i++, p += st[0], q += st[1], r += st[2]) {
                        o[p] = a[q] / b[r];
                    }
                }
            };
            default -> {
                return false;
            }
        }
        Loop.forEach(shape, ops, body);
        return true;
    }

    static DoubleBinaryOperator doubleFunction(BinaryOp op) {
        return switch (op) {
            case ADD -> Double::sum;
            case SUB -> (p, q) -> p - q;
            case MUL -> (p, q) -> p * q;
            case DIV -> (p, q) -> p / q;
            case POW -> Math::pow;
            case MINIMUM -> Math::min;
            case MAXIMUM -> Math::max;
            case REMAINDER -> (p, q) -> {
                double r = p % q;
                return r != 0 && (r < 0) != (q < 0) ? r + q : r;
            };
            case ATAN2 -> Math::atan2;
            default -> throw new IllegalStateException(op.opName() + " gives bool");
        };
    }

    private static DoubleBinaryPredicate doublePredicate(BinaryOp op) {
        return switch (op) {
            case EQ -> (p, q) -> p == q;
            case NE -> (p, q) -> p != q;
            case LT -> (p, q) -> p < q;
            case LE -> (p, q) -> p <= q;
            case GT -> (p, q) -> p > q;
            case GE -> (p, q) -> p >= q;
            case LOGICAL_AND -> (p, q) -> p != 0 && q != 0;
            case LOGICAL_OR -> (p, q) -> p != 0 || q != 0;
            case LOGICAL_XOR -> (p, q) -> (p != 0) != (q != 0);
            default -> throw new IllegalStateException(op.opName() + " is not a predicate");
        };
    }

    private static LongBinaryPredicate longPredicate(BinaryOp op) {
        return switch (op) {
            case EQ -> (p, q) -> p == q;
            case NE -> (p, q) -> p != q;
            case LT -> (p, q) -> p < q;
            case LE -> (p, q) -> p <= q;
            case GT -> (p, q) -> p > q;
            case GE -> (p, q) -> p >= q;
            default -> logicalPredicate(op);
        };
    }

    private static LongBinaryPredicate logicalPredicate(BinaryOp op) {
        return switch (op) {
            case LOGICAL_AND -> (p, q) -> p != 0 && q != 0;
            case LOGICAL_OR -> (p, q) -> p != 0 || q != 0;
            case LOGICAL_XOR -> (p, q) -> (p != 0) != (q != 0);
            default -> throw new IllegalStateException(op.opName() + " is not a predicate");
        };
    }

    private static LongBinaryOperator longFunction(BinaryOp op) {
        return switch (op) {
            case ADD -> Long::sum;
            case SUB -> (p, q) -> p - q;
            case MUL -> (p, q) -> p * q;
            case MINIMUM -> Math::min;
            case MAXIMUM -> Math::max;
            case POW -> CpuBinary::ipow;
            case REMAINDER -> (p, q) -> {
                if (q == 0) {
                    throw new ArithmeticException("remainder: integer division by zero");
                }
                return Math.floorMod(p, q);
            };
            default -> throw new UnsupportedOperationException(op.opName() + ": not defined for int64");
        };
    }

    private static long ipow(long base, long exp) {
        if (exp < 0) {
            throw new ArithmeticException("pow: integers to negative integer powers are not allowed");
        }
        long r = 1;
        long b = base;
        long e = exp;
        while (e > 0) {
            if ((e & 1) != 0) {
                r *= b;
            }
            b *= b;
            e >>= 1;
        }
        return r;
    }
}
