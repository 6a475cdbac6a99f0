package io.ember.spark.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Measurement (tag "full"): {@link SparkTensors#score} with a trivial scorer (a row sum) against
 * {@link SparkTensors#readFloor} on a cached frame of 600k rows of array&lt;float&gt;[784] built on the
 * executors, local[2], one compute thread per task. Prints {@code name=value} lines: rows/s of wall time and rows
 * per second of the task threads' CPU time, each the best of 3 runs after a warm-up, the variants interleaved;
 * asserts nothing about speed. Rows: {@code -Dscore.rows=600000}; timed runs: {@code -Dscore.reps=3}; what to time:
 * {@code -Dscore.parts=floor,score,first,ingest} (first: a scorer that computes nothing, returning the first
 * feature; ingest: {@link SparkTensors#partitions}, for comparison); rows per batch: {@code -Dscore.batchRows=4096}.
 *
 * <pre>
 * mvn -o -q -B -Pfull -pl spark-connector -am test -Dtest=ScoreBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dsurefire.heap=-Xmx10g; cat spark-connector/target/surefire-reports/*ScoreBench-output.txt
 * </pre>
 */
@Tag("full")
class ScoreBench {
    private static final int WIDTH = 784;

    @Test
    void bench() {
        long rows = Long.getLong("score.rows", 600_000);
        int reps = Integer.getInteger("score.reps", 3);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("ScoreBench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "2").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        int threadsBefore = Threads.get();
        Threads.set(1);
        try {
            // built on the executors: pixel j of row id = ((7 id + 13 j) mod 256) / 255
            Dataset<Row> df = spark.range(0, rows, 1, 8).selectExpr("id", "transform(sequence(0, " + (WIDTH - 1)
                    + "), j -> cast(((id * 7 + j * 13) % 256) / 255D as float)) as features").cache();
            if (df.count() != rows) {
                throw new AssertionError("cached rows");
            }
            InputSpec spec = InputSpec.features("features", WIDTH)
                    .batchRows(Integer.getInteger("score.batchRows", InputSpec.DEFAULT_BATCH_ROWS));
            BatchScorer rowSum = x -> new NDArray[] {x.sum(1)};
            List<OutputColumn> out = List.of(OutputColumn.scalar("prediction"));
            double expectedSum = expectedSum(rows);

            String parts = System.getProperty("score.parts", "floor,score,first,ingest");
            Map<String, LongSupplier> runs = new LinkedHashMap<>();
            if (parts.contains("floor")) {
                runs.put("read_floor_rps", () -> SparkTensors.readFloor(df, spec));
            }
            if (parts.contains("score")) {
                runs.put("score_rps", () -> checked(SparkTensors.score(df, spec, out, rowSum), expectedSum, rows));
            }
            if (parts.contains("first")) {
                // no compute at all: the scoring path's own cost
                runs.put("score_first_rps", () -> checked(SparkTensors.score(df, spec, out,
                        x -> new NDArray[] {x.narrow(1, 0, 1)}), expectedFirst(rows), rows));
            }
            if (parts.contains("ingest")) {
                runs.put("ingest_rps", () -> SparkTensors.partitions(df, spec).map(TensorBatch::size)
                        .reduce(Integer::sum));
            }
            // interleaved (one run of each in turn), so that a busy spell of the machine touches all of them
            Map<String, Double> best = new LinkedHashMap<>();
            for (int i = 0; i <= reps; i++) {
                for (Map.Entry<String, LongSupplier> e : runs.entrySet()) {
                    long c0 = taskCpuNanos();
                    long t0 = System.nanoTime();
                    long n = e.getValue().getAsLong();
                    double sec = (System.nanoTime() - t0) / 1e9;
                    double cpu = (taskCpuNanos() - c0) / 1e9;
                    if (n != rows) {
                        throw new AssertionError(e.getKey() + ": rows " + n + ", expected " + rows);
                    }
                    System.err.printf(Locale.ROOT, "%s run %d: %.3f s, task cpu %.3f s%n", e.getKey(), i, sec, cpu);
                    if (i > 0) { // the first is a warm-up
                        best.merge(e.getKey(), rows / sec, Math::max);
                        best.merge(e.getKey().replace("_rps", "_per_task_cpu_s"), rows / cpu, Math::max);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "rows=%d%n", rows);
            best.forEach((k, v) -> System.out.printf(Locale.ROOT, "%s=%.0f%n", k, v));
            if (best.containsKey("read_floor_rps") && best.containsKey("score_rps")) {
                System.out.printf(Locale.ROOT, "score_over_floor=%.2f%nscore_over_floor_cpu=%.2f%n",
                        best.get("score_rps") / best.get("read_floor_rps"),
                        best.get("score_per_task_cpu_s") / best.get("read_floor_per_task_cpu_s"));
            }
        } finally {
            Threads.set(threadsBefore);
            spark.stop();
        }
    }

    /**
     * CPU time so far of the executor's task threads (local mode: this JVM), a figure that a busy shared machine
     * disturbs less than wall time.
     */
    private static long taskCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("Executor task launch worker")) {
                total += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return total;
    }

    /** Forces the scored frame with an aggregate over the prediction column; checks the sum and returns rows. */
    private static long checked(Dataset<Row> scored, double expected, long rows) {
        double s = scored.agg(sum(col("prediction"))).first().getDouble(0);
        if (Math.abs(s - expected) > 1e-3 * expected) {
            throw new AssertionError("sum of predictions " + s + ", expected " + expected);
        }
        return rows;
    }

    /** The sum of every row's first pixel. */
    private static double expectedFirst(long rows) {
        double s = 0;
        for (long id = 0; id < rows; id++) {
            s += (float) (((id * 7) % 256) / 255.0);
        }
        return s;
    }

    /** The sum over all rows and pixels, computed with plain loops (checks that the scored job did the work). */
    private static double expectedSum(long rows) {
        double[] perResidue = new double[256];
        for (int r = 0; r < 256; r++) {
            perResidue[r] = (float) (r / 255.0);
        }
        double s = 0;
        for (long id = 0; id < rows; id++) {
            for (int j = 0; j < WIDTH; j++) {
                s += perResidue[(int) ((id * 7 + j * 13) % 256)];
            }
        }
        return s;
    }
}
