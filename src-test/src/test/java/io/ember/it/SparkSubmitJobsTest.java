package io.ember.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.ml.EmberModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spark-submit jobs as users run them: {@code examples/target/ember-jobs.jar}, built by the Maven build the
 * README gives, submitted with {@code spark-submit --master spark://... --deploy-mode client --class ...} (Spark's
 * launcher and {@code org.apache.spark.deploy.SparkSubmit}, see {@link StandaloneCluster#submit}) to a standalone
 * cluster whose Spark installation has none of Ember: the jar brings it, natives included. TrainJob trains and saves
 * a model, ScoreJob scores with it; this JVM then loads the saved model and checks that every scored row has the
 * prediction the model's own transform gives.
 */
class SparkSubmitJobsTest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(150);

    private static StandaloneCluster cluster;
    private static SparkSession local;
    private static Path jar;
    private static Path dir;

    @BeforeAll
    static void setUp() throws IOException {
        jar = Path.of(System.getProperty("ember.jobs.jar", "../examples/target/ember-jobs.jar")).toAbsolutePath();
        assertTrue(Files.isRegularFile(jar), jar + " is missing: the examples module makes it (process-classes) in"
                + " any build from the root, e.g. mvn test or mvn -DskipTests package");
        cluster = StandaloneCluster.builder("spark-submit").workers(2).coresPerWorker(1).workerMemory("1g")
                .executorMemory("512m").sparkOnly().start();
        dir = Files.createDirectories(cluster.baseDir().resolve("data"));
        local = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        // part of the shipped Fashion-MNIST sample; the test rows get an id to join the scores on
        Path sample = Path.of(System.getProperty("ember.fashionMnist.parquet", "../examples/data/fashion-mnist-parquet"));
        local.read().parquet(sample.resolve("train").toString()).limit(3000).repartition(2).write()
                .parquet(dir.resolve("fm-train").toString());
        local.read().parquet(sample.resolve("test").toString()).limit(500)
                .withColumn("id", functions.monotonically_increasing_id()).write()
                .parquet(dir.resolve("fm-test").toString());
        Files.writeString(dir.resolve("blobs.csv"), blobsCsv(900, 13));
    }

    @AfterAll
    static void tearDown() {
        if (local != null) {
            local.stop();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void jobsJar_holdsEmberAndItsNativesButNoSpark() throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            z.stream().map(ZipEntry::getName).forEach(names::add);
        }
        for (String c : List.of("io/ember/examples/jobs/TrainJob.class", "io/ember/examples/jobs/ScoreJob.class",
                "io/ember/ml/EmberModel.class", "io/ember/spark/train/DistributedTrainer.class",
                "io/ember/tensor/NDArray.class", "org/bytedeco/javacpp/Loader.class",
                "org/bytedeco/openblas/linux-x86_64/libopenblas.so.0")) {
            assertTrue(names.contains(c), c + " missing from " + jar);
        }
        for (String prefix : List.of("org/apache/spark/", "scala/", "org/apache/hadoop/", "org/apache/arrow/",
                "io/netty/", "org/apache/logging/")) {
            assertFalse(names.stream().anyMatch(n -> n.startsWith(prefix)), jar + " holds " + prefix);
        }
        // and the cluster's Spark installation has no Ember: the executors get it from the submitted jar only
        try (Stream<Path> s = Files.list(cluster.baseDir().resolve("spark-home").resolve("jars"))) {
            List<String> bad = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("ember-") || n.startsWith("openblas") || n.startsWith("javacpp"))
                    .toList();
            assertEquals(List.of(), bad);
        }
    }

    @Test
    void parquet_trainThenScore_submittedToTheCluster() {
        String model = dir.resolve("fm-model").toUri().toString();
        String test = dir.resolve("fm-test").toUri().toString();
        StandaloneCluster.Submission train = submit("train-fm", "io.ember.examples.jobs.TrainJob",
                "--train", dir.resolve("fm-train").toUri().toString(), "--test", test, "--model", model,
                "--architecture", "mlp:64", "--max-epochs", "2", "--batch-size", "32", "--learning-rate", "2e-3",
                "--num-workers", "2", "--seed", "3");
        assertTrue(train.output().contains("on " + cluster.masterUrl()), train.output());
        assertEquals(3000, (long) metric(train, "train_rows"));
        assertEquals(500, (long) metric(train, "test_rows"));
        // two epochs on 3,000 images: far above chance (0.1)
        assertTrue(metric(train, "test_accuracy") > 0.6, train.output());
        assertTrue(Files.isDirectory(dir.resolve("fm-model").resolve("metadata")));
        assertTrue(executorsFetched(), "no executor fetched the jobs jar:\n" + cluster.logsTail(20));

        Path scored = dir.resolve("fm-scored");
        StandaloneCluster.Submission score = submit("score-fm", "io.ember.examples.jobs.ScoreJob",
                "--model", model, "--input", test, "--output", scored.toUri().toString(), "--keep-cols", "id,label");
        assertEquals(500, (long) metric(score, "rows_scored"));

        EmberModel loaded = EmberModel.load(model);
        assertEquals(10, loaded.getNumClasses());
        Dataset<Row> out = local.read().parquet(scored.toString());
        assertEquals(List.of("id", "label", "rawPrediction", "probability", "prediction"),
                Arrays.asList(out.columns()));
        assertSameScores(loaded.transform(local.read().parquet(test)), out, 500);
    }

    @Test
    void csv_trainWithASplitThenScore_submittedToTheCluster() {
        String csv = dir.resolve("blobs.csv").toUri().toString();
        String model = dir.resolve("csv-model").toUri().toString();
        StandaloneCluster.Submission train = submit("train-csv", "io.ember.examples.jobs.TrainJob",
                "--train", csv, "--test-fraction", "0.3", "--features-cols", "f1,f2,f3,f4", "--model", model,
                "--architecture", "mlp:16", "--max-epochs", "10", "--batch-size", "16", "--learning-rate", "1e-2",
                "--num-workers", "2", "--seed", "5");
        long testRows = (long) metric(train, "test_rows");
        assertEquals(900, testRows + (long) metric(train, "train_rows"));
        assertTrue(testRows > 200 && testRows < 340, "a 30% split of 900 rows: " + testRows);
        // three blobs 8.5 standard deviations apart: separable
        assertTrue(metric(train, "test_accuracy") > 0.95, train.output());

        Path scored = dir.resolve("csv-scored");
        StandaloneCluster.Submission score = submit("score-csv", "io.ember.examples.jobs.ScoreJob",
                "--model", model, "--input", csv, "--output", scored.toUri().toString(), "--keep-cols", "id",
                "--vectors", "drop");
        assertEquals(900, (long) metric(score, "rows_scored"));
        Dataset<Row> out = local.read().parquet(scored.toString());
        assertEquals(List.of("id", "prediction"), Arrays.asList(out.columns()));
        Dataset<Row> in = local.read().option("header", "true").option("inferSchema", "true").csv(csv);
        assertSameScores(EmberModel.load(model).transform(in), out, 900);
    }

    // ---- helpers ----

    private static StandaloneCluster.Submission submit(String name, String mainClass, String... appArgs) {
        List<String> args = new ArrayList<>(List.of("--class", mainClass, jar.toString()));
        args.addAll(Arrays.asList(appArgs));
        StandaloneCluster.Submission s = cluster.submit(name, JOB_TIMEOUT, "768m", args);
        assertEquals(0, s.exitCode(), () -> name + " exited with " + s.exitCode() + ":\n" + tail(s.output(), 80)
                + "\n" + cluster.logsTail(20));
        return s;
    }

    private static double metric(StandaloneCluster.Submission s, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "=([-0-9.eE]+)$").matcher(s.output());
        assertTrue(m.find(), () -> "no " + name + "= line in:\n" + tail(s.output(), 80));
        return Double.parseDouble(m.group(1));
    }

    /** Whether an executor's log shows it fetched the jobs jar from the driver. */
    private static boolean executorsFetched() {
        try (Stream<Path> s = Files.walk(cluster.baseDir(), 4)) {
            return s.filter(p -> p.getFileName().toString().equals("stderr")).anyMatch(p -> {
                try {
                    return Files.readString(p).contains(jar.getFileName().toString());
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException e) {
            return false;
        }
    }

    /** Every row of {@code expected} is in {@code got} once (by id) with the same prediction and probabilities. */
    private static void assertSameScores(Dataset<Row> expected, Dataset<Row> got, int rows) {
        boolean probs = Arrays.asList(got.columns()).contains("probability");
        String p = probs ? "probability" : "prediction";
        Map<Long, Row> want = new HashMap<>();
        for (Row r : expected.select("id", "prediction", p).collectAsList()) {
            want.put(((Number) r.get(0)).longValue(), r);
        }
        List<Row> have = got.select("id", "prediction", p).collectAsList();
        assertEquals(rows, want.size());
        assertEquals(rows, have.size());
        for (Row r : have) {
            long id = ((Number) r.get(0)).longValue();
            Row w = want.remove(id);
            assertTrue(w != null, "unexpected or repeated id " + id);
            assertEquals(w.getDouble(1), r.getDouble(1), "prediction of id " + id);
            if (probs) {
                double[] a = ((Vector) w.get(2)).toArray();
                double[] b = ((Vector) r.get(2)).toArray();
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], b[i], 1e-6, "probability of id " + id);
                }
            }
        }
    }

    /** Three blobs in 4-d (x4 pure noise), centres 8.5 standard deviations apart: id,f1..f4,label. */
    private static String blobsCsv(int n, long seed) {
        double[][] centres = {{0, 0, 0, 0}, {3, 3, 0, 0}, {0, 3, 3, 0}};
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder("id,f1,f2,f3,f4,label\n");
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            b.append(i);
            for (int j = 0; j < 4; j++) {
                b.append(String.format(Locale.ROOT, ",%.5f", centres[c][j] + 0.5 * r.nextGaussian()));
            }
            b.append(',').append(c).append('\n');
        }
        return b.toString();
    }

    private static String tail(String s, int lines) {
        List<String> all = s.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
