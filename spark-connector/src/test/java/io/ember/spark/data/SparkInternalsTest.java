package io.ember.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the one adapter over Spark internals: fails loudly when Spark is not the version it was written for, and
 * calls every internal method it uses on real rows (cached, so that rows come from Spark's columnar cache too).
 */
class SparkInternalsTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("SparkInternalsTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void sparkVersion_isTheOneTheAdapterWasWrittenFor() {
        assertEquals(SparkInternals.WRITTEN_FOR, SparkInternals.sparkVersion(),
                "SparkInternals was written for Spark " + SparkInternals.WRITTEN_FOR + " but Spark "
                        + SparkInternals.sparkVersion() + " is on the classpath: re-check every internal call in "
                        + "SparkInternals (InternalRow, UnsafeArrayData layout, Platform) and update WRITTEN_FOR");
        assertEquals(SparkInternals.WRITTEN_FOR, spark.version());
    }

    private static Dataset<Row> frame() {
        StructType schema = new StructType()
                .add("af", DataTypes.createArrayType(DataTypes.FloatType))
                .add("ad", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("v", new VectorUDT())
                .add("bin", DataTypes.BinaryType)
                .add("dec", DataTypes.createDecimalType(8, 2))
                .add("y", DataTypes.ShortType);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
            rows.add(RowFactory.create(new Float[] {r * 1f, null}, new Double[] {r + 0.5, -r * 1.0},
                    r % 2 == 0 ? Vectors.dense(r, 1) : Vectors.sparse(2, new int[] {1}, new double[] {r}),
                    new byte[] {(byte) r, (byte) 200}, new BigDecimal(r + ".25"), (short) r));
        }
        return spark.createDataFrame(rows, schema).coalesce(1).cache();
    }

    /** Every RowCursor method, on each row, against the values the rows were built from. */
    @Test
    void cursor_everyInternalCall_readsTheRowsBuilt() {
        Dataset<Row> df = frame();
        SparkSchema.Plan plan = SparkSchema.plan(df.schema(),
                InputSpec.features(List.of("af", "ad", "v", "bin", "dec"), 8).widths(2, 2, 2, 1, 1).label("y"));
        // widths are not used by the cursor; binary has 2 bytes per row
        List<String> out = SparkInternals.mapPartitions(df, plan.selectedColumns(), (p, rows) -> {
            ColumnPlan[] c = plan.features();
            StringBuilder sb = new StringBuilder();
            try (BufferAllocator a = ArrowMemory.child("test", 1 << 20); ArrowBuf buf = a.buffer(64)) {
                long addr = buf.memoryAddress();
                int r = 0;
                while (rows.next()) {
                    sb.append(rows.arrayLength(c[0])).append(',').append(rows.firstNullElement()).append(';');
                    rows.arrayLength(c[1]);
                    rows.copyArray(c[1], addr);
                    sb.append(buf.getFloat(0)).append(',').append(buf.getFloat(4)).append(';');
                    sb.append(rows.vectorSize(c[2])).append(',').append(rows.copyVector(2, addr)).append(',')
                            .append(buf.getFloat(0)).append(',').append(buf.getFloat(4)).append(';');
                    sb.append(rows.binaryLength(c[3])).append(',');
                    rows.copyBinary(c[3], addr);
                    sb.append(buf.getByte(0)).append(',').append(buf.getByte(1) & 0xff).append(';');
                    sb.append(rows.scalar(c[4])).append(';').append(rows.integral(plan.label())).append(';')
                            .append(rows.isNull(c[0].ordinal)).append('\n');
                    r++;
                }
            }
            return sb.toString();
        }).collect();
        StringBuilder expected = new StringBuilder();
        for (int r = 0; r < 5; r++) {
            float v0 = r % 2 == 0 ? r : 0;
            float v1 = r % 2 == 0 ? 1 : r;
            expected.append("2,1;").append(r + 0.5f).append(',').append((float) -r).append(';')
                    .append("2,null,").append(v0).append(',').append(v1).append(';')
                    .append("2,").append(r).append(",200;").append(r + 0.25).append(';').append(r)
                    .append(";false\n");
        }
        assertEquals(List.of(expected.toString()), out);
        assertEquals(0, ArrowMemory.root().getAllocatedMemory());
    }

    /** The finiteness checks of the cursor (native memory) and of the converter (float[]), at every position. */
    @Test
    void finiteChecks_nonFiniteAtAnyPosition_found() {
        try (BufferAllocator a = ArrowMemory.child("finite", 1 << 20); ArrowBuf buf = a.buffer(4 * 40)) {
            for (int n = 0; n <= 40; n++) {
                float[] values = new float[n];
                for (int j = 0; j < n; j++) {
                    float[] edges = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -0f, j * 1e30f - 3e38f};
                    values[j] = edges[j % edges.length];
                    buf.setFloat(4L * j, values[j]);
                }
                assertEquals(true, SparkInternals.Cursor.finite(buf.memoryAddress(), n), "n " + n);
                assertEquals(true, ArrowConverter.allFinite(values, n), "n " + n);
                for (int p = 0; p < n; p++) {
                    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                        buf.setFloat(4L * p, bad);
                        float[] v = values.clone();
                        v[p] = bad;
                        assertEquals(false, SparkInternals.Cursor.finite(buf.memoryAddress(), n), n + " at " + p);
                        assertEquals(false, ArrowConverter.allFinite(v, n), n + " at " + p);
                    }
                    buf.setFloat(4L * p, values[p]);
                }
            }
        }
        assertEquals(0, ArrowMemory.root().getAllocatedMemory());
    }

    /**
     * appendRows over rows that are not UnsafeRows (copied with copy()) and over reused UnsafeRow buffers (copied
     * into the pool): each input row comes out whole, joined with its outputs of every kind or with nulls.
     */
    @Test
    void appendRows_genericAndReusedUnsafeRows_heldAndJoinedWithEachOutputKind() {
        OutputColumn[] outputs = {OutputColumn.scalar("d"), OutputColumn.floatArray("f", 2),
            OutputColumn.vector("v", 3)};
        for (boolean unsafe : new boolean[] {false, true}) {
            StructType schema = new StructType().add("i", DataTypes.IntegerType).add("s", DataTypes.StringType);
            org.apache.spark.sql.catalyst.expressions.UnsafeProjection proj =
                    org.apache.spark.sql.catalyst.expressions.UnsafeProjection.create(schema);
            List<org.apache.spark.sql.catalyst.InternalRow> input = new ArrayList<>();
            for (int r = 0; r < 7; r++) {
                input.add(new org.apache.spark.sql.catalyst.expressions.GenericInternalRow(new Object[] {r,
                    org.apache.spark.unsafe.types.UTF8String.fromString("row " + "x".repeat(r))}));
            }
            // the unsafe source hands out ONE reused buffer, as Spark's scans do
            java.util.Iterator<org.apache.spark.sql.catalyst.InternalRow> source = unsafe
                    ? input.stream().map(r -> (org.apache.spark.sql.catalyst.InternalRow) proj.apply(r)).iterator()
                    : input.iterator();
            int[] batches = {0};
            SparkInternals.Batches fake = new SparkInternals.Batches() {
                @Override
                public SparkInternals.Outputs next(RowCursor rows) {
                    int n = 0;
                    while (rows.next()) {
                        n++;
                    }
                    if (n == 0) {
                        return null;
                    }
                    int b = batches[0]++;
                    // batch b of n rows: row k (k < n) gets output row n - 1 - k; the batch's row 1 gets nulls
                    int[] index = new int[n];
                    double[] d = new double[n];
                    float[] f = new float[2 * n];
                    double[] v = new double[3 * n];
                    for (int k = 0; k < n; k++) {
                        index[k] = k == 1 ? -1 : n - 1 - k;
                        d[k] = 10 * b + k;
                        f[2 * k] = b;
                        f[2 * k + 1] = k;
                        v[3 * k] = -b;
                        v[3 * k + 1] = -k;
                        v[3 * k + 2] = 0.5;
                    }
                    return new SparkInternals.Outputs(index, new Object[] {d, f, v});
                }

                @Override
                public void close() {
                }
            };
            List<String> got = new ArrayList<>();
            SparkInternals.appendRows(source, 2, 3, outputs, fake).forEachRemaining(row -> {
                StringBuilder sb = new StringBuilder().append(row.numFields()).append('|').append(row.getInt(0))
                        .append('|').append(row.getUTF8String(1)).append('|');
                if (row.isNullAt(2)) {
                    sb.append(row.isNullAt(3)).append(row.isNullAt(4));
                } else {
                    var f = row.getArray(3);
                    var v = row.getStruct(4, 4);
                    var vals = v.getArray(3);
                    sb.append(row.getDouble(2)).append('|').append(f.numElements()).append(':')
                            .append(f.getFloat(0)).append(',').append(f.getFloat(1)).append('|')
                            .append(v.getByte(0)).append(',').append(v.isNullAt(1)).append(',')
                            .append(v.isNullAt(2)).append(',').append(vals.numElements()).append(':')
                            .append(vals.getDouble(0)).append(',').append(vals.getDouble(1)).append(',')
                            .append(vals.getDouble(2));
                }
                got.add(sb.toString());
            });
            List<String> expected = new ArrayList<>();
            for (int r = 0; r < 7; r++) {
                int b = r / 3;
                int n = Math.min(3, 7 - 3 * b);
                int k = r % 3;
                int o = n - 1 - k; // the output row this input row takes
                String head = "5|" + r + "|row " + "x".repeat(r) + "|";
                expected.add(k == 1 ? head + "truetrue" : head + (10.0 * b + o) + "|2:" + (float) b + ","
                        + (float) o + "|1,true,true,3:" + (double) -b + "," + (double) -o + ",0.5");
            }
            assertEquals(expected, got, unsafe ? "reused UnsafeRows" : "generic rows");
        }
    }

    @Test
    void readFloor_readsEveryRow() {
        Dataset<Row> df = frame();
        assertEquals(5, SparkTensors.readFloor(df, InputSpec.features(List.of("ad", "v", "bin"), 6).widths(2, 2, 2)));
    }

    @Test
    void writeIpc_partitionsToFiles_readBackLikePartitions() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 30; r++) {
            rows.add(RowFactory.create(new Float[] {r * 1f, r * 2f, r * 3f, r * 4f}, r % 5));
        }
        Dataset<Row> df = spark.createDataFrame(rows, new StructType()
                .add("x", DataTypes.createArrayType(DataTypes.FloatType)).add("y", DataTypes.IntegerType))
                .repartition(3).cache();
        InputSpec spec = InputSpec.features("x", 2, 2).label("y").batchRows(4);
        String out = dir.resolve("ipc").toString();
        assertEquals(30, SparkTensors.writeIpc(df, spec, out));
        List<Path> files = ArrowFiles.list(dir.resolve("ipc"));
        assertEquals(3, files.size());
        List<TensorBatch> parts = SparkTensors.partitions(df, spec).collect();
        for (int p = 0; p < 3; p++) {
            TensorBatch fromFile = ArrowFiles.read(files.get(p), spec).batch();
            assertArrayEquals(parts.get(p).features().shape().toArray(), fromFile.features().shape().toArray());
            assertArrayEquals(parts.get(p).features().toFloatArray(), fromFile.features().toFloatArray());
            assertArrayEquals(parts.get(p).labels().toLongArray(), fromFile.labels().toLongArray());
        }
        // and the rows themselves: every r appears once, with x = r * [1, 2, 3, 4]
        TensorBatch all = ArrowFiles.read(files, spec).batch();
        float[] f = all.features().toFloatArray();
        long[] l = all.labels().toLongArray();
        boolean[] seen = new boolean[30];
        for (int i = 0; i < 30; i++) {
            int r = (int) f[i * 4];
            seen[r] = true;
            assertArrayEquals(new float[] {r, 2 * r, 3 * r, 4 * r}, java.util.Arrays.copyOfRange(f, i * 4, i * 4 + 4));
            assertEquals(r % 5, l[i]);
        }
        for (boolean s : seen) {
            assertEquals(true, s);
        }
        assertEquals(0, ArrowMemory.root().getAllocatedMemory());
    }
}
