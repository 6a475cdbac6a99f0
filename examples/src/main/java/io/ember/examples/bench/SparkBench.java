package io.ember.examples.bench;

import io.ember.examples.Classifier;
import io.ember.examples.FashionMnist;
import io.ember.examples.Models;
import io.ember.ml.EmberClassifier;
import io.ember.ml.EmberModel;
import io.ember.nn.CrossEntropyLoss;
import io.ember.spark.data.InputSpec;
import io.ember.spark.data.SparkTensors;
import io.ember.spark.train.DistributedTrainer;
import io.ember.spark.train.OptimizerSpec;
import io.ember.spark.train.RoundStats;
import io.ember.spark.train.TrainingResult;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The spark workload of ../shared/PROTOCOL.md: ingestion of a cached DataFrame into tensor batches against the
 * floor of merely reading it, the distributed trainer (local[THREADS], and local[1] against local[2]), and Spark
 * MLlib's MultilayerPerceptronClassifier on the same data as the reference for time to accuracy. Spark is configured
 * as a user would: local[THREADS], no UI, shuffle partitions = THREADS, the driver's memory is this JVM's heap,
 * {@code spark.task.maxDirectResultSize} 64m as the README advises for the trainer.
 */
final class SparkBench {
    /** K, local steps per worker between averagings (the trainer's default). */
    static final int STEPS_PER_ROUND = 50;
    /**
     * Rounds of the scaling runs (a round is ~0.1 s here, so many): two epochs of 60k rows at a total batch of 128
     * are 18 full rounds of 50 steps and a partial one.
     */
    static final int SCALING_EPOCHS = 2;
    static final int WARM_ROUNDS = 3;
    static final int TIMED_ROUNDS = 15;

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
        return SparkSession.builder()
                .master("local[" + cores + "]")
                .appName("ember-bench")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", String.valueOf(cores))
                .config("spark.log.level", "WARN")
                // as the README advises and the Spark training example does: a round's task results (parameters and
                // Adam's moments, 2.8 MB) come back with the task status, not through the block manager
                .config("spark.task.maxDirectResultSize", "64m")
                .getOrCreate();
    }

    private void run() throws Exception {
        int threadsBefore = Threads.get();
        SparkSession spark = session(threads);
        try {
            SparkFrames train = new SparkFrames(spark, trainX, trainY);
            Dataset<Row> arrays = train.arrays();
            Dataset<Row> vectors = train.vectors();
            ingest("", arrays);
            ingest("_vector", vectors);
            Dataset<Row> testVectors = new SparkFrames(spark, testX, testY).vectors();
            long t0 = System.nanoTime();
            MultilayerPerceptronClassificationModel mllibModel = mllib(vectors);
            double mllibFit = (System.nanoTime() - t0) / 1e9;
            double mllibAcc = accuracy(mllibModel.transform(testVectors));
            System.err.printf("bench: MLlib fit %.1f s, test accuracy %.4f%n", mllibFit, mllibAcc);
            vectors.unpersist(true);
            testVectors.unpersist(true);
            Bench.print("mllib_fit_s", mllibFit);
            Bench.print("mllib_acc", mllibAcc);
            Dataset<Row> testArrays = new SparkFrames(spark, testX, testY).arrays();
            train(arrays, testArrays, mllibFit, mllibAcc);
            EmberModel model = estimator(arrays, testArrays);
            arrays.unpersist(true);
            testArrays.unpersist(true);
            score(spark, model, mllibModel);
        } finally {
            spark.stop();
            // in local mode the trainer's tasks set the JVM's thread count to their slot's cores
            Threads.set(threadsBefore);
        }
        Bench.print("spark_train_sps_w1", scaling(1));
        Threads.set(threadsBefore);
        Bench.print("spark_train_sps_w2", scaling(2));
        Threads.set(threadsBefore);
    }

    /**
     * {@code ingest<suffix>_rps}, rows/s turning the cached frame into one tensor batch per partition, and
     * {@code ingest<suffix>_floor_rps}, rows/s merely reading every value of its internal rows. Each job takes about
     * 0.1 s on 60k rows, so: 3 warm-up repetitions of each (the JIT), then the BEST of 10 (quick: 1 and 1), the two
     * interleaved so that both see the same machine.
     */
    private void ingest(String suffix, Dataset<Row> df) {
        long rows = df.count();
        LongSupplier tensors = () -> SparkTensors.partitions(df, spec())
                .map(b -> (long) b.size()).reduce(Long::sum);
        LongSupplier floor = () -> SparkTensors.readFloor(df, spec());
        for (int i = 0; i < (quick ? 1 : 3); i++) {
            check("ingest" + suffix, rows, tensors.getAsLong());
            check("ingest" + suffix + " floor", rows, floor.getAsLong());
        }
        double best = Double.MAX_VALUE;
        double bestFloor = Double.MAX_VALUE;
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < (quick ? 1 : 10); i++) {
            double t = seconds(tensors);
            double tf = seconds(floor);
            best = Math.min(best, t);
            bestFloor = Math.min(bestFloor, tf);
            log.append(String.format(java.util.Locale.ROOT, " %.3f/%.3f", t, tf));
        }
        System.err.println("bench: ingest" + suffix + " seconds (tensors/floor):" + log);
        Bench.print("ingest" + suffix + "_rps", rows / best);
        Bench.print("ingest" + suffix + "_floor_rps", rows / bestFloor);
    }

    private static void check(String what, long expected, long got) {
        if (expected != got) {
            throw new IllegalStateException("bench spark: " + what + " saw " + got + " rows, the frame has "
                    + expected);
        }
    }

    private static double seconds(LongSupplier job) {
        long t0 = System.nanoTime();
        job.getAsLong();
        return (System.nanoTime() - t0) / 1e9;
    }

    private static InputSpec spec() {
        return InputSpec.features("features", 784).label("label");
    }

    /** The PROTOCOL mlp, seeded as the mlp workload seeds it, with the settings every fit here shares. */
    private DistributedTrainer.Builder trainer(int workers, int batch) {
        Generator.manualSeed(0);
        return DistributedTrainer.builder()
                .model(Models.mlp())
                .loss(new CrossEntropyLoss())
                .optimizer(OptimizerSpec.adam(1e-3))
                .batchSize(batch)
                .stepsPerRound(quick ? 5 : STEPS_PER_ROUND)
                .numWorkers(workers)
                .seed(42);
    }

    /**
     * Two fits of the same trainer (3 epochs, quick 1; numWorkers = THREADS, batch 64 each) on the same seeds, so
     * the same trajectory. The first, timed bare: {@code spark_train_fit_s} (wall seconds of fit, including the
     * conversion of the cached frame to tensor batches), {@code spark_train_acc} (test accuracy on the driver) and
     * {@code spark_train_sps} (samples/s over all rounds but the first, a warm-up, by the rounds' own times). The
     * second validates on the test set after every round through the trainer's validation: {@code
     * ember_time_to_mllib_acc_s} is the wall time from the start of fit to the end of the first round whose
     * validation accuracy reaches MLlib's (validation passes before it included, so it is an upper bound).
     */
    private void train(Dataset<Row> train, Dataset<Row> test, double mllibFit, double mllibAcc) {
        int epochs = quick ? 1 : 3;
        System.err.println("bench: Ember DistributedTrainer, " + threads + " workers, " + epochs + " epochs");
        long t0 = System.nanoTime();
        TrainingResult result = trainer(threads, 64).epochs(epochs)
                .listener(st -> System.err.println("bench: " + st.summary())).build().fit(train, spec());
        double fit = (System.nanoTime() - t0) / 1e9;
        double acc = Classifier.accuracy(result.model(), testX, testY);
        List<RoundStats> h = result.history();
        long samples = 0;
        double secs = 0;
        for (RoundStats st : h.subList(Math.min(1, h.size() - 1), h.size())) {
            samples += st.samples();
            secs += st.seconds();
        }
        Bench.print("spark_train_fit_s", fit);
        Bench.print("spark_train_acc", acc);
        Bench.print("spark_train_sps", samples / secs);

        System.err.printf("bench: again, validating after every round, until test accuracy %.4f (MLlib's)%n",
                mllibAcc);
        double[] reached = {-1};
        long t1 = System.nanoTime();
        trainer(threads, 64).epochs(epochs).validation(test).listener(st -> {
            System.err.println("bench: " + st.summary());
            if (reached[0] < 0 && st.validationAccuracy() >= mllibAcc) {
                reached[0] = (System.nanoTime() - t1) / 1e9;
            }
        }).build().fit(train, spec());
        Bench.print("ember_time_to_mllib_acc_s", reached[0]);
        Bench.print("ember_vs_mllib_time_ratio", reached[0] < 0 ? -1 : reached[0] / mllibFit);
    }

    /**
     * Samples/s of the trainer with {@code workers} workers on local[workers], the total batch 128 split among
     * them, the same steps per round: its own SparkSession (stopped after), its own cached frame with one
     * partition per worker, {@link #SCALING_EPOCHS} epochs, the first {@link #WARM_ROUNDS} rounds a warm-up, the next
     * {@link #TIMED_ROUNDS} timed by the rounds' own times (the last, partial round never counts).
     */
    private double scaling(int workers) {
        SparkSession spark = session(workers);
        try {
            Dataset<Row> df = new SparkFrames(spark, trainX, trainY).arrays();
            int warm = quick ? 1 : WARM_ROUNDS;
            int timed = quick ? 2 : TIMED_ROUNDS;
            System.err.println("bench: scaling, " + workers + " worker(s) on local[" + workers + "], batch "
                    + 128 / workers + " each");
            TrainingResult r = trainer(workers, 128 / workers).epochs(quick ? 1 : SCALING_EPOCHS)
                    .listener(st -> System.err.println("bench: " + st.summary())).build().fit(df, spec());
            List<RoundStats> h = r.history();
            if (h.size() < warm + timed + 1) {
                throw new IllegalStateException("bench spark: " + h.size() + " rounds, fewer than the "
                        + (warm + timed + 1) + " needed");
            }
            long samples = 0;
            double secs = 0;
            for (RoundStats st : h.subList(warm, warm + timed)) {
                samples += st.samples();
                secs += st.seconds();
            }
            return samples / secs;
        } finally {
            spark.stop();
        }
    }

    /** MLlib's MultilayerPerceptronClassifier (784,256,128,10; maxIter 100, quick 5), fitted on {@code train}. */
    private MultilayerPerceptronClassificationModel mllib(Dataset<Row> train) {
        MultilayerPerceptronClassifier mlp = new MultilayerPerceptronClassifier()
                .setLayers(new int[] {784, 256, 128, 10})
                .setMaxIter(quick ? 5 : 100)
                .setSeed(42L)
                .setFeaturesCol("features")
                .setLabelCol("label");
        System.err.println("bench: MLlib MultilayerPerceptronClassifier, maxIter " + mlp.getMaxIter());
        return mlp.fit(train);
    }

    private static double accuracy(Dataset<Row> scored) {
        return new MulticlassClassificationEvaluator().setLabelCol("label").setMetricName("accuracy")
                .evaluate(scored);
    }

    /**
     * The PROTOCOL's Spark ML path: {@code spark_fit_s}, wall seconds of {@code EmberClassifier.fit} (the mlp,
     * 784-256-128-10, 3 epochs, quick 1; THREADS workers x batch 64, Adam 1e-3, K=50, seed 42), and
     * {@code spark_acc}, its test accuracy through MulticlassClassificationEvaluator on {@code EmberModel.transform}.
     */
    private EmberModel estimator(Dataset<Row> train, Dataset<Row> test) {
        EmberClassifier clf = new EmberClassifier().setFeaturesCol("features").setLabelCol("label")
                .setArchitecture("mlp:256,128").setOptimizer("adam").setLearningRate(1e-3).setBatchSize(64)
                .setMaxEpochs(quick ? 1 : 3).setStepsPerRound(quick ? 5 : STEPS_PER_ROUND).setNumWorkers(threads)
                .setSeed(42);
        System.err.println("bench: EmberClassifier.fit, " + threads + " workers, " + clf.getMaxEpochs() + " epochs");
        long t0 = System.nanoTime();
        EmberModel model = clf.fit(train);
        double fit = (System.nanoTime() - t0) / 1e9;
        Bench.print("spark_fit_s", fit);
        Bench.print("spark_acc", accuracy(model.transform(test)));
        return model;
    }

    /**
     * {@code spark_score_rps}: rows/s of {@code EmberModel.transform} over the test set repeated 60 times (600k rows;
     * quick: 2 times), cached as array&lt;float&gt;, forced by {@code sum(prediction)}; {@code mllib_score_rps}: the
     * same for MLlib's MultilayerPerceptronClassificationModel on the same rows as ML Vectors (what it reads), and
     * {@code spark_score_vector_rps}: Ember on that Vector frame. One untimed run each (the JIT), then the best of 3
     * (MLlib: of 2); the frames are cached one at a time, so the cache holds in memory.
     */
    private void score(SparkSession spark, EmberModel model, MultilayerPerceptronClassificationModel mllibModel) {
        int repeat = quick ? 2 : 60;
        SparkFrames test = new SparkFrames(spark, testX, testY);
        Dataset<Row> vectors = test.repeated(true, repeat);
        long rows = vectors.count();
        Bench.print("mllib_score_rps", rows / best("mllib score", 2, () -> sumPrediction(mllibModel.transform(vectors))));
        Bench.print("spark_score_vector_rps", rows / best("ember score (vector)", 3,
                () -> sumPrediction(model.transform(vectors))));
        vectors.unpersist(true);
        Dataset<Row> arrays = test.repeated(false, repeat);
        Bench.print("spark_score_rps", rows / best("ember score", 3, () -> sumPrediction(model.transform(arrays))));
        arrays.unpersist(true);
    }

    private static double sumPrediction(Dataset<Row> scored) {
        return scored.agg(org.apache.spark.sql.functions.sum("prediction")).first().getDouble(0);
    }

    /** Seconds of the best of {@code runs} timed runs of {@code job}, after one untimed run. */
    private static double best(String what, int runs, java.util.function.DoubleSupplier job) {
        double sum = job.getAsDouble();
        double best = Double.MAX_VALUE;
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            double again = job.getAsDouble();
            double t = (System.nanoTime() - t0) / 1e9;
            if (again != sum) {
                throw new IllegalStateException("bench spark: " + what + " gave sum(prediction) " + again
                        + ", earlier " + sum);
            }
            best = Math.min(best, t);
            log.append(String.format(java.util.Locale.ROOT, " %.2f", t));
        }
        System.err.println("bench: " + what + " seconds:" + log + " (sum of predictions " + sum + ")");
        return best;
    }
}
