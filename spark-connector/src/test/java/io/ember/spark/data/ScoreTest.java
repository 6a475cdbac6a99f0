package io.ember.spark.data;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.NDArray;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkException;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SparkTensors#score}: outputs of every kind against references computed from the collected input rows with
 * plain loops, row order and pass-through columns, batching, bad rows, driver-side checks, laziness and Arrow
 * memory.
 */
class ScoreTest {
    private static SparkSession spark;
    private static final ConcurrentLinkedQueue<String> JOB_GROUPS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("ScoreTest");
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart job) {
                String g = job.properties() == null ? null : job.properties().getProperty("spark.jobGroup.id");
                JOB_GROUPS.add(String.valueOf(g));
            }
        });
    }

    @AfterAll
    static void stop() {
        spark.stop();
        assertEquals(0, ArrowMemory.root().getAllocatedMemory(), "Arrow memory left after the scoring jobs");
        assertTrue(ArrowMemory.root().getChildAllocators().isEmpty(), "task allocators left open");
    }

    // ------------------------------------------------------------------ the scorer and its reference

    /** W[j][k] = (j + 1) * (k - 1) * 0.5, the linear map of the "lin" output. */
    private static NDArray weights(int d) {
        float[] w = new float[d * 3];
        for (int j = 0; j < d; j++) {
            for (int k = 0; k < 3; k++) {
                w[j * 3 + k] = (j + 1) * (k - 1) * 0.5f;
            }
        }
        return NDArray.of(w, d, 3);
    }

    /** sum [n], lin [n, 3], twice [n, d], first [n, 1], batch size [n] (as int64): tensor ops, not loops. */
    private static NDArray[] linear(NDArray x) {
        int n = x.size(0);
        int d = x.numel() / n;
        NDArray flat = x.reshape(n, d);
        return new NDArray[] {flat.sum(1), flat.matmul(weights(d)), flat.mul(2), flat.narrow(1, 0, 1),
            NDArray.full(io.ember.tensor.DType.INT64, n, n)};
    }

    private static List<OutputColumn> linearOutputs(int d) {
        return List.of(OutputColumn.scalar("sum"), OutputColumn.vector("lin", 3), OutputColumn.floatArray("twice", d),
                OutputColumn.scalar("first"), OutputColumn.scalar("n"));
    }

    /** Checks the five outputs of {@link #linear} at {@code at} of a scored row against features {@code f}. */
    private static void assertLinear(float[] f, Row row, int at, String where) {
        double s = 0;
        for (float v : f) {
            s += v;
        }
        assertEquals(s, row.getDouble(at), 1e-4 * (1 + Math.abs(s)), where + " sum");
        Vector lin = (Vector) row.get(at + 1);
        assertTrue(lin instanceof DenseVector, where + " lin is dense");
        assertEquals(3, lin.size());
        for (int k = 0; k < 3; k++) {
            double e = 0;
            for (int j = 0; j < f.length; j++) {
                e += f[j] * (j + 1) * (k - 1) * 0.5;
            }
            assertEquals(e, lin.apply(k), 1e-4 * (1 + Math.abs(e)), where + " lin " + k);
        }
        List<Float> twice = row.getList(at + 2);
        assertEquals(f.length, twice.size());
        for (int j = 0; j < f.length; j++) {
            assertEquals(2 * f[j], twice.get(j), 0f, where + " twice " + j);
        }
        assertEquals(f[0], row.getDouble(at + 3), 0.0, where + " first");
    }

    private static float[] floats(List<?> values) {
        float[] f = new float[values.size()];
        for (int j = 0; j < f.length; j++) {
            f[j] = ((Number) values.get(j)).floatValue();
        }
        return f;
    }

    private static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append(" | ");
        }
        return sb.toString();
    }

    // ------------------------------------------------------------------ frames

    private static final StructType MIXED = new StructType()
            .add("id", DataTypes.LongType)
            .add("x", DataTypes.createArrayType(DataTypes.FloatType))
            .add("s", DataTypes.StringType)
            .add("st", new StructType().add("a", DataTypes.IntegerType).add("b", DataTypes.StringType))
            .add("ai", DataTypes.createArrayType(DataTypes.IntegerType))
            .add("key", DataTypes.IntegerType);

    /**
     * {@code rows} rows of x = [4] floats and pass-through columns (string, struct, array, some nulls), hash
     * partitioned on a 4-valued key into 12 partitions (so several are empty), with the partition id, cached.
     */
    private static Dataset<Row> mixed(int rows) {
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            Float[] x = {i * 0.5f, -i * 0.25f, (i % 7) * 1.5f, 3f - i};
            data.add(RowFactory.create((long) i, x, i % 5 == 0 ? null : "row-" + i,
                    RowFactory.create(i, "b" + (i % 3)), new Integer[] {i, i * i}, i % 4));
        }
        return spark.createDataFrame(data, MIXED).repartition(12, col("key"))
                .withColumn("pid", spark_partition_id()).cache();
    }

    // ------------------------------------------------------------------ tests

    @Test
    void score_floatArrayFeatures_everyOutputKindInInputOrderWithColumnsPassedThrough() {
        Dataset<Row> df = mixed(37);
        List<Row> in = df.collectAsList();
        Set<Integer> nonEmpty = new HashSet<>();
        in.forEach(r -> nonEmpty.add(r.getInt(6)));
        assertTrue(nonEmpty.size() <= 4 && df.rdd().getNumPartitions() == 12, "precondition: empty partitions");

        Dataset<Row> scored = SparkTensors.score(df, InputSpec.features("x", 2, 2).label("key").batchRows(4),
                linearOutputs(4), ScoreTest::linear);
        StructType schema = scored.schema();
        assertEquals(List.of("id", "x", "s", "st", "ai", "key", "pid", "sum", "lin", "twice", "first", "n"),
                List.of(schema.fieldNames()));
        assertEquals(DataTypes.DoubleType, schema.apply("sum").dataType());
        assertTrue(schema.apply("lin").dataType() instanceof VectorUDT);
        assertEquals(new ArrayType(DataTypes.FloatType, false), schema.apply("twice").dataType());
        assertTrue(schema.apply("sum").nullable() && schema.apply("lin").nullable());

        List<Row> out = scored.collectAsList();
        assertEquals(in.size(), out.size());
        Map<Integer, Integer> partitionSizes = new HashMap<>();
        in.forEach(r -> partitionSizes.merge(r.getInt(6), 1, Integer::sum));
        Map<Integer, Integer> seenInPartition = new HashMap<>();
        for (int i = 0; i < in.size(); i++) {
            Row a = in.get(i);
            Row b = out.get(i);
            for (int c = 0; c < 7; c++) {
                assertEquals(a.get(c), b.get(c), "row " + i + " column " + schema.fieldNames()[c]);
            }
            assertLinear(floats(a.getList(1)), b, 7, "row " + i);
            // batches of 4 in each partition, the last partial: row k of a partition of m is in a batch of
            // min(4, m - 4 * (k / 4)) rows
            int p = a.getInt(6);
            int k = seenInPartition.merge(p, 1, Integer::sum) - 1;
            assertEquals(Math.min(4, partitionSizes.get(p) - 4 * (k / 4)), b.getDouble(11), 0.0,
                    "batch size of row " + i);
        }
        assertTrue(partitionSizes.values().stream().anyMatch(m -> m > 4 && m % 4 != 0), "a partial last batch");
    }

    @Test
    void score_vectorFeaturesDenseAndSparse_matchTheDensifiedVectors() {
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            Vector v = i % 3 == 0 ? Vectors.sparse(5, new int[] {1, 4}, new double[] {i, -i * 0.5})
                    : Vectors.dense(i, i + 1, -i, 0.25 * i, 2);
            data.add(RowFactory.create(v, i));
        }
        Dataset<Row> df = spark.createDataFrame(data, new StructType().add("v", new VectorUDT())
                .add("i", DataTypes.IntegerType)).repartition(3).cache();
        List<Row> in = df.collectAsList();
        List<Row> out = SparkTensors.score(df, InputSpec.features("v", 5).batchRows(3), linearOutputs(5),
                ScoreTest::linear).collectAsList();
        assertEquals(23, out.size());
        for (int r = 0; r < 23; r++) {
            assertEquals(in.get(r), RowFactory.create(out.get(r).get(0), out.get(r).get(1)));
            double[] d = ((Vector) in.get(r).get(0)).toArray();
            float[] f = new float[5];
            for (int j = 0; j < 5; j++) {
                f[j] = (float) d[j];
            }
            assertLinear(f, out.get(r), 2, "row " + r);
        }
    }

    @Test
    void score_severalScalarColumns_combinedInOrder() {
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            data.add(RowFactory.create(i * 3, i * -0.5, new BigDecimal(i + ".25"), (short) i));
        }
        Dataset<Row> df = spark.createDataFrame(data, new StructType().add("a", DataTypes.IntegerType)
                .add("b", DataTypes.DoubleType).add("c", DataTypes.createDecimalType(6, 2))
                .add("d", DataTypes.ShortType)).repartition(2).cache();
        List<Row> in = df.collectAsList();
        List<Row> out = SparkTensors.score(df, InputSpec.features(List.of("a", "b", "c", "d")), linearOutputs(4),
                ScoreTest::linear).collectAsList();
        for (int r = 0; r < 17; r++) {
            Row a = in.get(r);
            float[] f = {a.getInt(0), (float) a.getDouble(1), a.getDecimal(2).floatValue(), a.getShort(3)};
            assertLinear(f, out.get(r), 4, "row " + r);
        }
    }

    @Test
    void score_binaryFeatures_unsignedBytesTimesScale() {
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            data.add(RowFactory.create((Object) new byte[] {(byte) i, (byte) (200 + i), (byte) (i * 7)}));
        }
        Dataset<Row> df = spark.createDataFrame(data, new StructType().add("b", DataTypes.BinaryType))
                .repartition(2).cache();
        List<Row> in = df.collectAsList();
        List<Row> out = SparkTensors.score(df, InputSpec.features("b", 3).binaryScale(0.5f), linearOutputs(3),
                ScoreTest::linear).collectAsList();
        for (int r = 0; r < 11; r++) {
            byte[] b = (byte[]) in.get(r).get(0);
            float[] f = {(b[0] & 0xff) * 0.5f, (b[1] & 0xff) * 0.5f, (b[2] & 0xff) * 0.5f};
            assertLinear(f, out.get(r), 1, "row " + r);
        }
    }

    /** Rows 0..13 of x = [r, r+1, r+2] in one partition, with some replaced by bad rows. */
    private static Dataset<Row> withBadRows(Map<Integer, Object[]> bad) {
        List<Row> data = new ArrayList<>();
        for (int r = 0; r < 14; r++) {
            Object[] x = bad.containsKey(r) ? bad.get(r) : new Double[] {(double) r, r + 1.0, r + 2.0};
            data.add(RowFactory.create(r, x));
        }
        return spark.createDataFrame(data, new StructType().add("r", DataTypes.IntegerType)
                .add("x", DataTypes.createArrayType(DataTypes.DoubleType))).coalesce(1);
    }

    @Test
    void score_skipBadRows_keepsThemWithNullOutputs() {
        Map<Integer, Object[]> bad = new HashMap<>();
        bad.put(1, null);                                         // null
        bad.put(4, new Double[] {1.0, 2.0});                      // wrong length
        bad.put(6, new Double[] {1.0, Double.NaN, 2.0});          // NaN (caught by the converter)
        bad.put(7, new Double[] {1.0, null, 2.0});                // null element
        bad.put(8, new Double[] {Double.POSITIVE_INFINITY, 1.0, 2.0});
        // batchRows 3: batch [6, 7, 8] is all bad, the scorer must not see it (it fails on an empty batch)
        BatchScorer scorer = x -> {
            if (x.size(0) < 1) {
                throw new IllegalStateException("empty batch");
            }
            return linear(x);
        };
        Dataset<Row> scored = SparkTensors.score(withBadRows(bad),
                InputSpec.features("x", 3).onBadData(BadData.SKIP).batchRows(3), linearOutputs(3), scorer);
        List<Row> out = scored.collectAsList();
        assertEquals(14, out.size());
        for (int r = 0; r < 14; r++) {
            Row row = out.get(r);
            assertEquals(r, row.getInt(0), "row order");
            if (bad.containsKey(r)) {
                for (int c = 2; c < 7; c++) {
                    assertTrue(row.isNullAt(c), "row " + r + " output " + c + " is null");
                }
            } else {
                assertLinear(new float[] {r, r + 1, r + 2}, row, 2, "row " + r);
            }
        }
        // further SQL over the outputs: nulls are ignored by the aggregates
        Row agg = scored.agg(count(col("sum")), sum(col("sum")), avg(col("first"))).first();
        double total = 0;
        double first = 0;
        int good = 0;
        for (int r = 0; r < 14; r++) {
            if (!bad.containsKey(r)) {
                total += 3 * r + 3;
                first += r;
                good++;
            }
        }
        assertEquals(good, agg.getLong(0));
        assertEquals(total, agg.getDouble(1), 1e-9);
        assertEquals(first / good, agg.getDouble(2), 1e-9);
    }

    /**
     * Rows of 16384 floats: a scorer's batch of 10 rows is written to Arrow in blocks of 4 (Scoring.BLOCK_BYTES),
     * so batches span several blocks, with bad rows in later blocks and batches; built on the executors.
     */
    @Test
    void score_wideRowsInSeveralArrowBlocksPerBatch_skipMapsEveryRow() {
        int w = 16384;
        assertEquals(4, Scoring.blockRows(10, w), "precondition: blocks of 4 rows");
        Dataset<Row> df = spark.range(0, 23, 1, 1).selectExpr("id",
                "case when id = 5 then null "
                        + "when id = 21 then array(1f, 2f) "
                        + "else transform(sequence(0, " + (w - 1) + "), j -> "
                        + "if(id = 13 and j = 9000, float('NaN'), cast(id * 0.5 + j % 7 as float))) end as x");
        Set<Long> bad = Set.of(5L, 13L, 21L);
        List<Row> out = SparkTensors.score(df, InputSpec.features("x", w).onBadData(BadData.SKIP).batchRows(10),
                List.of(OutputColumn.scalar("sum"), OutputColumn.floatArray("head", 2), OutputColumn.scalar("n")),
                x -> new NDArray[] {x.sum(1), x.narrow(1, 0, 2), NDArray.full(x.size(0), x.size(0))})
                .collectAsList();
        assertEquals(23, out.size());
        for (int r = 0; r < 23; r++) {
            Row row = out.get(r);
            assertEquals(r, row.getLong(0));
            if (bad.contains((long) r)) {
                assertTrue(row.isNullAt(2) && row.isNullAt(3) && row.isNullAt(4), "row " + r + " has null outputs");
                continue;
            }
            double s = 0;
            for (int j = 0; j < w; j++) {
                s += (float) (r * 0.5 + j % 7);
            }
            assertEquals(s, row.getDouble(2), 1e-6 * s, "row " + r);
            assertEquals(List.of((float) (r * 0.5), (float) (r * 0.5 + 1)), row.getList(3), "row " + r);
            // batches of input rows [0, 10), [10, 20), [20, 23) hold 9, 9 and 2 good rows
            assertEquals(r < 10 ? 9 : r < 20 ? 9 : 2, row.getDouble(4), 0.0, "batch size of row " + r);
        }
    }

    @Test
    void score_errorOnBadRow_namesColumnPartitionAndRow() {
        String[][] cases = {
            {"null", "column 'x' is null; expected 3 values"},
            {"short", "column 'x' has 2 values; expected 3 values"},
            {"nan", "column 'x' element 1 is NaN; expected a finite number"},
        };
        for (String[] c : cases) {
            Object[] x = switch (c[0]) {
                case "null" -> null;
                case "short" -> new Double[] {1.0, 2.0};
                default -> new Double[] {1.0, Double.NaN, 2.0};
            };
            Map<Integer, Object[]> bad = new HashMap<>();
            bad.put(9, x);
            Dataset<Row> scored = SparkTensors.score(withBadRows(bad), InputSpec.features("x", 3)
                    .batchRows(4), List.of(OutputColumn.scalar("sum")), v -> new NDArray[] {v.sum(1)});
            SparkException e = assertThrows(SparkException.class, scored::collectAsList);
            String m = messages(e);
            assertTrue(m.contains("SparkTensors.score: bad row at partition 0, row 9: " + c[1]), m);
            assertTrue(m.contains("onBadData(SKIP) gives such rows null outputs"), m);
        }
    }

    @Test
    void score_scorerOfWrongShapeOrCount_failsNamingTheOutput() {
        Dataset<Row> df = withBadRows(Map.of());
        InputSpec spec = InputSpec.features("x", 3).batchRows(5);
        SparkException shape = assertThrows(SparkException.class, () -> SparkTensors.score(df, spec,
                List.of(OutputColumn.scalar("pred")), x -> new NDArray[] {x}).collectAsList());
        assertTrue(messages(shape).contains("output column 'pred' (pred:double) needs an array of shape [5] or "
                + "[5, 1] from the scorer, got [5, 3]"), messages(shape));
        SparkException width = assertThrows(SparkException.class, () -> SparkTensors.score(df, spec,
                List.of(OutputColumn.vector("p", 2)), x -> new NDArray[] {x}).collectAsList());
        assertTrue(messages(width).contains("output column 'p' (p:vector[2]) needs an array of shape [5, 2] from "
                + "the scorer, got [5, 3]"), messages(width));
        SparkException countErr = assertThrows(SparkException.class, () -> SparkTensors.score(df, spec,
                List.of(OutputColumn.scalar("a"), OutputColumn.floatArray("b", 3)),
                x -> new NDArray[] {x.sum(1)}).collectAsList());
        assertTrue(messages(countErr).contains("the scorer returned 1 array(s) for 2 output column(s) "
                + "[a:double, b:array<float>[3]]"), messages(countErr));
    }

    @Test
    void score_badArguments_failOnTheDriverBeforeAnyJob() {
        Dataset<Row> df = withBadRows(Map.of());
        InputSpec spec = InputSpec.features("x", 3);
        List<OutputColumn> one = List.of(OutputColumn.scalar("p"));
        BatchScorer s = x -> new NDArray[] {x.sum(1)};
        String group = "score-bad-arguments";
        spark.sparkContext().setJobGroup(group, "driver-side checks", false);
        try {
            assertMessage("no feature column 'nope' in the DataFrame; its columns are [r, x]",
                    () -> SparkTensors.score(df, InputSpec.features("nope", 3), one, s));
            assertMessage("feature column 'r' has type string",
                    () -> SparkTensors.score(df.withColumn("r", col("r").cast("string")),
                            InputSpec.features("r"), one, s));
            assertMessage("output column 'x' is already a column of the DataFrame [r, x]",
                    () -> SparkTensors.score(df, spec, List.of(OutputColumn.scalar("x")), s));
            assertMessage("output column 'R' is already a column",
                    () -> SparkTensors.score(df, spec, List.of(OutputColumn.scalar("R")), s));
            assertMessage("output column 'P' is given twice",
                    () -> SparkTensors.score(df, spec, List.of(OutputColumn.scalar("p"),
                            OutputColumn.vector("P", 2)), s));
            assertMessage("no output columns", () -> SparkTensors.score(df, spec, List.of(), s));
            assertMessage("no output columns", () -> SparkTensors.score(df, spec, null, s));
            assertMessage("scorer is null", () -> SparkTensors.score(df, spec, one, null));
            assertMessage("width must be at least 1, got 0", () -> OutputColumn.vector("v", 0));
            assertMessage("width must be at least 1, got -2", () -> OutputColumn.floatArray("v", -2));
            assertMessage("name is null or empty", () -> OutputColumn.scalar(""));
        } finally {
            spark.sparkContext().clearJobGroup();
        }
        assertFalseJobsIn(group);
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
    }

    /** Runs a marker job and waits until the listener saw it (events arrive in order), then checks the group. */
    private static void assertFalseJobsIn(String group) {
        String marker = "marker-" + System.nanoTime();
        spark.sparkContext().setJobGroup(marker, "marker", false);
        try {
            spark.range(1).count();
        } finally {
            spark.sparkContext().clearJobGroup();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!JOB_GROUPS.contains(marker) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(JOB_GROUPS.contains(marker), "the listener saw the marker job");
        assertTrue(!JOB_GROUPS.contains(group), "a job ran in group " + group + ": " + JOB_GROUPS);
    }

    @Test
    void score_isLazy_noJobUntilAnAction() {
        Dataset<Row> df = spark.range(0, 40, 1, 4).selectExpr("id",
                "array(cast(id as float), cast(id * 2 as float)) as x").filter("id % 3 != 1");
        String group = "score-build";
        spark.sparkContext().setJobGroup(group, "building the scored frame", false);
        Dataset<Row> scored;
        try {
            scored = SparkTensors.score(df, InputSpec.features("x", 2), List.of(OutputColumn.scalar("p")),
                    x -> new NDArray[] {x.sum(1)});
            scored.schema();
        } finally {
            spark.sparkContext().clearJobGroup();
        }
        assertFalseJobsIn(group);
        // the action runs a job, and the result is usable by further SQL: sum of 3 * id over the kept ids
        Row r = scored.groupBy(col("id").mod(2).as("odd")).agg(sum("p")).orderBy("odd").collectAsList().get(1);
        long expected = 0;
        for (long id = 0; id < 40; id++) {
            if (id % 3 != 1 && id % 2 == 1) {
                expected += 3 * id;
            }
        }
        assertEquals(expected, r.getDouble(1), 1e-9);
    }

    /** Under adaptive execution too, a shuffled input (whose plan AQE would run stage by stage) runs no job. */
    @Test
    void score_isLazyUnderAdaptiveExecution_shuffledInput() {
        spark.conf().set("spark.sql.adaptive.enabled", "true");
        try {
            Dataset<Row> df = spark.range(0, 40, 1, 4).selectExpr("id % 5 as k",
                    "array(cast(id as float)) as x").repartition(3, col("k"));
            String group = "score-build-aqe";
            spark.sparkContext().setJobGroup(group, "building the scored frame under AQE", false);
            Dataset<Row> scored;
            try {
                scored = SparkTensors.score(df, InputSpec.features("x", 1), List.of(OutputColumn.scalar("p")),
                        x -> new NDArray[] {x.sum(1)});
            } finally {
                spark.sparkContext().clearJobGroup();
            }
            assertFalseJobsIn(group);
            Row r = scored.agg(sum("p"), count("k")).first();
            assertEquals(780.0, r.getDouble(0), 0.0);
            assertEquals(40L, r.getLong(1));
        } finally {
            spark.conf().set("spark.sql.adaptive.enabled", "false");
        }
    }

    /** A scorer whose instance records a random id on its first call: one id per task means one copy per task. */
    static final class Tagging implements BatchScorer {
        private double id;

        @Override
        public NDArray[] score(NDArray x) {
            if (id == 0) {
                id = 1 + Math.random();
            }
            return new NDArray[] {NDArray.full(id, x.size(0))};
        }
    }

    @Test
    void score_eachTask_usesItsOwnCopyOfTheScorer() {
        Dataset<Row> df = spark.range(0, 64, 1, 8).selectExpr("array(cast(id as float)) as x",
                "spark_partition_id() as pid");
        List<Row> out = SparkTensors.score(df, InputSpec.features("x", 1).batchRows(3),
                List.of(OutputColumn.scalar("copy")), new Tagging()).collectAsList();
        Map<Integer, Set<Double>> idsByPartition = new HashMap<>();
        Set<Double> all = new HashSet<>();
        for (Row r : out) {
            idsByPartition.computeIfAbsent(r.getInt(1), k -> new HashSet<>()).add(r.getDouble(2));
            all.add(r.getDouble(2));
        }
        assertEquals(8, idsByPartition.size());
        idsByPartition.values().forEach(ids -> assertEquals(1, ids.size(), "one copy within a task"));
        assertEquals(8, all.size(), "a different copy in each task");
    }

    @Test
    void score_consumerStopsEarly_arrowMemoryReleased() {
        Dataset<Row> df = mixed(40);
        Dataset<Row> scored = SparkTensors.score(df, InputSpec.features("x", 4).batchRows(2), linearOutputs(4),
                ScoreTest::linear);
        List<Row> few = scored.limit(3).collectAsList();
        assertEquals(3, few.size());
        assertEquals(0, ArrowMemory.root().getAllocatedMemory(), "Arrow memory after a partial read");
        assertTrue(ArrowMemory.root().getChildAllocators().isEmpty(), "task allocators after a partial read");
        // and a full read after it, aggregated per key (a shuffle over the outputs)
        List<Row> perKey = scored.groupBy("key").agg(sum("sum"), count("lin")).orderBy("key").collectAsList();
        double[] expected = new double[4];
        for (Row r : df.collectAsList()) {
            for (float v : floats(r.getList(1))) {
                expected[r.getInt(5)] += v;
            }
        }
        for (Row r : perKey) {
            assertEquals(expected[r.getInt(0)], r.getDouble(1), 1e-3);
            assertEquals(10L, r.getLong(2));
        }
        assertEquals(0, ArrowMemory.root().getAllocatedMemory());
    }
}
