package io.ember.examples;

import io.ember.ml.EmberClassifier;
import io.ember.ml.EmberModel;
import io.ember.tensor.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The main job: the PROTOCOL MLP (784-256-128-10) trained data-parallel on Spark (local[2] by default) through Ember's
 * Spark ML estimator, {@link EmberClassifier}, from Parquet files of Fashion-MNIST ({@code features} array&lt;float&gt;
 * of 784 pixels x/255, {@code label} double). Then: test accuracy with Spark's evaluator, the model saved with ML
 * persistence, reloaded with {@link EmberModel#load}, checked to score the test set identically, and the test set's
 * scores written as Parquet. Defaults: 2 workers with 32 rows each per step (together PROTOCOL's batch of 64),
 * parameters averaged every 50 steps, Adam at 2e-3 decaying to 0 on a cosine, 3 epochs (about 0.87 on the full set).
 *
 * <p>The data: {@code --data} or {@code FMNIST_DIR} (IDX files, written once as Parquet under {@code --parquet}, or
 * a folder with Parquet {@code train/} and {@code test/}), else Debian's dataset-fashion-mnist when installed, else
 * the sample that ships as Parquet ({@link FashionMnistParquet#SAMPLE_DIR}). Run: {@code examples/train.sh --help}.
 */
public final class SparkTrainExample {
    private SparkTrainExample() {
    }

    public static void main(String[] argv) throws Exception {
        run(argv);
    }

    /** Runs the job and returns the test accuracy. */
    public static double run(String[] argv) throws Exception {
        Args a = new Args("Fashion-MNIST MLP on Spark: examples/train.sh [options]", argv)
                .option("master", "local[2]", "Spark master (spark-submit's --master wins when set)")
                .option("workers", "2", "parallel workers (partitions)")
                .option("epochs", "3", "training epochs")
                .option("batch", "32", "batch size per worker (2 workers x 32 = PROTOCOL's batch of 64)")
                .option("steps-per-round", "50", "local steps per worker between parameter averagings")
                .option("lr", "2e-3", "peak Adam learning rate")
                .option("schedule", "cosine", "learning-rate schedule: cosine (decay to 0) or constant")
                .option("seed", "42", "seed of the initial weights and the shuffling")
                .option("data", null, "Fashion-MNIST: a folder of the IDX .gz files or with Parquet train/ and"
                        + " test/ (default: FMNIST_DIR, Debian's dataset-fashion-mnist, else the shipped Parquet"
                        + " sample)")
                .option("checkpoint", null, "checkpoint directory (any Hadoop FileSystem URI); resumes from it")
                .option("save", "target/fashion-mnist-spark-mlp", "where to save the model (ML persistence)")
                .option("scored", "target/fashion-mnist-scored", "where to write the scored test set (Parquet)")
                .option("parquet", "target/fashion-mnist-parquet", "where IDX data is written as Parquet (once)")
                .parse();
        SparkSession.Builder sb = SparkSession.builder().appName("ember-fashion-mnist")
                .config("spark.ui.showConsoleProgress", "false")
                // each round's task results (the parameters and Adam's moments, 2.8 MB for this model) go straight
                // back to the driver instead of through the block manager: ~40 ms less per round
                .config("spark.task.maxDirectResultSize", "64m");
        if (!new org.apache.spark.SparkConf().contains("spark.master")) {
            sb.master(a.get("master"));
        }
        SparkSession spark = sb.getOrCreate();
        try {
            int workers = a.getInt("workers");
            String dataDir = a.get("data") != null ? a.get("data") : System.getenv("FMNIST_DIR");
            Data data = data(spark, dataDir, Path.of(a.get("parquet")), workers);
            long trainRows = data.train.count();
            long testRows = data.test.count();
            System.out.printf("Fashion-MNIST from %s: %,d training, %,d test rows; Spark %s, %s, %d workers%n",
                    data.source, trainRows, testRows, spark.version(), spark.sparkContext().master(), workers);
            EmberClassifier clf = new EmberClassifier()
                    .setFeaturesCol("features").setLabelCol("label")
                    .setArchitecture("mlp:256,128").setLoss("crossEntropy")
                    .setOptimizer("adam").setLearningRate(a.getDouble("lr")).setLrSchedule(a.get("schedule"))
                    .setBatchSize(a.getInt("batch")).setMaxEpochs(a.getInt("epochs"))
                    .setStepsPerRound(a.getInt("steps-per-round")).setNumWorkers(workers).setSeed(a.getInt("seed"))
                    .setCheckpointDir(a.get("checkpoint"));
            // the trainer logs every round's loss and samples/s (io.ember at INFO, examples/conf/log4j2.properties)
            long t0 = System.nanoTime();
            EmberModel model = clf.fit(data.train);
            double secs = (System.nanoTime() - t0) / 1e9;
            MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
                    .setMetricName("accuracy");
            double acc = accuracy.evaluate(model.transform(data.test));
            System.out.printf("trained %d rounds in %.1f s; test accuracy %.4f%n", model.history().size(), secs, acc);

            String save = a.get("save");
            model.write().overwrite().save(save);
            EmberModel reloaded = EmberModel.load(save);
            List<Row> before = model.transform(data.test).select("prediction", "probability").collectAsList();
            Dataset<Row> scored = reloaded.transform(data.test);
            List<Row> after = scored.select("prediction", "probability").collectAsList();
            if (!before.equals(after)) {
                throw new IllegalStateException("the model reloaded from " + save + " scores the test set"
                        + " differently");
            }
            System.out.printf("saved to %s; reloaded, it scores the %,d test rows identically%n", save, testRows);
            String scoredDir = a.get("scored");
            scored.select("label", "prediction", "probability").write().mode("overwrite").parquet(scoredDir);
            double reloadedAcc = accuracy.evaluate(spark.read().parquet(scoredDir));
            System.out.printf("scored test set written to %s (label, prediction, probability); its accuracy"
                    + " %.4f%n", scoredDir, reloadedAcc);
            System.out.printf("test accuracy: %.4f%n", acc);
            return acc;
        } finally {
            spark.stop();
        }
    }

    /** The training and test DataFrames and where they came from. */
    record Data(Dataset<Row> train, Dataset<Row> test, String source) {
    }

    /**
     * Fashion-MNIST as DataFrames read from Parquet: {@code dir} holds the IDX files (written once as Parquet under
     * {@code cache}) or Parquet {@code train/} and {@code test/} (any Hadoop path); null: Debian's package when
     * installed, else the shipped Parquet sample.
     */
    static Data data(SparkSession spark, String dir, Path cache, int partitions) throws java.io.IOException {
        if (dir == null || dir.isBlank()) {
            if (!Files.exists(FashionMnist.SYSTEM_DIR.resolve("train-images-idx3-ubyte.gz"))) {
                Path sample = FashionMnistParquet.sample();
                return new Data(spark.read().parquet(sample.resolve("train").toString()),
                        spark.read().parquet(sample.resolve("test").toString()), sample + " (the shipped sample)");
            }
            dir = FashionMnist.SYSTEM_DIR.toString();
        }
        if (!Files.exists(Path.of(dir).resolve("train-images-idx3-ubyte.gz"))) {
            String base = dir.endsWith("/") ? dir : dir + "/";
            return new Data(spark.read().parquet(base + "train"), spark.read().parquet(base + "test"), dir);
        }
        // The data as Spark data lives: Parquet files (written once from the IDX files), read as DataFrames.
        FashionMnist idx = FashionMnist.load(dir);
        Path parquet = cache.resolve(idx.dir.toAbsolutePath().normalize().toString().replaceAll("[^A-Za-z0-9]+", "_"));
        return new Data(parquet(spark, idx.trainImages, idx.trainLabels, partitions, parquet.resolve("train")),
                parquet(spark, idx.testImages, idx.testLabels, partitions, parquet.resolve("test")), dir);
    }

    /**
     * The images and labels as Parquet files in {@code dir} ({@code partitions} files; written when absent), read
     * back as a DataFrame. Training from files keeps each round's Spark tasks small: a DataFrame made from a local
     * collection carries that whole collection in the lineage every job serializes.
     */
    public static Dataset<Row> parquet(SparkSession spark, NDArray images, NDArray labels, int partitions, Path dir) {
        if (!java.nio.file.Files.exists(dir.resolve("_SUCCESS"))) {
            frame(spark, images, labels, partitions).write().mode("overwrite").parquet(dir.toString());
        }
        return spark.read().parquet(dir.toString());
    }

    /**
     * Images [N, 784] and labels [N] as a DataFrame ({@code features} array&lt;float&gt;, {@code label} double) in
     * {@code partitions} partitions.
     */
    public static Dataset<Row> frame(SparkSession spark, NDArray images, NDArray labels, int partitions) {
        int n = images.size(0);
        int width = images.size(1);
        float[] pixels = images.contiguous().toFloatArray();
        long[] y = labels.toLongArray();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] r = new float[width];
            System.arraycopy(pixels, i * width, r, 0, width);
            rows.add(RowFactory.create(r, (double) y[i]));
        }
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.DoubleType, false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, partitions), schema);
    }
}
