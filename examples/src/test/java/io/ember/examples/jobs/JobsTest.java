package io.ember.examples.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.examples.FashionMnistParquet;
import io.ember.ml.EmberModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TrainJob and ScoreJob run in this JVM as their launchers run them (embedded local Spark, no spark-submit): the
 * command line's help and mistakes, and a train-then-score run for each input format, the scores checked against
 * the saved model's own transform. The data: the shipped Fashion-MNIST sample and tiny data with a known rule (three
 * well-separated blobs; a linear target), written by plain Java.
 */
class JobsTest {
    private static final String[] SPARK = {"--master", "local[2]", "--conf", "spark.ui.enabled=false"};

    @TempDir
    Path tmp;
    private SparkSession spark;

    @AfterEach
    void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private record Run(int status, String out, String err) {
        double metric(String name) {
            Matcher m = Pattern.compile("(?m)^" + name + "=([-0-9.eE]+)$").matcher(out);
            assertTrue(m.find(), () -> "no " + name + "= line in:\n" + out + "\nstderr:\n" + err);
            return Double.parseDouble(m.group(1));
        }
    }

    private interface Main {
        int run(String[] argv, PrintStream out, PrintStream err);
    }

    private static Run run(Main job, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = job.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run ok(Main job, String... args) {
        String[] all = Arrays.copyOf(args, args.length + SPARK.length);
        System.arraycopy(SPARK, 0, all, args.length, SPARK.length);
        Run r = run(job, all);
        assertEquals(0, r.status, () -> "exit status; stdout:\n" + r.out + "\nstderr:\n" + r.err);
        return r;
    }

    private SparkSession local() {
        spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
        return spark;
    }

    // ---- command line ----

    @Test
    void help_ofEachJob_listsTheOptionsAndExits0() {
        Run t = run(TrainJob::run, "--help");
        assertEquals(0, t.status);
        assertEquals("", t.err);
        for (String o : List.of("--train PATH", "--test PATH", "--task TASK", "--model PATH", "--format FORMAT",
                "--learning-rate X", "--max-epochs N", "--architecture VALUE", "--lr-schedule VALUE",
                "--num-workers N", "--checkpoint-dir PATH", "--device VALUE", "--feature-shape N,N,...")) {
            assertTrue(t.out.contains(o), () -> o + " missing from:\n" + t.out);
        }
        Run s = run(ScoreJob::run, "-h");
        assertEquals(0, s.status);
        for (String o : List.of("--model PATH", "--input PATH", "--output PATH", "--keep-cols COLS",
                "--vectors MODE", "--features-col COL")) {
            assertTrue(s.out.contains(o), () -> o + " missing from:\n" + s.out);
        }
    }

    @Test
    void trainJob_unknownOption_exits2WithOneLine() {
        Run r = run(TrainJob::run, "--train", "x", "--model", "y", "--bogus", "1");
        assertEquals(2, r.status);
        assertEquals("train-job: unknown option '--bogus' (--help lists the options)", r.err.strip());
        assertEquals("", r.out);
    }

    @Test
    void trainJob_missingRequiredOrBadValues_exit2NamingTheOption() {
        Run missing = run(TrainJob::run, "--train", "x");
        assertEquals(2, missing.status);
        assertTrue(missing.err.startsWith("train-job: option --model is required"), missing.err);

        Run notInt = run(TrainJob::run, "--train", "x", "--model", "y", "--batch-size", "ten");
        assertEquals(2, notInt.status);
        assertEquals("train-job: option --batch-size: expected an integer, got 'ten'", notInt.err.strip());

        Run invalid = run(TrainJob::run, "--train", "x", "--model", "y", "--learning-rate=-1");
        assertEquals(2, invalid.status);
        assertTrue(invalid.err.startsWith("train-job: option --learning-rate: "), invalid.err);
        assertTrue(invalid.err.contains("-1"), invalid.err);
        assertEquals(1, invalid.err.strip().lines().count(), invalid.err);

        Run task = run(TrainJob::run, "--train", "x", "--model", "y", "--task", "clustering");
        assertEquals(2, task.status);
        assertEquals("train-job: option --task: expected classification or regression, got 'clustering'",
                task.err.strip());

        Run regressionProb = run(TrainJob::run, "--train", "x", "--model", "y", "--task", "regression",
                "--probability-col", "p");
        assertEquals(2, regressionProb.status);
        assertEquals("train-job: option --probability-col is for classification only", regressionProb.err.strip());

        Run vectors = run(ScoreJob::run, "--model", "m", "--input", "i", "--output", "o", "--vectors", "sparse");
        assertEquals(2, vectors.status);
        assertEquals("score-job: option --vectors: expected keep, drop or array, got 'sparse'", vectors.err.strip());
    }

    @Test
    void trainJob_missingInput_exits1WithTheCause() {
        Run r = run(TrainJob::run, "--train", tmp.resolve("nothing-here").toString(), "--model",
                tmp.resolve("m").toString(), "--master", "local[1]", "--conf", "spark.ui.enabled=false");
        assertEquals(1, r.status, r.out + r.err);
        String last = r.err.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("train-job: failed: ") && last.contains("nothing-here"), last);
        assertFalse(Files.exists(tmp.resolve("m")));
    }

    // ---- train then score, each format ----

    @Test
    void parquet_trainThenScore_scoresAsTheSavedModel() throws Exception {
        // the shipped sample: 6,000 training rows; the test rows get an id to join the scores on
        Path sample = FashionMnistParquet.sample().toAbsolutePath();
        Path test = tmp.resolve("test");
        local().read().parquet(sample.resolve("test").toString()).withColumn("id",
                functions.monotonically_increasing_id()).write().parquet(test.toString());
        spark.stop();
        Path model = tmp.resolve("model");
        Run t = ok(TrainJob::run, "--train", sample.resolve("train").toString(), "--test", test.toString(),
                "--model", model.toString(), "--architecture", "mlp:64", "--max-epochs", "1", "--batch-size", "32",
                "--learning-rate", "2e-3", "--num-workers", "2", "--seed", "3");
        assertEquals(6000, (int) t.metric("train_rows"));
        assertEquals(1000, (int) t.metric("test_rows"));
        // one epoch on 6,000 images: far above chance (0.1)
        assertTrue(t.metric("test_accuracy") > 0.6, t.out);
        assertTrue(t.metric("test_weighted_f1") > 0.5, t.out);

        Path scored = tmp.resolve("scored");
        Run s = ok(ScoreJob::run, "--model", model.toString(), "--input", test.toString(), "--output",
                scored.toString(), "--keep-cols", "id,label");
        assertEquals(1000, (int) s.metric("rows_scored"));
        assertTrue(s.metric("rows_per_second") > 0);

        Dataset<Row> out = local().read().parquet(scored.toString());
        assertEquals(List.of("id", "label", "rawPrediction", "probability", "prediction"),
                Arrays.asList(out.columns()));
        EmberModel m = EmberModel.load(model.toString());
        assertSameScores(m.transform(spark.read().parquet(test.toString())), out, "id", 1000);
    }

    @Test
    void csv_trainOnTheOtherColumnsThenScore_scoresAsTheSavedModel() throws Exception {
        Path train = blobsCsv(tmp.resolve("train.csv"), 600, 1, true);
        Path test = blobsCsv(tmp.resolve("test.csv"), 200, 2, true);
        Path model = tmp.resolve("model");
        Run t = ok(TrainJob::run, "--train", train.toString(), "--test", test.toString(), "--model",
                model.toString(), "--features-cols", "f1,f2,f3,f4", "--architecture", "mlp:16", "--max-epochs",
                "20", "--batch-size", "16", "--learning-rate", "1e-2", "--num-workers", "2", "--seed", "5");
        // three blobs 8.5 standard deviations apart: linearly separable
        assertTrue(t.metric("test_accuracy") > 0.95, t.out);
        Path scored = tmp.resolve("scored");
        ok(ScoreJob::run, "--model", model.toString(), "--input", test.toString(), "--output", scored.toString(),
                "--vectors", "array");
        Dataset<Row> out = local().read().parquet(scored.toString());
        assertEquals(List.of("id", "f1", "f2", "f3", "f4", "label", "rawPrediction", "probability", "prediction"),
                Arrays.asList(out.columns()));
        assertTrue(out.schema().apply("probability").dataType() instanceof ArrayType);
        Dataset<Row> in = spark.read().option("header", "true").option("inferSchema", "true").csv(test.toString());
        Dataset<Row> expected = EmberModel.load(model.toString()).transform(in).withColumn("probability",
                org.apache.spark.ml.functions.vector_to_array(functions.col("probability"), "float64"));
        assertSameScores(expected, out, "id", 200);
    }

    @Test
    void csv_regressionOnAllColumnsWithASplit_fitsTheLinearRule() throws Exception {
        // y = 2a - 3b + 0.5 + noise(0.05): every column but the label is a feature by default
        Path csv = tmp.resolve("lin.csv");
        Random r = new Random(11);
        StringBuilder b = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 800; i++) {
            double a = 2 * r.nextDouble() - 1;
            double c = 2 * r.nextDouble() - 1;
            b.append(String.format(Locale.ROOT, "%.6f,%.6f,%.6f%n", a, c, 2 * a - 3 * c + 0.5
                    + 0.05 * r.nextGaussian()));
        }
        Files.writeString(csv, b);
        Run t = ok(TrainJob::run, "--train", csv.toString(), "--task", "regression", "--label-col", "y",
                "--test-fraction", "0.25", "--model", tmp.resolve("model").toString(), "--architecture", "linear",
                "--max-epochs", "30", "--batch-size", "16", "--learning-rate", "5e-2", "--num-workers", "2");
        long testRows = (long) t.metric("test_rows");
        assertEquals(800, testRows + (long) t.metric("train_rows"));
        assertTrue(testRows > 120 && testRows < 280, "a 25% split of 800 rows: " + testRows);
        assertTrue(t.metric("test_r2") > 0.98, t.out);
        assertTrue(t.metric("test_rmse") < 0.3, t.out);
    }

    @Test
    void libsvm_testWithFewerFeatures_readAtTheTrainingWidth() throws Exception {
        // feature 4 (noise) never appears in the test file: read alone it would be 3 wide
        Path train = tmp.resolve("train.libsvm");
        Path test = tmp.resolve("test.libsvm");
        Files.writeString(train, libsvm(blobs(600, 7), false));
        Files.writeString(test, libsvm(blobs(150, 8), true));
        Path model = tmp.resolve("model");
        Run t = ok(TrainJob::run, "--train", train.toString(), "--test", test.toString(), "--model",
                model.toString(), "--architecture", "mlp:16", "--max-epochs", "20", "--batch-size", "16",
                "--learning-rate", "1e-2", "--num-workers", "2");
        assertTrue(t.metric("test_accuracy") > 0.9, t.out);
        Path scored = tmp.resolve("scored");
        ok(ScoreJob::run, "--model", model.toString(), "--input", test.toString(), "--output", scored.toString(),
                "--vectors", "drop");
        Dataset<Row> out = local().read().parquet(scored.toString());
        assertEquals(List.of("label", "features", "prediction"), Arrays.asList(out.columns()));
        Dataset<Row> in = spark.read().format("libsvm").option("numFeatures", "4").load(test.toString());
        Map<String, Double> expected = new HashMap<>();
        for (Row row : EmberModel.load(model.toString()).transform(in).select("features", "prediction")
                .collectAsList()) {
            expected.put(((Vector) row.get(0)).toDense().toString(), row.getDouble(1));
        }
        List<Row> got = out.select("features", "prediction").collectAsList();
        assertEquals(150, got.size());
        for (Row row : got) {
            Vector v = (Vector) row.get(0);
            assertEquals(4, v.size());
            assertEquals(expected.get(v.toDense().toString()), row.getDouble(1), v::toString);
        }
    }

    // ---- helpers ----

    /** Every expected row is in {@code got} once, with the same prediction and probabilities (when present). */
    private static void assertSameScores(Dataset<Row> expected, Dataset<Row> got, String key, int rows) {
        boolean probs = Arrays.asList(got.columns()).contains("probability");
        Map<Long, Row> want = new HashMap<>();
        for (Row r : expected.select(key, "prediction", probs ? "probability" : "prediction").collectAsList()) {
            want.put(((Number) r.get(0)).longValue(), r);
        }
        List<Row> have = got.select(key, "prediction", probs ? "probability" : "prediction").collectAsList();
        assertEquals(rows, have.size());
        assertEquals(rows, want.size());
        for (Row r : have) {
            Row w = want.remove(((Number) r.get(0)).longValue());
            assertTrue(w != null, () -> "unexpected or repeated " + key + " " + r.get(0));
            assertEquals(w.getDouble(1), r.getDouble(1), () -> "prediction of " + key + " " + r.get(0));
            if (probs) {
                double[] a = doubles(w, 2);
                double[] b = doubles(r, 2);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-6, "probability of " + key + " " + r.get(0));
                }
            }
        }
    }

    private static double[] doubles(Row r, int i) {
        if (r.get(i) instanceof Vector vec) {
            return vec.toArray();
        }
        return r.<Double>getList(i).stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Three blobs in 4-d, centres 8.5 standard deviations apart, x4 pure noise: {x1..x4, class}. */
    static double[][] blobs(int n, long seed) {
        double[][] centres = {{0, 0, 0, 0}, {3, 3, 0, 0}, {0, 3, 3, 0}};
        Random r = new Random(seed);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            rows[i] = new double[5];
            for (int j = 0; j < 4; j++) {
                rows[i][j] = centres[c][j] + 0.5 * r.nextGaussian();
            }
            rows[i][4] = c;
        }
        return rows;
    }

    private static Path blobsCsv(Path p, int n, long seed, boolean id) throws IOException {
        StringBuilder b = new StringBuilder(id ? "id,f1,f2,f3,f4,label\n" : "f1,f2,f3,f4,label\n");
        double[][] rows = blobs(n, seed);
        for (int i = 0; i < n; i++) {
            double[] x = rows[i];
            b.append(id ? i + "," : "").append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f,%d%n", x[0], x[1],
                    x[2], x[3], (int) x[4]));
        }
        Files.writeString(p, b);
        return p;
    }

    /** LibSVM lines (1-based indices); {@code dropLast} leaves feature 4 out of every line. */
    private static String libsvm(double[][] rows, boolean dropLast) {
        List<String> lines = new ArrayList<>();
        for (double[] x : rows) {
            StringBuilder b = new StringBuilder(String.valueOf((int) x[4]));
            for (int j = 0; j < (dropLast ? 3 : 4); j++) {
                b.append(String.format(Locale.ROOT, " %d:%.5f", j + 1, x[j]));
            }
            lines.add(b.toString());
        }
        return String.join("\n", lines) + "\n";
    }

}
