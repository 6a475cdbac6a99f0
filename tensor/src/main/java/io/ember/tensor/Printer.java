package io.ember.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * PyTorch-style printing: {@code tensor([[1., 2.],\n        [3., 4.]], dtype=float32)}.
 *
 * <p>Floats share one format per array: {@code 1.} when every finite value is an integer,
 * {@code 0.1235} (4 decimals) otherwise, {@code 1.0000e+05} when the largest/smallest non-zero
 * magnitude ratio exceeds 1000, the largest exceeds 1e8, or (non-integer values) the smallest is
 * below 1e-4. Columns are padded to one width; arrays of more than 1000 elements show the first and
 * last 3 items per dim around {@code ...}. The dtype is always printed; the device when not CPU.
 */
final class Printer {
    static final int THRESHOLD = 1000;
    static final int EDGE_ITEMS = 3;
    static final int LINE_WIDTH = 80;
    static final int PRECISION = 4;
    private static final String PREFIX = "tensor(";

    private Printer() {
    }

    static String format(NDArray x) {
        NDArray h = x.device().isCpu() ? x : x.to(Device.CPU);
        boolean summarize = h.numel() > THRESHOLD;
        StringBuilder sb = new StringBuilder(PREFIX);
        int[] shape = h.shape;
        boolean empty = h.numel() == 0;
        if (empty) {
            sb.append("[]");
        } else {
            Formatter f = new Formatter(h, summarize);
            body(sb, h, f, new int[shape.length], 0, PREFIX.length(), summarize);
        }
        if (!x.device().isCpu()) {
            sb.append(", device='").append(x.device()).append('\'');
        }
        if (empty && !(shape.length == 1 && shape[0] == 0)) {
            sb.append(", size=(");
            for (int i = 0; i < shape.length; i++) {
                sb.append(i > 0 ? ", " : "").append(shape[i]);
            }
            sb.append(shape.length == 1 ? ",)" : ")");
        }
        sb.append(", dtype=").append(x.dtype).append(')');
        return sb.toString();
    }

    /** Indices shown along a dim of size n. */
    private static int[] shownIndices(int n, boolean summarize) {
        if (!summarize || n <= 2 * EDGE_ITEMS) {
            int[] r = new int[n];
            for (int i = 0; i < n; i++) {
                r[i] = i;
            }
            return r;
        }
        int[] r = new int[2 * EDGE_ITEMS];
        for (int i = 0; i < EDGE_ITEMS; i++) {
            r[i] = i;
            r[EDGE_ITEMS + i] = n - EDGE_ITEMS + i;
        }
        return r;
    }

    private static boolean elided(int n, boolean summarize) {
        return summarize && n > 2 * EDGE_ITEMS;
    }

    /** Calls f with the index of every element shown. */
    private static void forEachShown(NDArray x, int[] idx, int d, boolean summarize, Consumer<int[]> f) {
        if (d == x.shape.length) {
            f.accept(idx);
            return;
        }
        for (int i : shownIndices(x.shape[d], summarize)) {
            idx[d] = i;
            forEachShown(x, idx, d + 1, summarize, f);
        }
    }

    private static void body(StringBuilder sb, NDArray x, Formatter f, int[] idx, int d, int indent, boolean summarize) {
        int rank = x.shape.length;
        if (d == rank) {
            sb.append(f.pad(f.text(x, idx)));
            return;
        }
        int n = x.shape[d];
        int[] shown = shownIndices(n, summarize);
        boolean dots = elided(n, summarize);
        sb.append('[');
        if (d == rank - 1) {
            List<String> items = new ArrayList<>();
            for (int k = 0; k < shown.length; k++) {
                if (dots && k == EDGE_ITEMS) {
                    items.add(" ...");
                }
                idx[d] = shown[k];
                items.add(f.pad(f.text(x, idx)));
            }
            int perLine = Math.max(1, (LINE_WIDTH - indent) / (f.width + 2));
            for (int k = 0; k < items.size(); k++) {
                if (k > 0) {
                    sb.append(k % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                }
                sb.append(items.get(k));
            }
        } else {
            String sep = "," + "\n".repeat(rank - d - 1) + " ".repeat(indent + 1);
            for (int k = 0; k < shown.length; k++) {
                if (k > 0) {
                    sb.append(sep);
                }
                if (dots && k == EDGE_ITEMS) {
                    sb.append("...").append(sep);
                }
                idx[d] = shown[k];
                body(sb, x, f, idx, d + 1, indent + 1, summarize);
            }
        }
        sb.append(']');
    }

    /** One float format (and column width) for a whole array. */
    static final class Formatter {
        private final boolean floating;
        private boolean intMode = true;
        private boolean sciMode;
        final int width;

        Formatter(NDArray x, boolean summarize) {
            floating = x.dtype.isFloating();
            int[] idx = new int[x.shape.length];
            if (floating) {
                double[] range = {0, Double.POSITIVE_INFINITY};
                forEachShown(x, idx, 0, summarize, i -> {
                    double v = x.getDouble(i);
                    if (Double.isFinite(v) && v != 0) {
                        range[0] = Math.max(range[0], Math.abs(v));
                        range[1] = Math.min(range[1], Math.abs(v));
                        if (v != Math.ceil(v)) {
                            intMode = false;
                        }
                    }
                });
                double maxAbs = range[0];
                double minAbs = range[1];
                if (maxAbs > 0) {
                    double ratio = maxAbs / minAbs;
                    sciMode = ratio > 1000 || maxAbs > 1e8 || (!intMode && minAbs < 1e-4);
                }
            }
            int[] w = {1};
            forEachShown(x, idx, 0, summarize, i -> w[0] = Math.max(w[0], text(x, i).length()));
            width = w[0];
        }

        String text(NDArray x, int[] idx) {
            return switch (x.dtype) {
                case BOOL -> x.getBoolean(idx) ? "True" : "False";
                case INT64 -> Long.toString(x.getLong(idx));
                default -> floatText(x.getDouble(idx));
            };
        }

        /** Python's {@code "{:.4f}"} / {@code "{:.4e}"}: the exact binary value rounded half-to-even. */
        String floatText(double v) {
            if (Double.isNaN(v)) {
                return "nan";
            }
            if (Double.isInfinite(v)) {
                return v > 0 ? "inf" : "-inf";
            }
            boolean negative = v < 0 || (v == 0 && 1 / v < 0);
            BigDecimal abs = new BigDecimal(Math.abs(v));
            String s;
            if (sciMode) {
                int exp = 0;
                BigDecimal mantissa = BigDecimal.ZERO.setScale(PRECISION);
                if (v != 0) {
                    BigDecimal r = abs.round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
                    exp = r.precision() - r.scale() - 1;
                    mantissa = r.movePointLeft(exp).setScale(PRECISION, RoundingMode.HALF_EVEN);
                }
                s = mantissa.toPlainString() + (exp < 0 ? "e-" : "e+") + (Math.abs(exp) < 10 ? "0" : "")
                        + Math.abs(exp);
            } else if (intMode) {
                s = abs.setScale(0, RoundingMode.HALF_EVEN).toPlainString() + ".";
            } else {
                s = abs.setScale(PRECISION, RoundingMode.HALF_EVEN).toPlainString();
            }
            return negative ? "-" + s : s;
        }

        String pad(String s) {
            return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
        }
    }
}
