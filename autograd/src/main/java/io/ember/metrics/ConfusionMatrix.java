package io.ember.metrics;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Counts of (true class, predicted class) pairs, accumulated over batches, with per-class
 * precision, recall and F1. Rows are true classes and columns predicted ones, as in scikit-learn.
 * A class never predicted has precision 0, one never present recall 0 (scikit-learn's
 * {@code zero_division=0}).
 */
public final class ConfusionMatrix {
    private final int numClasses;
    private final List<String> names;
    private final long[][] counts;

    /** Classes named 0 .. numClasses - 1. */
    public ConfusionMatrix(int numClasses) {
        this(defaultNames(numClasses));
    }

    /** Classes with names (for the printed table). */
    public ConfusionMatrix(List<String> classNames) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("ConfusionMatrix: numClasses must be >= 1, got 0");
        }
        this.numClasses = classNames.size();
        this.names = List.copyOf(classNames);
        this.counts = new long[numClasses][numClasses];
    }

    private static List<String> defaultNames(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("ConfusionMatrix: numClasses must be >= 1, got " + n);
        }
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Adds one sample. */
    public void update(int predicted, int target) {
        check("predicted", predicted);
        check("target", target);
        counts[target][predicted]++;
    }

    private void check(String what, long c) {
        if (c < 0 || c >= numClasses) {
            throw new IllegalArgumentException("ConfusionMatrix: " + what + " class " + c + " is out of range for "
                    + numClasses + " classes");
        }
    }

    /** Adds a batch: logits {@code [n, C]} or predicted indices {@code [n]}, and targets {@code [n]}. */
    public void update(NDArray predictions, NDArray targets) {
        if (predictions.dim() == targets.dim() + 1 && predictions.size(predictions.dim() - 1) != numClasses) {
            throw new IllegalArgumentException("ConfusionMatrix.update: expected logits with " + numClasses
                    + " classes in the last dimension, got " + predictions.shape());
        }
        long[] p = Metrics.predictedClasses("ConfusionMatrix.update", predictions, targets);
        long[] y = targets.toLongArray();
        for (int i = 0; i < p.length; i++) {
            check("predicted", p[i]);
            check("target", y[i]);
        }
        for (int i = 0; i < p.length; i++) {
            counts[(int) y[i]][(int) p[i]]++;
        }
    }

    public void update(Tensor predictions, Tensor targets) {
        update(predictions.data(), targets.data());
    }

    /** Clears the counts. */
    public void reset() {
        for (long[] row : counts) {
            java.util.Arrays.fill(row, 0);
        }
    }

    /** A copy of the counts, {@code matrix()[trueClass][predicted]}. */
    public long[][] matrix() {
        long[][] m = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) {
            m[i] = counts[i].clone();
        }
        return m;
    }

    /** The counts as an INT64 array {@code [C, C]}. */
    public NDArray toNDArray() {
        long[] flat = new long[numClasses * numClasses];
        for (int i = 0; i < numClasses; i++) {
            System.arraycopy(counts[i], 0, flat, i * numClasses, numClasses);
        }
        return NDArray.of(flat, numClasses, numClasses);
    }

    /** The number of samples counted. */
    public long total() {
        long t = 0;
        for (long[] row : counts) {
            for (long c : row) {
                t += c;
            }
        }
        return t;
    }

    /** The fraction on the diagonal (NaN before any update). */
    public double accuracy() {
        long diag = 0;
        for (int i = 0; i < numClasses; i++) {
            diag += counts[i][i];
        }
        long t = total();
        return t == 0 ? Double.NaN : (double) diag / t;
    }

    /** Samples of class {@code c}: the row sum. */
    public long support(int c) {
        check("", c);
        long s = 0;
        for (long v : counts[c]) {
            s += v;
        }
        return s;
    }

    /** Of the samples predicted {@code c}, the fraction truly {@code c}. */
    public double precision(int c) {
        check("", c);
        long predicted = 0;
        for (int r = 0; r < numClasses; r++) {
            predicted += counts[r][c];
        }
        return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
    }

    /** Of the samples truly {@code c}, the fraction predicted {@code c}. */
    public double recall(int c) {
        long s = support(c);
        return s == 0 ? 0 : (double) counts[c][c] / s;
    }

    /** The harmonic mean of precision and recall of class {@code c}. */
    public double f1(int c) {
        double p = precision(c);
        double r = recall(c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** The unweighted mean of the per-class F1 scores. */
    public double macroF1() {
        double s = 0;
        for (int c = 0; c < numClasses; c++) {
            s += f1(c);
        }
        return s / numClasses;
    }

    /** The matrix, then precision, recall, F1 and support per class, then accuracy and macro F1. */
    @Override
    public String toString() {
        int w = 5;
        for (String n : names) {
            w = Math.max(w, n.length());
        }
        for (long[] row : counts) {
            for (long c : row) {
                w = Math.max(w, Long.toString(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("confusion matrix (rows: true class, columns: predicted), ").append(total()).append(" samples\n");
        sb.append(pad("", w));
        for (String n : names) {
            sb.append(' ').append(pad(n, w));
        }
        sb.append('\n');
        for (int r = 0; r < numClasses; r++) {
            sb.append(padRight(names.get(r), w));
            for (int c = 0; c < numClasses; c++) {
                sb.append(' ').append(pad(Long.toString(counts[r][c]), w));
            }
            sb.append('\n');
        }
        sb.append('\n').append(padRight("class", w)).append(" precision    recall        f1   support\n");
        for (int c = 0; c < numClasses; c++) {
            sb.append(padRight(names.get(c), w)).append(String.format(Locale.ROOT, " %9.4f %9.4f %9.4f %9d\n",
                    precision(c), recall(c), f1(c), support(c)));
        }
        sb.append(String.format(Locale.ROOT, "accuracy %.4f, macro F1 %.4f", accuracy(), macroF1()));
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return " ".repeat(Math.max(0, w - s.length())) + s;
    }

    private static String padRight(String s, int w) {
        return s + " ".repeat(Math.max(0, w - s.length()));
    }
}
