package io.ember.spark.data;

import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.Dependency;
import org.apache.spark.OneToOneDependency;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * The ONE place that uses Spark-internal API ({@code queryExecution().toRdd()}, {@link InternalRow},
 * {@link ArrayData}, {@link UnsafeArrayData}, {@link UnsafeRow}, {@link JoinedRow}, {@link GenericInternalRow},
 * {@link Platform}, {@code classic.SparkSession#internalCreateDataFrame}). Written for Spark {@value #WRITTEN_FOR};
 * {@code SparkInternalsTest} fails loudly when the Spark on the classpath is another version, and exercises every
 * internal method used here.
 */
final class SparkInternals {
    /** The Spark version this adapter was written and tested for. */
    static final String WRITTEN_FOR = "4.1.0";

    /** A partition's work: gets the partition index and a cursor over its rows, returns one result. */
    interface PartitionFunction<T> extends Serializable {
        T apply(int partition, RowCursor rows) throws Exception;
    }

    /** A non-empty partition's batches, for {@link #appendColumns}. */
    interface Batches {
        /**
         * Reads the next batch from {@code rows} (which ends after a batch of rows) and returns its outputs, or null
         * when the input has no more rows.
         */
        Outputs next(RowCursor rows) throws Exception;

        /** Releases what the batches hold (also called when the input ends). */
        void close();
    }

    /** Opens a non-empty partition's {@link Batches}. */
    interface BatchesFunction extends Serializable {
        Batches open(int partition) throws Exception;
    }

    /**
     * The outputs of one batch: input row {@code i} of the batch takes row {@code index[i]} of the output columns,
     * or nulls where it is -1; {@code columns[c]} is a double[] (DOUBLE: one per row; VECTOR: {@code width} per
     * row) or a float[] (FLOAT_ARRAY: {@code width} per row), or null when no row has outputs.
     */
    record Outputs(int[] index, Object[] columns) {
    }

    private SparkInternals() {
    }

    /** The version of the Spark on the classpath. */
    static String sparkVersion() {
        return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    }

    /** Runs {@code fn} once per partition over the internal rows of {@code df} pruned to {@code columns}. */
    static <T> JavaRDD<T> mapPartitions(Dataset<Row> df, String[] columns, PartitionFunction<T> fn) {
        JavaRDD<InternalRow> rows = internalRows(df, columns);
        return rows.mapPartitionsWithIndex((Integer p, Iterator<InternalRow> it) ->
                List.of(fn.apply(p, new Cursor(it))).iterator(), false);
    }

    private static JavaRDD<InternalRow> internalRows(Dataset<Row> df, String[] columns) {
        Column[] cols = new Column[columns.length];
        for (int i = 0; i < cols.length; i++) {
            cols[i] = df.col("`" + columns[i].replace("`", "``") + "`");
        }
        return df.select(cols).queryExecution().toRdd().toJavaRDD();
    }

    /**
     * {@code df} with {@code outputs} appended to each row, computed batch by batch per partition by {@code fn}
     * (batches of at most {@code batchRows} input rows, held as copies while their batch is scored). Lazy: builds
     * the plan, runs no job. The rows are never converted to external {@code Row}s.
     */
    static Dataset<Row> appendColumns(Dataset<Row> df, OutputColumn[] outputs, DataType[] types, int batchRows,
                                      BatchesFunction fn) {
        if (!(df.sparkSession() instanceof org.apache.spark.sql.classic.SparkSession session)) {
            throw new IllegalArgumentException("SparkTensors.score: needs a classic SparkSession (not Spark "
                    + "Connect), got " + df.sparkSession().getClass().getName());
        }
        StructType schema = df.schema();
        for (int c = 0; c < outputs.length; c++) {
            schema = schema.add(new StructField(outputs[c].name(), types[c], true, Metadata.empty()));
        }
        int inputFields = df.schema().fields().length;
        JavaRDD<InternalRow> in = new Deferred(df).toJavaRDD();
        JavaRDD<InternalRow> out = in.mapPartitionsWithIndex((Integer p, Iterator<InternalRow> it) -> it.hasNext()
                ? appendRows(it, inputFields, batchRows, outputs, fn.open(p))
                : Collections.emptyIterator(), false);
        return session.internalCreateDataFrame(out.rdd(), schema, false);
    }

    /**
     * The internal rows of a DataFrame, planned only when Spark first asks for the partitions (when a job over them
     * is submitted, on the submitting thread): {@code queryExecution().toRdd()} itself runs jobs under adaptive
     * execution (every shuffle stage of the plan), which would make the scored frame eager.
     */
    private static final class Deferred extends RDD<InternalRow> {
        private static final ClassTag<InternalRow> TAG = ClassTag$.MODULE$.apply(InternalRow.class);
        private final transient Dataset<Row> df;
        private transient RDD<InternalRow> parent;

        Deferred(Dataset<Row> df) {
            super(df.sparkSession().sparkContext(), scala.collection.immutable.List$.MODULE$.empty(), TAG);
            this.df = df;
        }

        private synchronized RDD<InternalRow> parent() {
            if (parent == null) {
                parent = df.queryExecution().toRdd();
            }
            return parent;
        }

        @Override
        public Partition[] getPartitions() {
            return parent().partitions();
        }

        @Override
        public scala.collection.immutable.Seq<Dependency<?>> getDependencies() {
            return scala.collection.immutable.List$.MODULE$.<Dependency<?>>empty()
                    .$colon$colon(new OneToOneDependency<>(parent()));
        }

        @Override
        @SuppressWarnings("unchecked")
        public scala.collection.Iterator<InternalRow> compute(Partition split, TaskContext context) {
            // on an executor: the parent came with the dependencies
            return ((RDD<InternalRow>) dependencies().head().rdd()).iterator(split, context);
        }
    }

    /**
     * One partition's rows of {@code fields} fields, each joined with its outputs from {@code batches}, batch by
     * batch (each emitted row is valid until the next is asked for, as Spark's own iterators are).
     */
    static Iterator<InternalRow> appendRows(Iterator<InternalRow> source, int fields, int batchRows,
                                            OutputColumn[] outputs, Batches batches) {
        return new Appending(source, fields, batchRows, outputs, batches);
    }

    /** Copies of a batch's input rows: the source's rows may be reused buffers. */
    private static final class Holding implements Iterator<InternalRow> {
        private final Iterator<InternalRow> source;
        private final int fields;
        private final InternalRow[] held;
        private final UnsafeRow[] pool;
        private final byte[][] buffers;
        private int count;

        Holding(Iterator<InternalRow> source, int fields, int capacity) {
            this.source = source;
            this.fields = fields;
            this.held = new InternalRow[capacity];
            this.pool = new UnsafeRow[capacity];
            this.buffers = new byte[capacity][];
        }

        @Override
        public boolean hasNext() {
            return count < held.length && source.hasNext();
        }

        @Override
        public InternalRow next() {
            InternalRow r = source.next();
            if (r instanceof UnsafeRow u) {
                int size = u.getSizeInBytes();
                byte[] b = buffers[count];
                if (b == null || b.length < size) {
                    b = new byte[size];
                    buffers[count] = b;
                }
                if (pool[count] == null) {
                    pool[count] = new UnsafeRow(fields);
                }
                u.writeToMemory(b, Platform.BYTE_ARRAY_OFFSET);
                pool[count].pointTo(b, size);
                held[count] = pool[count];
                count++;
            } else {
                held[count++] = r.copy();
            }
            return r;
        }
    }

    /** The input rows, each joined with its outputs, batch by batch. */
    private static final class Appending implements Iterator<InternalRow> {
        private final Holding rows;
        private final Cursor cursor;
        private final OutputColumn[] outputs;
        private final Batches batches;
        private final Object[] values;
        private final GenericInternalRow right;
        private final JoinedRow joined = new JoinedRow();
        private Outputs out;
        private int pos;
        private int count;
        private boolean done;

        Appending(Iterator<InternalRow> source, int fields, int batchRows, OutputColumn[] outputs, Batches batches) {
            this.rows = new Holding(source, fields, batchRows);
            this.cursor = new Cursor(rows);
            this.outputs = outputs;
            this.batches = batches;
            this.values = new Object[outputs.length];
            this.right = new GenericInternalRow(values);
        }

        @Override
        public boolean hasNext() {
            while (pos >= count) {
                if (done) {
                    return false;
                }
                rows.count = 0;
                try {
                    out = batches.next(cursor);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("SparkTensors.score: the scorer failed: " + e, e);
                }
                if (out == null) {
                    done = true;
                    batches.close();
                    return false;
                }
                pos = 0;
                count = rows.count;
            }
            return true;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            int i = pos++;
            int k = out.index()[i];
            for (int c = 0; c < values.length; c++) {
                values[c] = k < 0 ? null : value(outputs[c], out.columns()[c], k);
            }
            return joined.apply(rows.held[i], right);
        }

        private static Object value(OutputColumn c, Object column, int k) {
            int w = c.width();
            return switch (c.kind()) {
                case DOUBLE -> ((double[]) column)[k];
                case FLOAT_ARRAY -> UnsafeArrayData.fromPrimitiveArray(column,
                        Platform.FLOAT_ARRAY_OFFSET + 4 * k * w, w, 4);
                case VECTOR -> new GenericInternalRow(new Object[] {(byte) 1, null, null,
                        UnsafeArrayData.fromPrimitiveArray(column, Platform.DOUBLE_ARRAY_OFFSET + 8 * k * w, w, 8)});
            };
        }
    }

    /**
     * The benchmark floor: reads every feature value of every row once, element by element through the internal
     * row API (e.g. {@code getArray(i).getFloat(j)}), and returns the number of rows read.
     */
    static long readFloor(Dataset<Row> df, SparkSchema.Plan plan) {
        ColumnPlan[] features = plan.features();
        String[] cols = plan.selectedColumns();
        return internalRows(df, cols).mapPartitions((Iterator<InternalRow> it) -> {
            long n = 0;
            double sum = 0;
            while (it.hasNext()) {
                InternalRow r = it.next();
                n++;
                for (ColumnPlan c : features) {
                    if (r.isNullAt(c.ordinal)) {
                        continue;
                    }
                    sum += floorValues(r, c);
                }
            }
            return List.of(sum == 0.123456789 ? n + 1 : n).iterator();
        }).fold(0L, Long::sum);
    }

    private static double floorValues(InternalRow r, ColumnPlan c) {
        double sum = 0;
        switch (c.kind) {
            case SCALAR -> sum += new Cursor(null).scalarOf(r, c);
            case ARRAY -> {
                ArrayData a = r.getArray(c.ordinal);
                int n = a.numElements();
                switch (c.elem) {
                    case FLOAT -> { for (int j = 0; j < n; j++) { sum += a.getFloat(j); } }
                    case DOUBLE -> { for (int j = 0; j < n; j++) { sum += a.getDouble(j); } }
                    case INT -> { for (int j = 0; j < n; j++) { sum += a.getInt(j); } }
                    case LONG -> { for (int j = 0; j < n; j++) { sum += a.getLong(j); } }
                    case SHORT -> { for (int j = 0; j < n; j++) { sum += a.getShort(j); } }
                    default -> { for (int j = 0; j < n; j++) { sum += a.getByte(j); } }
                }
            }
            case VECTOR -> {
                InternalRow v = r.getStruct(c.ordinal, 4);
                ArrayData values = v.getArray(3);
                int n = values.numElements();
                if (v.getByte(0) == 0) {
                    ArrayData idx = v.getArray(2);
                    for (int j = 0; j < n; j++) {
                        sum += idx.getInt(j) + values.getDouble(j);
                    }
                } else {
                    for (int j = 0; j < n; j++) {
                        sum += values.getDouble(j);
                    }
                }
            }
            case BINARY -> {
                byte[] b = r.getBinary(c.ordinal);
                for (byte x : b) {
                    sum += x & 0xff;
                }
            }
            default -> throw new IllegalStateException("readFloor: unexpected column kind " + c.kind);
        }
        return sum;
    }

    /** A {@link RowCursor} over internal rows; copies from Spark's unsafe layout when it can. */
    static final class Cursor implements RowCursor {
        private final Iterator<InternalRow> it;
        private InternalRow row;
        private ArrayData array;
        private InternalRow vector;
        private boolean nonFinite;

        Cursor(Iterator<InternalRow> it) {
            this.it = it;
        }

        @Override
        public boolean next() {
            if (!it.hasNext()) {
                return false;
            }
            row = it.next();
            return true;
        }

        @Override
        public boolean isNull(int ordinal) {
            return row.isNullAt(ordinal);
        }

        @Override
        public double scalar(ColumnPlan c) {
            return scalarOf(row, c);
        }

        double scalarOf(InternalRow r, ColumnPlan c) {
            int o = c.ordinal;
            return switch (c.elem) {
                case BYTE -> r.getByte(o);
                case SHORT -> r.getShort(o);
                case INT -> r.getInt(o);
                case LONG -> r.getLong(o);
                case FLOAT -> r.getFloat(o);
                case DOUBLE -> r.getDouble(o);
                case DECIMAL -> r.getDecimal(o, c.precision, c.scale).toDouble();
                default -> throw new IllegalStateException("scalar: column '" + c.name + "' is " + c.elem);
            };
        }

        @Override
        public long integral(ColumnPlan c) {
            int o = c.ordinal;
            return switch (c.elem) {
                case BYTE -> row.getByte(o);
                case SHORT -> row.getShort(o);
                case INT -> row.getInt(o);
                case LONG -> row.getLong(o);
                default -> throw new IllegalStateException("integral: column '" + c.name + "' is " + c.elem);
            };
        }

        @Override
        public int arrayLength(ColumnPlan c) {
            array = row.getArray(c.ordinal);
            return array.numElements();
        }

        @Override
        public int firstNullElement() {
            return firstNull(array);
        }

        private static int firstNull(ArrayData a) {
            int n = a.numElements();
            if (a instanceof UnsafeArrayData u) {
                // the null bits follow the 8-byte element count
                Object base = u.getBaseObject();
                long off = u.getBaseOffset() + 8;
                for (int w = 0; w < (n + 63) / 64; w++) {
                    long bits = Platform.getLong(base, off + 8L * w);
                    if (bits != 0) {
                        return w * 64 + Long.numberOfTrailingZeros(bits);
                    }
                }
                return -1;
            }
            for (int j = 0; j < n; j++) {
                if (a.isNullAt(j)) {
                    return j;
                }
            }
            return -1;
        }

        @Override
        public void copyArray(ColumnPlan c, long address) {
            copyAsFloats(array, c.elem, address);
            if (c.elem == ColumnPlan.Elem.FLOAT || c.elem == ColumnPlan.Elem.DOUBLE) {
                nonFinite |= !finite(address, array.numElements());
            }
        }

        @Override
        public boolean takeNonFinite() {
            boolean seen = nonFinite;
            nonFinite = false;
            return seen;
        }

        /**
         * Whether the {@code n} float32 values at {@code address} (just written, so in the cache) are all finite. A
         * float is NaN or infinite when its eight exponent bits are all set, i.e. when {@code (bits & 0x7f800000) +
         * 0x00800000} reaches bit 31; two floats are tested per 64-bit word (no carry crosses the halves), OR-ed in
         * four independent chains.
         */
        static boolean finite(long address, int n) {
            final long exp = 0x7f8000007f800000L;
            final long one = 0x0080000000800000L;
            long a0 = 0;
            long a1 = 0;
            long a2 = 0;
            long a3 = 0;
            int j = 0;
            for (; j + 8 <= n; j += 8) {
                long p = address + 4L * j;
                a0 |= (Platform.getLong(null, p) & exp) + one;
                a1 |= (Platform.getLong(null, p + 8) & exp) + one;
                a2 |= (Platform.getLong(null, p + 16) & exp) + one;
                a3 |= (Platform.getLong(null, p + 24) & exp) + one;
            }
            int rest = 0;
            for (; j < n; j++) {
                rest |= (Platform.getInt(null, address + 4L * j) & 0x7f800000) + 0x00800000;
            }
            return ((a0 | a1 | a2 | a3) & 0x8000000080000000L) == 0 && rest >= 0;
        }

        private static void copyAsFloats(ArrayData a, ColumnPlan.Elem elem, long address) {
            int n = a.numElements();
            if (a instanceof UnsafeArrayData u) {
                Object base = u.getBaseObject();
                long v = u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(n);
                switch (elem) {
                    case FLOAT -> Platform.copyMemory(base, v, null, address, 4L * n);
                    case DOUBLE -> {
                        for (int j = 0; j < n; j++) {
                            Platform.putFloat(null, address + 4L * j, (float) Platform.getDouble(base, v + 8L * j));
                        }
                    }
                    case INT -> {
                        for (int j = 0; j < n; j++) {
                            Platform.putFloat(null, address + 4L * j, Platform.getInt(base, v + 4L * j));
                        }
                    }
                    case LONG -> {
                        for (int j = 0; j < n; j++) {
                            Platform.putFloat(null, address + 4L * j, Platform.getLong(base, v + 8L * j));
                        }
                    }
                    case SHORT -> {
                        for (int j = 0; j < n; j++) {
                            Platform.putFloat(null, address + 4L * j, Platform.getShort(base, v + 2L * j));
                        }
                    }
                    case BYTE -> {
                        for (int j = 0; j < n; j++) {
                            Platform.putFloat(null, address + 4L * j, Platform.getByte(base, v + j));
                        }
                    }
                    default -> throw new IllegalStateException("copyArray: element type " + elem);
                }
                return;
            }
            for (int j = 0; j < n; j++) {
                float x = switch (elem) {
                    case FLOAT -> a.getFloat(j);
                    case DOUBLE -> (float) a.getDouble(j);
                    case INT -> a.getInt(j);
                    case LONG -> a.getLong(j);
                    case SHORT -> a.getShort(j);
                    case BYTE -> a.getByte(j);
                    default -> throw new IllegalStateException("copyArray: element type " + elem);
                };
                Platform.putFloat(null, address + 4L * j, x);
            }
        }

        @Override
        public int vectorSize(ColumnPlan c) {
            vector = row.getStruct(c.ordinal, 4);
            return vector.getByte(0) == 1 ? vector.getArray(3).numElements() : vector.getInt(1);
        }

        @Override
        public String copyVector(int width, long address) {
            ArrayData values = vector.getArray(3);
            if (vector.getByte(0) == 1) {
                copyAsFloats(values, ColumnPlan.Elem.DOUBLE, address);
                nonFinite |= !finite(address, values.numElements());
                return null;
            }
            ArrayData indices = vector.getArray(2);
            int k = values.numElements();
            if (indices.numElements() != k) {
                return "a sparse vector with " + indices.numElements() + " indices but " + k + " values";
            }
            Platform.setMemory(address, (byte) 0, 4L * width);
            for (int j = 0; j < k; j++) {
                int i = indices.getInt(j);
                if (i < 0 || i >= width) {
                    return "a sparse vector index " + i + " outside [0, " + width + ")";
                }
                float x = (float) values.getDouble(j);
                nonFinite |= !Float.isFinite(x);
                Platform.putFloat(null, address + 4L * i, x);
            }
            return null;
        }

        @Override
        public int binaryLength(ColumnPlan c) {
            if (row instanceof UnsafeRow u) {
                return (int) u.getLong(c.ordinal);
            }
            return row.getBinary(c.ordinal).length;
        }

        @Override
        public void copyBinary(ColumnPlan c, long address) {
            if (row instanceof UnsafeRow u) {
                long offsetAndSize = u.getLong(c.ordinal);
                int offset = (int) (offsetAndSize >> 32);
                int size = (int) offsetAndSize;
                Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + offset, null, address, size);
                return;
            }
            byte[] b = row.getBinary(c.ordinal);
            Platform.copyMemory(b, Platform.BYTE_ARRAY_OFFSET, null, address, b.length);
        }
    }
}
