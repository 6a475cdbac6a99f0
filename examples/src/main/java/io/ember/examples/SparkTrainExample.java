package io.ember.examples;

import io.ember.io.ModelIO;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Module;
import io.ember.spark.data.InputSpec;
import io.ember.spark.train.DistributedTrainer;
import io.ember.spark.train.OptimizerSpec;
import io.ember.spark.train.TrainingResult;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The main job: the PROTOCOL MLP trained data-parallel on Spark (local[2] by default) with Ember's distributed
 * trainer, from a DataFrame of Fashion-MNIST ({@code features} array&lt;float&gt; of 784 pixels x/255, {@code label}
 * double). Prints every round's loss and samples/s and the test accuracy each epoch, then saves the model, reloads it
 * and checks it predicts the same. Defaults: 2 workers with 32 rows each per step (together PROTOCOL's batch of 64),
 * parameters averaged every 50 steps, Adam at 2e-3 decaying to 0 on a cosine, 3 epochs (about 0.875 on the full
 * set). Run: {@code examples/train.sh --help}.
 */
public final class SparkTrainExample {
    private SparkTrainExample() {
    }

    public static void main(String[] argv) throws Exception {
        run(argv);
    }

    /** Runs the job and returns the final test accuracy. */
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
                .option("data", null, "directory of the IDX .gz files (default: FMNIST_DIR, Debian's"
                        + " dataset-fashion-mnist, else the shipped sample)")
                .option("checkpoint", null, "checkpoint directory (any Hadoop FileSystem URI); resumes from it")
                .option("save", "target/fashion-mnist-spark-mlp", "directory to save the model to")
                .option("parquet", "target/fashion-mnist-parquet", "where the data is written as Parquet (once)")
                .parse();
        FashionMnist data = FashionMnist.load(a.get("data") != null ? a.get("data") : System.getenv("FMNIST_DIR"));
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
            // The data as Spark data lives: Parquet files (written once from the IDX files), read as DataFrames.
            Path parquet = Path.of(a.get("parquet")).resolve(data.dir.toAbsolutePath().normalize().toString()
                    .replaceAll("[^A-Za-z0-9]+", "_"));
            Dataset<Row> train = parquet(spark, data.trainImages, data.trainLabels, workers, parquet.resolve("train"));
            Dataset<Row> test = parquet(spark, data.testImages, data.testLabels, workers, parquet.resolve("test"));
            System.out.printf("Fashion-MNIST from %s: %,d training, %,d test rows; Spark %s, %s, %d workers%n",
                    data.dir, data.trainImages.size(0), data.testImages.size(0), spark.version(),
                    spark.sparkContext().master(), workers);
            Generator.manualSeed(a.getInt("seed"));
            Module model = Models.mlp();
            int batch = a.getInt("batch");
            int k = a.getInt("steps-per-round");
            long stepsPerEpoch = (data.trainImages.size(0) + (long) workers * batch - 1) / ((long) workers * batch);
            DistributedTrainer.Builder tb = DistributedTrainer.builder().model(model).loss(new CrossEntropyLoss())
                    .optimizer(OptimizerSpec.adam(a.getDouble("lr"))).lrSchedule(a.get("schedule")).numWorkers(workers).batchSize(batch)
                    .stepsPerRound(k).epochs(a.getInt("epochs")).seed(a.getInt("seed"))
                    .validation(test).validateEvery((int) Math.max(1, stepsPerEpoch / k));
            // the trainer logs every round's summary (io.ember at INFO, see examples/conf/log4j2.properties); a listener could
            // also take RoundStats: .listener(s -> ...)
            if (a.get("checkpoint") != null) {
                tb.checkpoint(a.get("checkpoint"), 5);
            }
            long t0 = System.nanoTime();
            TrainingResult result = tb.build().fit(train, InputSpec.features("features", 784).label("label"));
            double secs = (System.nanoTime() - t0) / 1e9;
            double acc = Classifier.accuracy(result.model(), data.testImages, data.testLabels);
            System.out.printf("trained %d rounds in %.1f s; final test accuracy %.4f%n", result.history().size(),
                    secs, acc);
            Path save = Path.of(a.get("save"));
            ModelIO.save(result.model(), save);
            Module reloaded = ModelIO.load(save);
            if (!Classifier.predict(reloaded, data.testImages).equals(Classifier.predict(result.model(),
                    data.testImages))) {
                throw new IllegalStateException("the reloaded model from " + save + " predicts differently");
            }
            System.out.printf("saved to %s; reloaded model predicts the same %,d test labels%n", save,
                    data.testImages.size(0));
            return acc;
        } finally {
            spark.stop();
        }
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
