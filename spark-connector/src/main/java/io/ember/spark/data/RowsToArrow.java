package io.ember.spark.data;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * A partition's rows written into Arrow record batches of at most {@code batchRows} rows, one vector per selected
 * column: a numeric scalar as float32, an array or vector as a fixed-size list of float32 (vectors densified), binary
 * as fixed-size binary, an integral class label as int64, another class label as float64 (the converter checks it
 * is integral), a regression label as float32. Values are copied straight from Spark's row memory into the Arrow
 * buffers. What Arrow cannot hold (a null, a list of the wrong length, a bad sparse vector) is checked here; NaN,
 * infinities and non-integral labels are left to the {@link ArrowConverter}. One root is reused for every batch
 * (its buffers are allocated once); close this to free it.
 */
final class RowsToArrow implements AutoCloseable {
    static final String SOURCE = "SparkTensors";
    /** The source named in the messages of {@link SparkTensors#score}. */
    static final String SCORE_SOURCE = "SparkTensors.score";

    private final ColumnPlan[] features;
    private final ColumnPlan label;
    private final InputSpec spec;
    private final int partition;
    private final long[] skipped;
    private final String source;
    private final VectorSchemaRoot root;
    private final int capacity;
    private final long[] dataAddress;
    private final ArrowBuf[] dataBuffer;
    private final int[] rowIds;
    private long rowIndex = -1;
    private boolean allFinite;
    private boolean scalarNonFinite;

    RowsToArrow(SparkSchema.Plan plan, BufferAllocator allocator, int partition, long[] skipped) {
        this(plan, allocator, partition, skipped, SOURCE, plan.spec().batchRows());
    }

    /** A writer of batches of at most {@code capacity} rows, whose messages begin with {@code source}. */
    RowsToArrow(SparkSchema.Plan plan, BufferAllocator allocator, int partition, long[] skipped, String source,
                int capacity) {
        this.source = source;
        this.features = plan.features();
        this.label = plan.label();
        this.spec = plan.spec();
        this.partition = partition;
        this.skipped = skipped;
        this.capacity = capacity;
        this.rowIds = new int[capacity];
        this.root = VectorSchemaRoot.create(schema(plan), allocator);
        boolean ok = false;
        try {
            List<FieldVector> vectors = root.getFieldVectors();
            dataAddress = new long[vectors.size()];
            dataBuffer = new ArrowBuf[vectors.size()];
            for (int i = 0; i < vectors.size(); i++) {
                FieldVector v = vectors.get(i);
                v.setInitialCapacity(capacity);
                v.allocateNew();
                FieldVector data = v instanceof FixedSizeListVector fsl ? (FieldVector) fsl.getDataVector() : v;
                dataBuffer[i] = data.getDataBuffer();
                dataAddress[i] = dataBuffer[i].memoryAddress();
            }
            ok = true;
        } finally {
            if (!ok) {
                root.close();
            }
        }
    }

    /** The Arrow schema the Spark path writes for {@code plan} (also the layout of exported IPC files). */
    static Schema schema(SparkSchema.Plan plan) {
        List<Field> fields = new ArrayList<>();
        FieldType f32 = FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
        for (ColumnPlan c : plan.features()) {
            fields.add(switch (c.kind) {
                case SCALAR -> new Field(c.name, f32, null);
                case ARRAY, VECTOR -> new Field(c.name, FieldType.notNullable(new ArrowType.FixedSizeList(c.width)),
                        List.of(new Field("item", f32, null)));
                case BINARY -> new Field(c.name, FieldType.notNullable(new ArrowType.FixedSizeBinary(c.width)), null);
            });
        }
        ColumnPlan l = plan.label();
        if (l != null) {
            ArrowType t = plan.spec().labelKind() == InputSpec.LabelKind.REGRESSION
                    ? new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)
                    : l.elem.integral() ? new ArrowType.Int(64, true)
                    : new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            fields.add(new Field(l.name, FieldType.notNullable(t), null));
        }
        return new Schema(fields);
    }

    VectorSchemaRoot root() {
        return root;
    }

    /** Where row {@code r} of the current batch is in the partition. */
    ArrowConverter.RowLocator locator() {
        return r -> "partition " + partition + ", row " + rowIds[r];
    }

    /** The partition row index of batch row {@code r} (valid until the next {@link #fill}). */
    int rowId(int r) {
        return rowIds[r];
    }

    /** The number of the partition's rows read so far (written or skipped). */
    long rowsRead() {
        return rowIndex + 1;
    }

    /**
     * Whether every feature value of the last filled batch is known to be finite (float32); when false, some may not
     * be, and the converter checks every row.
     */
    boolean allFinite() {
        return allFinite;
    }

    /** Fills the root with the next rows (up to batchRows); false when the input had no more rows. */
    boolean fill(RowCursor rows) {
        int n = 0;
        boolean any = false;
        rows.takeNonFinite();
        scalarNonFinite = false;
        while (n < capacity && rows.next()) {
            any = true;
            rowIndex++;
            String problem = writeRow(rows, n);
            if (problem != null) {
                if (spec.badData() == BadData.ERROR) {
                    throw new IllegalArgumentException(ArrowConverter.badRow(source,
                            "partition " + partition + ", row " + rowIndex, problem));
                }
                skipped[0]++;
                continue;
            }
            rowIds[n++] = (int) rowIndex;
        }
        if (!any) {
            return false;
        }
        List<FieldVector> vectors = root.getFieldVectors();
        for (FieldVector v : vectors) {
            v.setValueCount(n);
            setValid(v.getValidityBuffer(), n);
            if (v instanceof FixedSizeListVector fsl) {
                setValid(((FieldVector) fsl.getDataVector()).getValidityBuffer(), n * fsl.getListSize());
            }
        }
        root.setRowCount(n);
        allFinite = !rows.takeNonFinite() && !scalarNonFinite;
        return true;
    }

    private static void setValid(ArrowBuf validity, int count) {
        if (count > 0) {
            validity.setOne(0L, (count + 7) / 8);
        }
    }

    /** Writes the current row at position {@code at}; returns null, or what is wrong with it. */
    private String writeRow(RowCursor rows, int at) {
        for (int i = 0; i < features.length; i++) {
            ColumnPlan c = features[i];
            if (rows.isNull(c.ordinal)) {
                return "column '" + c.name + "' is null; expected " + expected(c);
            }
            long addr = dataAddress[i];
            switch (c.kind) {
                case SCALAR -> {
                    float x = (float) rows.scalar(c);
                    scalarNonFinite |= !Float.isFinite(x);
                    dataBuffer[i].setFloat(4L * at, x);
                }
                case ARRAY -> {
                    int len = rows.arrayLength(c);
                    if (len != c.width) {
                        return "column '" + c.name + "' has " + len + " values; expected " + expected(c);
                    }
                    int nul = rows.firstNullElement();
                    if (nul >= 0) {
                        return "column '" + c.name + "' element " + nul + " is null; expected a number";
                    }
                    rows.copyArray(c, addr + 4L * c.width * at);
                }
                case VECTOR -> {
                    int size = rows.vectorSize(c);
                    if (size != c.width) {
                        return "column '" + c.name + "' is a vector of size " + size + "; expected "
                                + expected(c);
                    }
                    String p = rows.copyVector(c.width, addr + 4L * c.width * at);
                    if (p != null) {
                        return "column '" + c.name + "' is " + p;
                    }
                }
                case BINARY -> {
                    int len = rows.binaryLength(c);
                    if (len != c.width) {
                        return "column '" + c.name + "' has " + len + " bytes; expected " + c.width;
                    }
                    rows.copyBinary(c, addr + (long) c.width * at);
                }
                default -> throw new IllegalStateException("unexpected column kind " + c.kind);
            }
        }
        if (label != null) {
            if (rows.isNull(label.ordinal)) {
                return "label column '" + label.name + "' is null; expected "
                        + (spec.labelKind() == InputSpec.LabelKind.CLASS ? "a class index" : "a number");
            }
            ArrowBuf buf = dataBuffer[features.length];
            if (spec.labelKind() == InputSpec.LabelKind.REGRESSION) {
                buf.setFloat(4L * at, (float) rows.scalar(label));
            } else if (label.elem.integral()) {
                buf.setLong(8L * at, rows.integral(label));
            } else {
                buf.setDouble(8L * at, rows.scalar(label));
            }
        }
        return null;
    }

    private static String expected(ColumnPlan c) {
        return switch (c.kind) {
            case SCALAR -> "a number";
            case ARRAY -> c.width + " values";
            case VECTOR -> "a vector of size " + c.width;
            case BINARY -> c.width + " bytes";
        };
    }

    @Override
    public void close() {
        root.close();
    }
}
