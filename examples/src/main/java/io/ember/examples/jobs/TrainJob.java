package io.ember.examples.jobs;

import io.ember.ml.EmberClassifier;
import io.ember.ml.EmberEstimator;
import io.ember.ml.EmberModel;
import io.ember.ml.EmberRegressor;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A spark-submit job that trains an {@link EmberClassifier} or {@link EmberRegressor} on Parquet, CSV or LibSVM data
 * from any Hadoop path, saves the model with Spark ML persistence, and prints its metrics on the test data
 * (a separate path, or a seeded random split): accuracy and weighted F1, or RMSE and R². Every estimator param is an
 * option ({@code --learning-rate}, {@code --architecture}, ...; {@code --help} lists them with their defaults).
 *
 * <pre>
 * spark-submit --class io.ember.examples.jobs.TrainJob examples/target/ember-jobs.jar \
 *     --train hdfs:///data/fmnist/train --test hdfs:///data/fmnist/test --model hdfs:///models/fmnist \
 *     --architecture mlp:256,128 --batch-size 32 --max-epochs 3 --learning-rate 2e-3 --lr-schedule cosine
 * </pre>
 *
 * Without spark-submit ({@code examples/train-job.sh}) it runs on an embedded local Spark. Besides the human
 * lines, stdout gets {@code name=value} lines ({@code train_rows}, {@code test_rows}, {@code fit_seconds},
 * {@code test_accuracy}, {@code test_weighted_f1}, {@code test_rmse}, {@code test_r2}); no other stdout line holds
 * '='. Exit status: 0 done, 1 failed, 2 bad command line.
 */
public final class TrainJob {
    private static final String JOB = "train-job";

    private TrainJob() {
    }

    public static void main(String[] argv) {
        Job.exit(run(argv, System.out, System.err));
    }

    /** Runs the job; returns its exit status. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        Map<String, Params> stages = new LinkedHashMap<>();
        stages.put("classification", new EmberClassifier());
        stages.put("regression", new EmberRegressor());
        StageOptions params = new StageOptions(stages, Set.of());
        Cli cli = new Cli("Trains an Ember model on Spark and saves it (Spark ML persistence).\n"
                + "Usage: spark-submit --class " + TrainJob.class.getName() + " ember-jobs.jar --train PATH --model"
                + " PATH [options]\n   or: examples/train-job.sh --train PATH --model PATH [options]");
        cli.section("Data and model");
        cli.required("train", "PATH", "training data: a Hadoop path (file:, hdfs:, s3a:, ...; a file or a folder)");
        cli.option("test", "PATH", null, "test data (same format); default: a random split of --train");
        cli.option("test-fraction", "F", "0.2", "without --test: the fraction of --train held out for testing, split"
                + " with --seed; 0: no test metrics");
        cli.option("task", "TASK", "classification", "classification (labels are class indices 0..k-1) or regression");
        cli.required("model", "PATH", "where to save the fitted EmberModel (a Hadoop path)");
        cli.flag("overwrite", "replace an existing model at --model");
        Inputs.declare(cli);
        JobSession.declare(cli);
        cli.section("Estimator (EmberClassifier / EmberRegressor params)");
        params.declare(cli);
        return Job.run(JOB, cli, argv, out, err, opts -> train(cli, params, opts, out));
    }

    private static void train(Cli cli, StageOptions params, Map<String, String> opts, PrintStream out)
            throws Exception {
        String task = cli.get(opts, "task").toLowerCase(Locale.ROOT);
        if (!task.equals("classification") && !task.equals("regression")) {
            throw new Cli.UsageException("option --task: expected classification or regression, got '"
                    + opts.get("task") + "'");
        }
        boolean classification = task.equals("classification");
        EmberEstimator<?> fresh = classification ? new EmberClassifier() : new EmberRegressor();
        for (String p : new String[] {"probabilityCol", "rawPredictionCol"}) {
            if (!fresh.hasParam(p) && params.given(opts, p)) {
                throw new Cli.UsageException("option --" + Cli.camelToKebab(p) + " is for classification only");
            }
        }
        EmberEstimator<?> est = (EmberEstimator<?>) fresh.copy(params.paramMap(fresh, opts));
        String trainPath = opts.get("train");
        String testPath = opts.get("test");
        Inputs.Format format = Inputs.format(cli.get(opts, "format"), trainPath);
        Inputs.Format testFormat = testPath == null ? format : Inputs.format(cli.get(opts, "format"), testPath);
        double testFraction = fraction(cli.get(opts, "test-fraction"));
        Integer numFeatures = Inputs.positive("num-features", opts.get("num-features"));
        String modelPath = opts.get("model");
        boolean overwrite = opts.containsKey("overwrite");

        SparkSession spark = JobSession.start(JOB, opts, cli, out);
        try {
            if (!overwrite && JobSession.exists(spark, modelPath)) {
                throw new Cli.UsageException("--model " + modelPath + " exists; give --overwrite to replace it");
            }
            String sep = cli.get(opts, "csv-sep");
            Dataset<Row> train = Inputs.read(spark, format, trainPath, sep, numFeatures);
            if (format == Inputs.Format.LIBSVM && numFeatures == null) {
                numFeatures = Inputs.libsvmWidth(train);
            }
            if (format == Inputs.Format.CSV && !params.given(opts, "featuresCol")
                    && !params.given(opts, "featuresCols")) {
                est = (EmberEstimator<?>) est.copy(new org.apache.spark.ml.param.ParamMap()
                        .put(est.featuresCols(), Inputs.csvFeatureColumns(train, est.getLabelCol())));
            }
            Dataset<Row> test = null;
            String testWhat;
            if (testPath != null) {
                test = Inputs.read(spark, testFormat, testPath, sep, numFeatures);
                testWhat = testPath;
            } else if (testFraction > 0) {
                Dataset<Row>[] parts = train.randomSplit(new double[] {1 - testFraction, testFraction},
                        est.getSeed());
                train = parts[0];
                test = parts[1];
                testWhat = String.format(Locale.ROOT, "%.0f%% of the training data (seed %d)", 100 * testFraction,
                        est.getSeed());
            } else {
                testWhat = "none";
            }
            long trainRows = train.count();
            out.printf(Locale.ROOT, "%s: Spark %s on %s; training data %s (%s, %,d rows); test data %s%n", JOB,
                    spark.version(), spark.sparkContext().master(), trainPath, format.name().toLowerCase(Locale.ROOT),
                    trainRows, testWhat);
            long t0 = System.nanoTime();
            EmberModel model = est.fit(train);
            double fitSeconds = (System.nanoTime() - t0) / 1e9;
            out.printf(Locale.ROOT, "%s: %s %s%s fitted in %.1f s (%d rounds)%n", JOB,
                    est.getClass().getSimpleName(), est.getArchitecture(),
                    classification ? ", " + model.getNumClasses() + " classes" : "", fitSeconds,
                    model.history().size());
            if (overwrite) {
                model.write().overwrite().save(modelPath);
            } else {
                model.write().save(modelPath);
            }
            out.printf("%s: saved the model to %s%n", JOB, modelPath);
            out.println("train_rows=" + trainRows);
            out.printf(Locale.ROOT, "fit_seconds=%.3f%n", fitSeconds);
            if (test != null) {
                evaluate(model, test, est.getLabelCol(), classification, out);
            }
        } finally {
            spark.stop();
        }
    }

    private static void evaluate(EmberModel model, Dataset<Row> test, String label, boolean classification,
            PrintStream out) {
        Dataset<Row> scored = model.transform(test).select(label, model.getPredictionCol()).cache();
        try {
            long rows = scored.count();
            out.println("test_rows=" + rows);
            if (rows == 0) {
                out.printf("%s: the test data is empty; no metrics%n", JOB);
                return;
            }
            if (classification) {
                MulticlassClassificationEvaluator ev = new MulticlassClassificationEvaluator().setLabelCol(label)
                        .setPredictionCol(model.getPredictionCol());
                double acc = ev.setMetricName("accuracy").evaluate(scored);
                double f1 = ev.setMetricName("f1").evaluate(scored);
                out.printf(Locale.ROOT, "%s: test accuracy %.4f, weighted F1 %.4f (%,d rows)%n", JOB, acc, f1, rows);
                out.printf(Locale.ROOT, "test_accuracy=%.6f%ntest_weighted_f1=%.6f%n", acc, f1);
            } else {
                RegressionEvaluator ev = new RegressionEvaluator().setLabelCol(label)
                        .setPredictionCol(model.getPredictionCol());
                double rmse = ev.setMetricName("rmse").evaluate(scored);
                double r2 = ev.setMetricName("r2").evaluate(scored);
                out.printf(Locale.ROOT, "%s: test RMSE %.6g, R² %.4f (%,d rows)%n", JOB, rmse, r2, rows);
                out.printf(Locale.ROOT, "test_rmse=%.6g%ntest_r2=%.6f%n", rmse, r2);
            }
        } finally {
            scored.unpersist();
        }
    }

    private static double fraction(String v) {
        try {
            double f = Double.parseDouble(v);
            if (f >= 0 && f < 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new Cli.UsageException("option --test-fraction: expected a number in [0, 1), got '" + v + "'");
    }
}
