package io.ember.spark.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkException;
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

/**
 * Bad data never passes silently: each case fails under ERROR with a message naming the column, the row (partition
 * and index) and what was expected, and is dropped and counted under SKIP.
 */
class BadDataTest {
    private static SparkSession spark;
    private static final StructType SCHEMA = new StructType()
            .add("x", DataTypes.createArrayType(DataTypes.DoubleType)).add("y", DataTypes.DoubleType);

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("BadDataTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
        assertEquals(0, ArrowMemory.root().getAllocatedMemory(), "Arrow memory left after failed tasks");
        assertTrue(ArrowMemory.root().getChildAllocators().isEmpty(), "task allocators left open");
    }

    /** Six good rows (x = [r, r+1, r+2], y = r % 2) in one partition, with row {@code bad} replaced. */
    private static Dataset<Row> frame(int bad, Object[] x, Object y) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            rows.add(r == bad ? RowFactory.create(x, y)
                    : RowFactory.create(new Double[] {(double) r, r + 1.0, r + 2.0}, (double) (r % 2)));
        }
        return spark.createDataFrame(rows, SCHEMA).coalesce(1);
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    private static void assertError(Dataset<Row> df, String... parts) {
        InputSpec spec = InputSpec.features("x", 3).label("y");
        SparkException e = assertThrows(SparkException.class, () -> SparkTensors.partitions(df, spec).collect());
        String m = messages(e);
        for (String p : parts) {
            assertTrue(m.contains(p), "expected '" + p + "' in: " + m);
        }
    }

    /** Under SKIP, the five good rows come through, and one row is counted. */
    private static void assertSkipped(Dataset<Row> df, int bad) {
        InputSpec spec = InputSpec.features("x", 3).label("y").onBadData(BadData.SKIP).batchRows(4);
        SparkTensors.Ingest in = SparkTensors.ingest(df, spec);
        TensorBatch b = in.rdd().collect().get(0);
        assertEquals(5, b.size());
        assertEquals(1, in.skippedRows());
        float[] f = b.features().toFloatArray();
        int k = 0;
        for (int r = 0; r < 6; r++) {
            if (r != bad) {
                assertEquals((float) r, f[k * 3], 0f, "kept row " + k);
                k++;
            }
        }
    }

    @Test
    void partitions_nullFeature_errorNamesColumnAndRow() {
        Dataset<Row> df = frame(2, null, 1.0);
        assertError(df, "column 'x' is null", "partition 0, row 2", "expected 3 values");
        assertSkipped(df, 2);
    }

    @Test
    void partitions_nullElement_errorNamesElement() {
        Dataset<Row> df = frame(3, new Double[] {1.0, null, 2.0}, 1.0);
        assertError(df, "column 'x' element 1 is null", "partition 0, row 3");
        assertSkipped(df, 3);
    }

    @Test
    void partitions_nullLabel_errorNamesLabel() {
        Dataset<Row> df = frame(4, new Double[] {4.0, 5.0, 6.0}, null);
        assertError(df, "label column 'y' is null", "partition 0, row 4", "expected a class index");
        assertSkipped(df, 4);
    }

    @Test
    void partitions_nanFeature_errorNamesElement() {
        Dataset<Row> df = frame(5, new Double[] {5.0, Double.NaN, 7.0}, 1.0);
        assertError(df, "column 'x' element 1 is NaN", "partition 0, row 5", "expected a finite number");
        assertSkipped(df, 5);
    }

    @Test
    void partitions_infiniteFeature_errorNamesElement() {
        Dataset<Row> df = frame(1, new Double[] {1.0, 2.0, Double.NEGATIVE_INFINITY}, 1.0);
        assertError(df, "column 'x' element 2 is -Infinity", "partition 0, row 1");
        assertSkipped(df, 1);
    }

    @Test
    void partitions_wrongArrayLength_errorSaysExpectedLength() {
        Dataset<Row> df = frame(0, new Double[] {1.0, 2.0}, 0.0);
        assertError(df, "column 'x' has 2 values; expected 3 values", "partition 0, row 0");
        assertSkipped(df, 0);
    }

    @Test
    void partitions_nonIntegralClassLabel_errorSaysIntegral() {
        Dataset<Row> df = frame(3, new Double[] {3.0, 4.0, 5.0}, 2.5);
        assertError(df, "label column 'y' is 2.5; expected an integral class index", "partition 0, row 3");
        assertSkipped(df, 3);
    }

    @Test
    void partitions_nanRegressionLabel_error() {
        Dataset<Row> df = frame(2, new Double[] {2.0, 3.0, 4.0}, Double.NaN);
        InputSpec spec = InputSpec.features("x", 3).regressionLabel("y");
        SparkException e = assertThrows(SparkException.class, () -> SparkTensors.partitions(df, spec).collect());
        assertTrue(messages(e).contains("label column 'y' is NaN; expected a finite number"), messages(e));
    }

    @Test
    void partitions_vectorOfWrongSize_error() {
        List<Row> rows = List.of(RowFactory.create(Vectors.dense(1, 2, 3)), RowFactory.create(Vectors.dense(1, 2)));
        Dataset<Row> df = spark.createDataFrame(rows, new StructType().add("v", new VectorUDT())).coalesce(1);
        SparkException e = assertThrows(SparkException.class,
                () -> SparkTensors.partitions(df, InputSpec.features("v", 3)).collect());
        assertTrue(messages(e).contains("column 'v' is a vector of size 2; expected a vector of size 3"),
                messages(e));
        assertTrue(messages(e).contains("partition 0, row 1"), messages(e));
    }

    /** A float array, a dense and a sparse vector, a float scalar and a double too large for float32. */
    @Test
    void partitions_nonFiniteInEachColumnKind_errorNamesColumnAndElement() {
        StructType schema = new StructType().add("a", DataTypes.createArrayType(DataTypes.FloatType))
                .add("v", new VectorUDT()).add("f", DataTypes.FloatType)
                .add("d", DataTypes.createArrayType(DataTypes.DoubleType));
        Object[][] cases = {
            {10, Float.NaN, 0.0, 0f, 0.0, "column 'a' element 10 is NaN"},
            {3, 0f, Double.NEGATIVE_INFINITY, 0f, 0.0, "column 'v' element 3 is -Infinity"},
            {-1, 0f, Double.NaN, 0f, 0.0, "column 'v' element 2 is NaN"},
            {0, 0f, 0.0, Float.POSITIVE_INFINITY, 0.0, "column 'f' is Infinity"},
            {0, 0f, 0.0, 0f, 1e300, "column 'd' element 1 is Infinity"},
        };
        for (Object[] c : cases) {
            List<Row> rows = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                Float[] a = new Float[11];
                Arrays.fill(a, (float) r);
                double[] v = {r, r, r, r};
                boolean bad = r == 2;
                if (bad) {
                    a[(int) c[0] < 0 ? 0 : (int) c[0]] = (Float) c[1];
                }
                Object vec = bad && (int) c[0] < 0
                        ? Vectors.sparse(4, new int[] {2}, new double[] {(Double) c[2]})
                        : bad && (int) c[0] == 3 ? Vectors.dense(0, 0, 0, (Double) c[2]) : Vectors.dense(v);
                rows.add(RowFactory.create(a, vec, bad ? (Float) c[3] : 1f,
                        new Double[] {1.0, bad ? (Double) c[4] : 2.0}));
            }
            Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
            InputSpec spec = InputSpec.features(List.of("a", "v", "f", "d"), 18).widths(11, 4, 1, 2);
            SparkException e = assertThrows(SparkException.class, () -> SparkTensors.partitions(df, spec).collect());
            assertTrue(messages(e).contains(c[5] + "; expected a finite number"), messages(e));
            assertTrue(messages(e).contains("partition 0, row 2"), messages(e));
            // and the good rows alone pass
            assertEquals(3, SparkTensors.partitions(df.filter("f = 1"), spec).collect().get(0).size());
        }
    }

    @Test
    void partitions_unsupportedType_failsBeforeAnyJobNamingTypes() {
        Dataset<Row> df = spark.createDataFrame(List.of(RowFactory.create("a", 1)),
                new StructType().add("s", DataTypes.StringType).add("y", DataTypes.IntegerType));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SparkTensors.partitions(df, InputSpec.features("s", 1)));
        assertTrue(e.getMessage().contains("feature column 's' has type string; accepted: byte, short"),
                e.getMessage());
        IllegalArgumentException l = assertThrows(IllegalArgumentException.class,
                () -> SparkTensors.partitions(df, InputSpec.features("y").label("s")));
        assertTrue(l.getMessage().contains("label column 's' has type string; accepted"), l.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> SparkTensors.partitions(df, InputSpec.features("nope", 1)));
        assertTrue(m.getMessage().contains("no feature column 'nope' in the DataFrame; its columns are [s, y]"), m.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> SparkTensors.partitions(spark.createDataFrame(List.of(RowFactory.create((Object) new Double[0])),
                        new StructType().add("a", DataTypes.createArrayType(DataTypes.DoubleType))),
                        InputSpec.features("a")));
        assertTrue(shape.getMessage().contains("no shape declared"), shape.getMessage());
    }

    @Test
    void ingest_skipAcrossPartitions_countsEveryBadRow() {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < 40; r++) {
            Double[] x = r % 7 == 0 ? new Double[] {Double.NaN, 0.0, 0.0}
                    : r % 11 == 0 ? null : new Double[] {(double) r, 0.0, 0.0};
            rows.add(RowFactory.create(x, (double) (r % 2)));
        }
        Dataset<Row> df = spark.createDataFrame(rows, SCHEMA).repartition(3);
        long bad = rows.stream().filter(r -> r.get(0) == null || Double.isNaN(((Double[]) r.get(0))[0])).count();
        SparkTensors.Ingest in = SparkTensors.ingest(df,
                InputSpec.features("x", 3).label("y").onBadData(BadData.SKIP).batchRows(5));
        List<TensorBatch> batches = in.rdd().collect();
        int kept = batches.stream().mapToInt(TensorBatch::size).sum();
        assertEquals(40 - bad, kept);
        assertEquals(bad, in.skippedRows());
        for (TensorBatch b : batches) {
            float[] f = b.features().toFloatArray();
            for (int i = 0; i < b.size(); i++) {
                assertTrue(Float.isFinite(f[i * 3]) && f[i * 3] % 7 != 0, Arrays.toString(f));
            }
        }
    }
}
