package io.ember.data;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * Reads numeric tables from CSV files (UTF-8, gzipped or not) into a FLOAT32 feature matrix and
 * an optional label column:
 *
 * <pre>{@code
 * CsvData d = new CsvReader().label("species").categoricalLabels(true).read(Path.of("iris.csv"));
 * TensorDataset ds = d.toDataset();
 * }</pre>
 *
 * Fields may be quoted (RFC 4180). Features are every column but the label unless chosen with
 * {@link #features(String...)}. Blank lines are skipped. A value that is not a number fails,
 * naming the file, line, column and value. A reader is a reusable configuration.
 */
public final class CsvReader {
    private char delimiter = ',';
    private boolean header = true;
    private String[] featureNames;
    private int[] featureIndices;
    private String labelName;
    private int labelIndex = -1;
    private DType labelType = DType.INT64;
    private boolean categorical;
    private Double missingValue;

    /** A reader with the defaults: comma, a header line, all columns as features, no label. */
    public CsvReader() {
    }

    /** The field separator (default {@code ,}). */
    public CsvReader delimiter(char delimiter) {
        if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
            throw new IllegalArgumentException("CsvReader: delimiter cannot be a quote or a line break");
        }
        this.delimiter = delimiter;
        return this;
    }

    /** Whether the first line names the columns (default true); without, columns are named "0", "1", ... */
    public CsvReader header(boolean header) {
        this.header = header;
        return this;
    }

    /** The feature columns by name, in this order. */
    public CsvReader features(String... names) {
        this.featureNames = names.clone();
        this.featureIndices = null;
        return this;
    }

    /** The feature columns by 0-based position, in this order. */
    public CsvReader features(int... indices) {
        this.featureIndices = indices.clone();
        this.featureNames = null;
        return this;
    }

    /** The label column by name. */
    public CsvReader label(String name) {
        this.labelName = name;
        this.labelIndex = -1;
        return this;
    }

    /** The label column by 0-based position. */
    public CsvReader label(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("CsvReader: label column must be >= 0, got " + index);
        }
        this.labelIndex = index;
        this.labelName = null;
        return this;
    }

    /** The labels' dtype: INT64 (default, class indices), FLOAT32 or FLOAT64 (regression targets). */
    public CsvReader labelType(DType type) {
        if (type == DType.BOOL) {
            throw new IllegalArgumentException("CsvReader: labelType must be INT64, FLOAT32 or FLOAT64, got bool");
        }
        this.labelType = type;
        return this;
    }

    /** Labels are names ("setosa") mapped to INT64 indices in sorted order of the distinct names. */
    public CsvReader categoricalLabels(boolean categorical) {
        this.categorical = categorical;
        return this;
    }

    /** The value of an empty feature field (default: an empty field is an error). */
    public CsvReader missingValue(double value) {
        this.missingValue = value;
        return this;
    }

    /** Reads the file. */
    public CsvData read(Path path) throws IOException {
        try (InputStream raw = Files.newInputStream(path)) {
            return read(raw, path.toString());
        }
    }

    /** Reads from a stream (gzipped or not); {@code source} names it in error messages. */
    public CsvData read(InputStream input, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(input, 1 << 16);
        buffered.mark(2);
        boolean gzip = buffered.read() == 0x1f && buffered.read() == 0x8b;
        buffered.reset();
        InputStream in = gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered;
        try (Reader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            return parse(new CsvTokenizer(reader, delimiter, source), source);
        }
    }

    private CsvData parse(CsvTokenizer tok, String source) throws IOException {
        List<String> first = nextNonBlank(tok);
        if (first == null) {
            throw new IOException("CsvReader: " + source + ": no data");
        }
        int width = first.size();
        List<String> names = new ArrayList<>(width);
        if (header) {
            for (String s : first) {
                names.add(s.trim());
            }
        } else {
            for (int i = 0; i < width; i++) {
                names.add(Integer.toString(i));
            }
        }
        int label = labelName != null ? column(names, labelName, source) : labelIndex;
        if (label >= width) {
            throw new IllegalArgumentException("CsvReader: label column " + label + " is out of range for "
                    + source + " with " + width + " columns");
        }
        int[] cols = featureColumns(names, label, source);
        List<String> featureNameList = new ArrayList<>(cols.length);
        for (int c : cols) {
            featureNameList.add(names.get(c));
        }

        float[] x = new float[Math.max(16, cols.length * 64)];
        double[] yNum = new double[64];
        List<String> yText = new ArrayList<>();
        int rows = 0;
        List<String> rec = header ? nextNonBlank(tok) : first;
        while (rec != null) {
            int line = tok.recordLine();
            if (rec.size() != width) {
                throw new IOException("CsvReader: " + source + " line " + line + ": expected " + width
                        + " fields, found " + rec.size());
            }
            if ((long) (rows + 1) * cols.length > Integer.MAX_VALUE - 8) {
                throw new IOException("CsvReader: " + source + ": too many values for one array");
            }
            if ((rows + 1) * cols.length > x.length) {
                x = Arrays.copyOf(x, Math.max((rows + 1) * cols.length, (int) Math.min(Integer.MAX_VALUE - 8, 2L * x.length)));
            }
            for (int j = 0; j < cols.length; j++) {
                x[rows * cols.length + j] = (float) feature(rec.get(cols[j]), source, line, cols[j], names);
            }
            if (label >= 0) {
                String v = rec.get(label);
                if (categorical) {
                    yText.add(v.trim());
                } else {
                    if (rows == yNum.length) {
                        yNum = Arrays.copyOf(yNum, 2 * rows);
                    }
                    yNum[rows] = labelValue(v, source, line, label, names);
                }
            }
            rows++;
            rec = nextNonBlank(tok);
        }
        NDArray features = NDArray.of(Arrays.copyOf(x, rows * cols.length), rows, cols.length);
        NDArray labels = null;
        List<String> classes = List.of();
        if (label >= 0) {
            if (categorical) {
                Map<String, Long> index = new TreeMap<>();
                for (String s : yText) {
                    index.put(s, 0L);
                }
                long k = 0;
                for (Map.Entry<String, Long> e : index.entrySet()) {
                    e.setValue(k++);
                }
                long[] y = new long[rows];
                for (int i = 0; i < rows; i++) {
                    y[i] = index.get(yText.get(i));
                }
                labels = NDArray.of(y, rows);
                classes = new ArrayList<>(index.keySet());
            } else {
                labels = labelArray(yNum, rows);
            }
        }
        return new CsvData(features, labels, featureNameList, label >= 0 ? names.get(label) : null, classes);
    }

    private NDArray labelArray(double[] y, int rows) {
        switch (labelType) {
            case INT64 -> {
                long[] v = new long[rows];
                for (int i = 0; i < rows; i++) {
                    v[i] = (long) y[i];
                }
                return NDArray.of(v, rows);
            }
            case FLOAT32 -> {
                float[] v = new float[rows];
                for (int i = 0; i < rows; i++) {
                    v[i] = (float) y[i];
                }
                return NDArray.of(v, rows);
            }
            default -> {
                return NDArray.of(Arrays.copyOf(y, rows), rows);
            }
        }
    }

    private static List<String> nextNonBlank(CsvTokenizer tok) throws IOException {
        List<String> rec = tok.next();
        while (rec != null && rec.size() == 1 && rec.get(0).isBlank()) {
            rec = tok.next();
        }
        return rec;
    }

    private static int column(List<String> names, String name, String source) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("CsvReader: " + source + " has no column named \"" + name
                    + "\"; columns are " + names);
        }
        return i;
    }

    private int[] featureColumns(List<String> names, int label, String source) {
        if (featureNames != null) {
            int[] cols = new int[featureNames.length];
            for (int i = 0; i < cols.length; i++) {
                cols[i] = column(names, featureNames[i], source);
            }
            return cols;
        }
        if (featureIndices != null) {
            for (int c : featureIndices) {
                if (c < 0 || c >= names.size()) {
                    throw new IllegalArgumentException("CsvReader: feature column " + c + " is out of range for "
                            + source + " with " + names.size() + " columns");
                }
            }
            return featureIndices.clone();
        }
        int[] cols = new int[label >= 0 ? names.size() - 1 : names.size()];
        for (int c = 0, k = 0; c < names.size(); c++) {
            if (c != label) {
                cols[k++] = c;
            }
        }
        return cols;
    }

    private double feature(String raw, String source, int line, int col, List<String> names) throws IOException {
        String s = raw.trim();
        if (s.isEmpty() && missingValue != null) {
            return missingValue;
        }
        Double v = parse(s);
        if (v == null) {
            throw new IOException("CsvReader: " + source + " line " + line + ", column " + (col + 1) + " (\""
                    + names.get(col) + "\"): expected a number, found \"" + raw + "\"");
        }
        return v;
    }

    private double labelValue(String raw, String source, int line, int col, List<String> names) throws IOException {
        Double v = parse(raw.trim());
        String where = "CsvReader: " + source + " line " + line + ", column " + (col + 1) + " (\"" + names.get(col) + "\")";
        if (v == null) {
            throw new IOException(where + ": expected a numeric label, found \"" + raw
                    + "\" (use categoricalLabels(true) for class names)");
        }
        if (labelType == DType.INT64 && (v != Math.rint(v) || Double.isInfinite(v))) {
            throw new IOException(where + ": expected an integer label, found \"" + raw
                    + "\" (use labelType(FLOAT32) for real-valued targets)");
        }
        return v;
    }

    /** A decimal number (also NaN, Infinity), or null; rejects Java's type suffixes such as "1f". */
    private static Double parse(String s) {
        if (s.isEmpty()) {
            return null;
        }
        char last = s.charAt(s.length() - 1);
        if (last == 'f' || last == 'F' || last == 'd' || last == 'D') {
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
