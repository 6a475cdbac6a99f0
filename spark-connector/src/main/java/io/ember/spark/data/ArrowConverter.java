package io.ember.spark.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;

/**
 * Arrow record batch to tensor rows: THE converter, shared by the Spark path ({@link SparkTensors}) and the plain
 * Java path ({@link ArrowFiles}). Reads the spec's feature columns by name (numeric scalars; fixed-size or variable
 * lists of numbers; fixed-size or variable binary as unsigned bytes times the binary scale), combines them into
 * {@code [rows, width]} float32, reads the label, and checks every row (nulls, NaN/Inf, list lengths, integral class
 * labels) under the spec's bad-data policy. Copies in bulk from the Arrow buffers; no boxing. No Spark types.
 */
final class ArrowConverter {
    /** Where a row of the current batch came from, for error messages. */
    interface RowLocator {
        String describe(int row);
    }

    /** The converted rows of one record batch: {@code rows} rows of {@code width} features, and labels. */
    record Chunk(float[] features, long[] classes, float[] targets, int rows) {
    }

    private final InputSpec spec;
    private final String source;
    private final int width;
    private final String[] columns;

    /** A converter for {@code spec} (with its shape known); {@code source} begins error messages. */
    ArrowConverter(InputSpec spec, String source) {
        this.spec = spec;
        this.source = source;
        this.width = spec.exampleSize();
        this.columns = spec.featureColumns().toArray(new String[0]);
    }

    /** Converts the batch's rows; under SKIP, bad rows are dropped and added to {@code skipped[0]}. */
    Chunk convert(VectorSchemaRoot root, RowLocator where, long[] skipped) {
        return convert(root, where, skipped, null, null, false);
    }

    /**
     * Like {@link #convert(VectorSchemaRoot, RowLocator, long[])}, and when {@code dropped} is not null (at least
     * the batch's row count long), sets {@code dropped[r]} to whether batch row {@code r} was dropped; the features
     * go into {@code reuse} when it is not null and large enough (the chunk's array is then longer than its rows);
     * {@code knownFinite}: the writer of the batch vouches that every feature value is finite (no NaN check).
     */
    Chunk convert(VectorSchemaRoot root, RowLocator where, long[] skipped, boolean[] dropped, float[] reuse,
                  boolean knownFinite) {
        int n = root.getRowCount();
        FieldVector[] vectors = new FieldVector[columns.length];
        boolean[] scalar = new boolean[columns.length];
        for (int i = 0; i < columns.length; i++) {
            vectors[i] = vector(root, columns[i], "feature");
            scalar[i] = !(vectors[i] instanceof FixedSizeListVector || vectors[i] instanceof ListVector
                    || vectors[i] instanceof FixedSizeBinaryVector || vectors[i] instanceof VarBinaryVector);
        }
        int[] widths = spec.resolveWidths(scalar);
        int size = Math.multiplyExact(n, width);
        float[] out = reuse != null && reuse.length >= size ? reuse : new float[size];
        String[] bad = null;
        int off = 0;
        for (int i = 0; i < columns.length; i++) {
            bad = readColumn(vectors[i], columns[i], widths[i], off, n, out, bad);
            off += widths[i];
        }
        if (!knownFinite) {
            bad = checkFinite(out, n, widths, bad);
        }
        long[] classes = null;
        float[] targets = null;
        if (spec.labelKind() != InputSpec.LabelKind.NONE) {
            FieldVector lv = vector(root, spec.labelColumn(), "label");
            if (spec.labelKind() == InputSpec.LabelKind.CLASS) {
                classes = new long[n];
            } else {
                targets = new float[n];
            }
            bad = readLabel(lv, n, classes, targets, bad);
        }
        if (dropped != null) {
            for (int r = 0; r < n; r++) {
                dropped[r] = bad != null && bad[r] != null;
            }
        }
        if (bad == null) {
            return new Chunk(out, classes, targets, n);
        }
        int kept = 0;
        for (int r = 0; r < n; r++) {
            if (bad[r] != null) {
                if (spec.badData() == BadData.ERROR) {
                    throw new IllegalArgumentException(badRow(source, where.describe(r), bad[r]));
                }
                continue;
            }
            if (kept != r) {
                System.arraycopy(out, r * width, out, kept * width, width);
                if (classes != null) {
                    classes[kept] = classes[r];
                }
                if (targets != null) {
                    targets[kept] = targets[r];
                }
            }
            kept++;
        }
        skipped[0] += n - kept;
        return new Chunk(out, classes, targets, kept);
    }

    /** The message for a bad row, shared by every check of the Spark and the Arrow paths. */
    static String badRow(String source, String where, String problem) {
        return source + ": bad row at " + where + ": " + problem + (source.equals(RowsToArrow.SCORE_SOURCE)
                ? " (onBadData(SKIP) gives such rows null outputs)" : " (onBadData(SKIP) drops such rows)");
    }

    private FieldVector vector(VectorSchemaRoot root, String name, String role) {
        FieldVector v = root.getVector(name);
        if (v == null) {
            List<String> names = new ArrayList<>();
            root.getSchema().getFields().forEach(f -> names.add(f.getName()));
            throw new IllegalArgumentException(source + ": no " + role + " column '" + name
                    + "' in the Arrow batch; its columns are " + names);
        }
        return v;
    }

    private static String[] mark(String[] bad, int n, int row, String problem) {
        if (bad == null) {
            bad = new String[n];
        }
        if (bad[row] == null) {
            bad[row] = problem;
        }
        return bad;
    }

    private String[] readColumn(FieldVector v, String name, int w, int off, int n, float[] out, String[] bad) {
        if (n == 0) {
            return bad;
        }
        if (v.getNullCount() > 0) {
            for (int r = 0; r < n; r++) {
                if (v.isNull(r)) {
                    bad = mark(bad, n, r, "column '" + name + "' is null; expected " + w + " value(s)");
                }
            }
        }
        if (v instanceof FixedSizeListVector fsl) {
            if (fsl.getListSize() != w) {
                throw new IllegalArgumentException(source + ": column '" + name + "' holds lists of "
                        + fsl.getListSize() + " values; expected " + w + " (the spec's shape "
                        + Arrays.toString(spec.exampleShape()) + ")");
            }
            FieldVector child = checkChild(fsl.getDataVector(), name);
            bad = childNulls(child, 0, name, w, n, null, bad);
            if (w == width) {
                readNumbers(child, 0, n * w, out, 0);
            } else {
                float[] tmp = new float[n * w];
                readNumbers(child, 0, n * w, tmp, 0);
                for (int r = 0; r < n; r++) {
                    System.arraycopy(tmp, r * w, out, r * width + off, w);
                }
            }
        } else if (v instanceof ListVector lv) {
            FieldVector child = checkChild(lv.getDataVector(), name);
            ArrowBuf offsets = lv.getOffsetBuffer();
            int end = n == 0 ? 0 : offsets.getInt(4L * n);
            float[] tmp = new float[end];
            readNumbers(child, 0, end, tmp, 0);
            int[] starts = new int[n + 1];
            for (int r = 0; r <= n; r++) {
                starts[r] = offsets.getInt(4L * r);
            }
            bad = childNulls(child, 0, name, w, n, starts, bad);
            for (int r = 0; r < n; r++) {
                int len = starts[r + 1] - starts[r];
                if (lv.isNull(r)) {
                    continue;
                }
                if (len != w) {
                    bad = mark(bad, n, r, "column '" + name + "' has " + len + " values; expected " + w);
                } else {
                    System.arraycopy(tmp, starts[r], out, r * width + off, w);
                }
            }
        } else if (v instanceof FixedSizeBinaryVector fb) {
            if (fb.getByteWidth() != w) {
                throw new IllegalArgumentException(source + ": column '" + name + "' holds binary values of "
                        + fb.getByteWidth() + " bytes; expected " + w);
            }
            byte[] tmp = new byte[n * w];
            fb.getDataBuffer().getBytes(0, tmp, 0, tmp.length);
            float scale = spec.binaryScale();
            for (int r = 0; r < n; r++) {
                int o = r * width + off;
                int s = r * w;
                for (int j = 0; j < w; j++) {
                    out[o + j] = (tmp[s + j] & 0xff) * scale;
                }
            }
        } else if (v instanceof VarBinaryVector vb) {
            float scale = spec.binaryScale();
            ArrowBuf offsets = vb.getOffsetBuffer();
            ArrowBuf data = vb.getDataBuffer();
            byte[] tmp = new byte[w];
            for (int r = 0; r < n; r++) {
                if (vb.isNull(r)) {
                    continue;
                }
                int start = offsets.getInt(4L * r);
                int len = offsets.getInt(4L * (r + 1)) - start;
                if (len != w) {
                    bad = mark(bad, n, r, "column '" + name + "' has " + len + " bytes; expected " + w);
                    continue;
                }
                data.getBytes(start, tmp, 0, w);
                int o = r * width + off;
                for (int j = 0; j < w; j++) {
                    out[o + j] = (tmp[j] & 0xff) * scale;
                }
            }
        } else {
            if (w != 1) {
                throw new IllegalArgumentException(source + ": column '" + name + "' is a scalar column but the "
                        + "spec needs " + w + " values from it");
            }
            checkNumeric(v, name);
            if (width == 1) {
                readNumbers(v, 0, n, out, 0);
            } else {
                float[] tmp = new float[n];
                readNumbers(v, 0, n, tmp, 0);
                for (int r = 0; r < n; r++) {
                    out[r * width + off] = tmp[r];
                }
            }
        }
        return bad;
    }

    private FieldVector checkChild(FieldVector child, String name) {
        checkNumeric(child, name);
        return child;
    }

    private void checkNumeric(FieldVector v, String name) {
        if (!(v instanceof Float4Vector || v instanceof Float8Vector || v instanceof IntVector
                || v instanceof BigIntVector || v instanceof SmallIntVector || v instanceof TinyIntVector
                || v instanceof UInt1Vector)) {
            throw new IllegalArgumentException(source + ": column '" + name + "' has Arrow type "
                    + v.getField().getType() + (v.getField().getChildren().isEmpty() ? ""
                    : " of " + v.getField().getChildren().get(0).getType())
                    + "; accepted: int8/16/32/64, uint8, float32/64, fixed-size or variable lists of them, "
                    + "fixed-size or variable binary");
        }
    }

    /** Marks rows with null list elements (rows of {@code w} elements, or as {@code starts} says). */
    private static String[] childNulls(FieldVector child, int base, String name, int w, int n, int[] starts,
                                       String[] bad) {
        if (child.getNullCount() == 0) {
            return bad;
        }
        for (int r = 0; r < n; r++) {
            int s = starts == null ? r * w : starts[r];
            int e = starts == null ? s + w : starts[r + 1];
            for (int i = s; i < e; i++) {
                if (child.isNull(base + i)) {
                    bad = mark(bad, n, r, "column '" + name + "' element " + (i - s) + " is null; expected "
                            + "a number");
                    break;
                }
            }
        }
        return bad;
    }

    /** Copies {@code count} values from {@code start} of a numeric vector to {@code out} as float32, in bulk. */
    static void readNumbers(FieldVector v, int start, int count, float[] out, int outOff) {
        if (count == 0) {
            return;
        }
        ArrowBuf data = v.getDataBuffer();
        int size = ((BaseFixedWidthVector) v).getTypeWidth();
        ByteBuffer bb = data.nioBuffer((long) start * size, count * size).order(ByteOrder.LITTLE_ENDIAN);
        if (v instanceof Float4Vector) {
            bb.asFloatBuffer().get(out, outOff, count);
        } else if (v instanceof Float8Vector) {
            var b = bb.asDoubleBuffer();
            for (int i = 0; i < count; i++) {
                out[outOff + i] = (float) b.get(i);
            }
        } else if (v instanceof IntVector) {
            var b = bb.asIntBuffer();
            for (int i = 0; i < count; i++) {
                out[outOff + i] = b.get(i);
            }
        } else if (v instanceof BigIntVector) {
            var b = bb.asLongBuffer();
            for (int i = 0; i < count; i++) {
                out[outOff + i] = b.get(i);
            }
        } else if (v instanceof SmallIntVector) {
            var b = bb.asShortBuffer();
            for (int i = 0; i < count; i++) {
                out[outOff + i] = b.get(i);
            }
        } else if (v instanceof UInt1Vector) {
            for (int i = 0; i < count; i++) {
                out[outOff + i] = bb.get(i) & 0xff;
            }
        } else {
            for (int i = 0; i < count; i++) {
                out[outOff + i] = bb.get(i);
            }
        }
    }

    /**
     * Whether the first {@code count} values are all finite: {@code x - x} is 0 for a finite x and NaN otherwise,
     * summed in eight independent chains (one chain would wait on the latency of every add).
     */
    static boolean allFinite(float[] a, int count) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        float s4 = 0f;
        float s5 = 0f;
        float s6 = 0f;
        float s7 = 0f;
        int i = 0;
        for (; i + 8 <= count; i += 8) {
            s0 += a[i] - a[i];
            s1 += a[i + 1] - a[i + 1];
            s2 += a[i + 2] - a[i + 2];
            s3 += a[i + 3] - a[i + 3];
            s4 += a[i + 4] - a[i + 4];
            s5 += a[i + 5] - a[i + 5];
            s6 += a[i + 6] - a[i + 6];
            s7 += a[i + 7] - a[i + 7];
        }
        for (; i < count; i++) {
            s0 += a[i] - a[i];
        }
        return (s0 + s1) + (s2 + s3) + (s4 + s5) + (s6 + s7) == 0f;
    }

    /** Marks rows holding NaN or an infinity (a fast sum test per row; the element is located only if it fails). */
    private String[] checkFinite(float[] out, int n, int[] widths, String[] bad) {
        if (allFinite(out, n * width)) {
            return bad;
        }
        for (int r = 0; r < n; r++) {
            int o = r * width;
            float acc = 0f;
            for (int j = 0; j < width; j++) {
                float x = out[o + j];
                acc += x - x; // 0 for finite x, NaN for NaN or an infinity
            }
            if (acc == 0f) {
                continue;
            }
            for (int j = 0; j < width; j++) {
                float x = out[o + j];
                if (!Float.isFinite(x)) {
                    int c = 0;
                    int start = 0;
                    while (j >= start + widths[c]) {
                        start += widths[c];
                        c++;
                    }
                    bad = mark(bad, n, r, "column '" + columns[c] + "'" + (widths[c] == 1 ? "" : " element "
                            + (j - start)) + " is " + x + "; expected a finite number");
                    break;
                }
            }
        }
        return bad;
    }

    private String[] readLabel(FieldVector v, int n, long[] classes, float[] targets, String[] bad) {
        String name = spec.labelColumn();
        checkNumeric(v, name);
        boolean floating = v instanceof Float4Vector || v instanceof Float8Vector;
        for (int r = 0; r < n; r++) {
            if (v.isNull(r)) {
                bad = mark(bad, n, r, "label column '" + name + "' is null; expected "
                        + (classes != null ? "a class index" : "a number"));
                continue;
            }
            if (classes != null && !floating) {
                classes[r] = integral(v, r);
                continue;
            }
            double d = floating ? (v instanceof Float4Vector f ? f.get(r) : ((Float8Vector) v).get(r))
                    : integral(v, r);
            if (classes != null) {
                if (!Double.isFinite(d) || d != Math.rint(d)) {
                    bad = mark(bad, n, r, "label column '" + name + "' is " + d
                            + "; expected an integral class index");
                } else {
                    classes[r] = (long) d;
                }
            } else if (!Double.isFinite(d)) {
                bad = mark(bad, n, r, "label column '" + name + "' is " + d + "; expected a finite number");
            } else {
                targets[r] = (float) d;
            }
        }
        return bad;
    }

    private static long integral(FieldVector v, int r) {
        if (v instanceof BigIntVector b) {
            return b.get(r);
        } else if (v instanceof IntVector i) {
            return i.get(r);
        } else if (v instanceof SmallIntVector s) {
            return s.get(r);
        } else if (v instanceof UInt1Vector u) {
            return u.get(r) & 0xff;
        }
        return ((TinyIntVector) v).get(r);
    }
}
