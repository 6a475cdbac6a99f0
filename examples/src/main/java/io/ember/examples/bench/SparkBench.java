package io.ember.examples.bench;

import io.ember.examples.FashionMnist;
import io.ember.spark.data.InputSpec;
import io.ember.spark.data.SparkTensors;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import java.util.function.LongSupplier;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;

/**
 * The spark workload of ../shared/PROTOCOL.md: ingestion of a cached DataFrame into tensor batches against the
 * floor of merely reading it, the distributed trainer (local[THREADS], and local[1] against local[2]), and Spark
 * MLlib's MultilayerPerceptronClassifier on the same data as the reference for time to accuracy. Spark is configured
 * as a user would: local[THREADS], no UI, shuffle partitions = THREADS, the driver's memory is this JVM's heap.
 */
final class SparkBench {
    private final boolean quick;
    private final int threads = Threads.get();
    private final FashionMnist data;
    private final NDArray trainX;
    private final NDArray trainY;
    private final NDArray testX;
    private final NDArray testY;

    private SparkBench(boolean quick) throws Exception {
        this.quick = quick;
        data = FashionMnist.load(System.getenv("FMNIST_DIR"));
        System.err.println("bench: Fashion-MNIST from " + data.dir);
        int n = quick ? Math.min(2000, data.trainImages.size(0)) : data.trainImages.size(0);
        int nt = quick ? Math.min(1000, data.testImages.size(0)) : data.testImages.size(0);
        trainX = data.trainImages.narrow(0, 0, n);
        trainY = data.trainLabels.narrow(0, 0, n);
        testX = data.testImages.narrow(0, 0, nt);
        testY = data.testLabels.narrow(0, 0, nt);
    }

    static void spark(boolean quick) throws Exception {
        new SparkBench(quick).run();
    }

    static SparkSession session(int cores) {
        SparkSession spark = SparkSession.builder()
                .master("local[" + cores + "]")
                .appName("ember-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(cores))
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    private void run() throws Exception {
        SparkSession spark = session(threads);
        try {
            SparkFrames train = new SparkFrames(spark, trainX, trainY);
            Dataset<Row> arrays = train.arrays();
            Dataset<Row> vectors = train.vectors();
            ingest("", arrays);
            ingest("_vector", vectors);
            arrays.unpersist(true);
            Dataset<Row> testVectors = new SparkFrames(spark, testX, testY).vectors();
            double[] mllib = mllib(vectors, testVectors);
            Bench.print("mllib_fit_s", mllib[0]);
            Bench.print("mllib_acc", mllib[1]);
        } finally {
            spark.stop();
        }
    }

    /**
     * {@code ingest<suffix>_rps}, rows/s turning the cached frame into one tensor batch per partition, and
     * {@code ingest<suffix>_floor_rps}, rows/s merely reading every value of its internal rows. One warm-up
     * repetition of each, then the BEST of 5 (quick: 1), the two interleaved so that both see the same machine.
     */
    private void ingest(String suffix, Dataset<Row> df) {
        long rows = df.count();
        LongSupplier tensors = TEMP_NO_INGEST ? () -> rows : () -> SparkTensors.partitions(df,
                InputSpec.features("features", 784).label("label")).map(b -> (long) b.size()).reduce(Long::sum);
        LongSupplier floor = () -> readFloor(df, !suffix.isEmpty());
        check("ingest" + suffix, rows, tensors.getAsLong());
        check("ingest" + suffix + " floor", rows, floor.getAsLong());
        double best = Double.MAX_VALUE;
        double bestFloor = Double.MAX_VALUE;
        for (int i = 0; i < (quick ? 1 : 5); i++) {
            best = Math.min(best, seconds(tensors));
            bestFloor = Math.min(bestFloor, seconds(floor));
        }
        Bench.print("ingest" + suffix + "_rps", rows / best);
        Bench.print("ingest" + suffix + "_floor_rps", rows / bestFloor);
    }

    static final boolean TEMP_NO_INGEST = true;

    private static void check(String what, long expected, long got) {
        if (expected != got) {
            throw new IllegalStateException("bench spark: " + what + " saw " + got + " rows, the frame has " + expected);
        }
    }

    private static double seconds(LongSupplier job) {
        long t0 = System.nanoTime();
        job.getAsLong();
        return (System.nanoTime() - t0) / 1e9;
    }

    // TEMPORARY until the ingestion branch's floor lands: every value of the cached frame's internal rows.
    private static long readFloor(Dataset<Row> df, boolean vector) {
        return df.queryExecution().toRdd().toJavaRDD().mapPartitions(it -> {
            long n = 0;
            double sum = 0;
            while (it.hasNext()) {
                InternalRow r = it.next();
                if (vector) {
                    ArrayData a = r.getStruct(0, 4).getArray(3);
                    for (int j = 0, m = a.numElements(); j < m; j++) {
                        sum += a.getDouble(j);
                    }
                } else {
                    ArrayData a = r.getArray(0);
                    for (int j = 0, m = a.numElements(); j < m; j++) {
                        sum += a.getFloat(j);
                    }
                }
                sum += r.getInt(1);
                n++;
            }
            return java.util.List.of(sum == -1 ? n + 1 : n).iterator();
        }).reduce(Long::sum);
    }

    /** MLlib's MultilayerPerceptronClassifier (784,256,128,10; maxIter 100, quick 5): {fit seconds, test accuracy}. */
    private double[] mllib(Dataset<Row> train, Dataset<Row> test) {
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
                .setLayers(new int[] {784, 256, 128, 10})
                .setMaxIter(quick ? 5 : 100)
                .setSeed(42L)
                .setFeaturesCol("features")
                .setLabelCol("label");
        System.err.println("bench: MLlib MultilayerPerceptronClassifier, maxIter " + mlp.getMaxIter());
        long t0 = System.nanoTime();
        MultilayerPerceptronClassificationModel model = mlp.fit(train);
        double fit = (System.nanoTime() - t0) / 1e9;
        double acc = new MulticlassClassificationEvaluator().setLabelCol("label").setMetricName("accuracy")
                .evaluate(model.transform(test));
        System.err.printf("bench: MLlib fit %.1f s, test accuracy %.4f%n", fit, acc);
        return new double[] {fit, acc};
    }
}
