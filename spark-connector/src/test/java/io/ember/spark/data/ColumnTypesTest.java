package io.ember.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ember.tensor.DType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every accepted column type, compared with values read independently from the collected Rows. */
class ColumnTypesTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("ColumnTypesTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
        assertEquals(0, ArrowMemory.root().getAllocatedMemory(), "Arrow memory left after the Spark jobs");
    }

    /** The one batch of a single-partition frame. */
    private static TensorBatch only(Dataset<Row> df, InputSpec spec) {
        List<TensorBatch> b = SparkTensors.partitions(df.coalesce(1), spec).collect();
        assertEquals(1, b.size());
        return b.get(0);
    }

    private static double num(Object o) {
        return o instanceof BigDecimal d ? d.doubleValue() : ((Number) o).doubleValue();
    }

    @Test
    void partitions_everyNumericScalarType_combinedInColumnOrder() {
        StructType schema = new StructType()
                .add("b", DataTypes.ByteType).add("s", DataTypes.ShortType).add("i", DataTypes.IntegerType)
                .add("l", DataTypes.LongType).add("f", DataTypes.FloatType).add("d", DataTypes.DoubleType)
                .add("m", DataTypes.createDecimalType(10, 3)).add("y", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 9; r++) {
            rows.add(RowFactory.create((byte) (r - 4), (short) (r * 300), r * 70000, (long) r << 33, r * 0.25f,
                    r * -1.5, new BigDecimal(r + ".125"), (double) (r % 4)));
        }
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        List<String> cols = List.of("b", "s", "i", "l", "f", "d", "m");
        InputSpec spec = InputSpec.features(cols).label("y");
        TensorBatch b = only(df, spec);
        assertArrayEquals(new int[] {9, 7}, b.features().shape().toArray());
        assertEquals(DType.INT64, b.labels().dtype());
        float[] f = b.features().toFloatArray();
        long[] l = b.labels().toLongArray();
        List<Row> got = df.collectAsList();
        for (int r = 0; r < 9; r++) {
            for (int c = 0; c < 7; c++) {
                assertEquals((float) num(got.get(r).get(c)), f[r * 7 + c], 0f, "row " + r + " col " + cols.get(c));
            }
            assertEquals((long) got.get(r).getDouble(7), l[r]);
        }
        assertArrayEquals(new int[] {7}, SparkTensors.resolve(df, spec).exampleShape());
    }

    @Test
    void partitions_everyArrayElementType_reshaped() {
        DataType[] types = {DataTypes.ByteType, DataTypes.ShortType, DataTypes.IntegerType, DataTypes.LongType,
            DataTypes.FloatType, DataTypes.DoubleType};
        for (DataType t : types) {
            List<Row> rows = new ArrayList<>();
            for (int r = 0; r < 5; r++) {
                Object[] a = new Object[6];
                for (int j = 0; j < 6; j++) {
                    int v = r * 10 - j * 3;
                    a[j] = t == DataTypes.ByteType ? (Object) (byte) v : t == DataTypes.ShortType ? (Object) (short) v
                            : t == DataTypes.IntegerType ? (Object) v : t == DataTypes.LongType ? (Object) (long) v
                            : t == DataTypes.FloatType ? (Object) (v + 0.5f) : (Object) (v + 0.25);
                }
                rows.add(RowFactory.create(a, (float) r * 2));
            }
            StructType schema = new StructType().add("a", DataTypes.createArrayType(t)).add("y", DataTypes.FloatType);
            Dataset<Row> df = spark.createDataFrame(rows, schema);
            TensorBatch b = only(df, InputSpec.features("a", 3, 2).regressionLabel("y").batchRows(2));
            assertArrayEquals(new int[] {5, 3, 2}, b.features().shape().toArray(), t.toString());
            assertEquals(DType.FLOAT32, b.labels().dtype());
            float[] f = b.features().toFloatArray();
            float[] l = b.labels().toFloatArray();
            List<Row> got = df.collectAsList();
            for (int r = 0; r < 5; r++) {
                List<Object> a = got.get(r).getList(0);
                for (int j = 0; j < 6; j++) {
                    assertEquals((float) num(a.get(j)), f[r * 6 + j], 0f, t + " row " + r + " element " + j);
                }
                assertEquals(got.get(r).getFloat(1), l[r], 0f);
            }
        }
    }

    @Test
    void partitions_denseAndSparseVectors_densified() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            Vector v = r % 2 == 0 ? Vectors.dense(r, -r, 0.5 * r, 1, 2)
                    : Vectors.sparse(5, new int[] {1, 4}, new double[] {r, -0.5});
            rows.add(RowFactory.create((long) r % 3, v));
        }
        StructType schema = new StructType().add("y", DataTypes.LongType).add("v", new VectorUDT());
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        TensorBatch b = only(df, InputSpec.features("v", 5).label("y").batchRows(3));
        float[] f = b.features().toFloatArray();
        long[] l = b.labels().toLongArray();
        List<Row> got = df.collectAsList();
        for (int r = 0; r < 8; r++) {
            double[] ref = ((Vector) got.get(r).get(1)).toArray();
            for (int j = 0; j < 5; j++) {
                assertEquals((float) ref[j], f[r * 5 + j], 0f, "row " + r + " element " + j);
            }
            assertEquals(got.get(r).getLong(0), l[r]);
        }
    }

    @Test
    void partitions_binaryUnsignedBytesScaled() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
            byte[] px = new byte[4];
            for (int j = 0; j < 4; j++) {
                px[j] = (byte) (r * 100 + j * 50); // wraps past 127: read as unsigned
            }
            rows.add(RowFactory.create((Object) px));
        }
        Dataset<Row> df = spark.createDataFrame(rows, new StructType().add("px", DataTypes.BinaryType));
        TensorBatch b = only(df, InputSpec.features("px", 1, 2, 2).binaryScale(1 / 255f));
        assertNull(b.labels());
        assertArrayEquals(new int[] {4, 1, 2, 2}, b.features().shape().toArray());
        float[] f = b.features().toFloatArray();
        for (int r = 0; r < 4; r++) {
            for (int j = 0; j < 4; j++) {
                int unsigned = (r * 100 + j * 50) % 256;
                assertEquals(unsigned * (1 / 255f), f[r * 4 + j], 1e-7f);
            }
        }
    }

    @Test
    void partitions_arrayScalarAndVectorColumns_concatenatedPerRow() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            rows.add(RowFactory.create(new Float[] {r + 0.5f, r + 1.5f}, r * 3, Vectors.sparse(3, new int[] {2},
                    new double[] {-r}), r % 2));
        }
        StructType schema = new StructType().add("a", DataTypes.createArrayType(DataTypes.FloatType))
                .add("s", DataTypes.IntegerType).add("v", new VectorUDT()).add("y", DataTypes.IntegerType);
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2);
        InputSpec spec = InputSpec.features(List.of("a", "s", "v"), 6).widths(2, 1, 3).label("y");
        List<TensorBatch> batches = SparkTensors.partitions(df, spec).collect();
        List<List<Row>> parts = df.javaRDD().glom().collect();
        int seen = 0;
        for (int p = 0; p < batches.size(); p++) {
            float[] f = batches.get(p).features().toFloatArray();
            long[] l = batches.get(p).labels().toLongArray();
            for (int r = 0; r < parts.get(p).size(); r++) {
                Row row = parts.get(p).get(r);
                List<Float> a = row.getList(0);
                double[] v = ((Vector) row.get(2)).toArray();
                float[] ref = {a.get(0), a.get(1), row.getInt(1), (float) v[0], (float) v[1], (float) v[2]};
                assertArrayEquals(ref, java.util.Arrays.copyOfRange(f, r * 6, r * 6 + 6), 0f, "row " + r);
                assertEquals(row.getInt(3), l[r]);
                seen++;
            }
        }
        assertEquals(6, seen);
    }
}
