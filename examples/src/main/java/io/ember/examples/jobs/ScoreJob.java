package io.ember.examples.jobs;

import io.ember.ml.EmberModel;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A spark-submit job that loads an {@link EmberModel} saved by {@link TrainJob} (or by {@code model.write().save}),
 * scores a dataset (Parquet, CSV or LibSVM, any Hadoop path) and writes the result as Parquet: the input columns
 * chosen with {@code --keep-cols} (default all) and the model's output columns ({@code prediction}; for a
 * classifier also {@code probability} and {@code rawPrediction}, ML Vectors, which {@code --vectors} keeps, drops or
 * turns into arrays).
 *
 * <pre>
 * spark-submit --class io.ember.examples.jobs.ScoreJob examples/target/ember-jobs.jar \
 *     --model hdfs:///models/fmnist --input hdfs:///data/fmnist/test --output hdfs:///scores/fmnist --keep-cols label
 * </pre>
 *
 * Prints the rows scored and rows/s, also as {@code rows_scored=}, {@code score_seconds=} and
 * {@code rows_per_second=} lines. Exit status: 0 done, 1 failed, 2 bad command line.
 */
public final class ScoreJob {
    private static final String JOB = "score-job";
    /** The EmberModel params scoring may change (the others are fixed by training). */
    private static final List<String> MODEL_PARAMS = List.of("featuresCol", "featuresCols", "predictionCol",
            "probabilityCol", "rawPredictionCol", "scoringBatchRows", "handleInvalid");

    private ScoreJob() {
    }

    public static void main(String[] argv) {
        Job.exit(run(argv, System.out, System.err));
    }

    /** Runs the job; returns its exit status. */
    public static int run(String[] argv, PrintStream out, PrintStream err) {
        StageOptions params = new StageOptions(MODEL_PARAMS);
        Cli cli = new Cli("Scores data with a saved Ember model and writes the result as Parquet.\n"
                + "Usage: spark-submit --class " + ScoreJob.class.getName() + " ember-jobs.jar --model PATH --input"
                + " PATH --output PATH [options]\n   or: examples/score-job.sh --model PATH --input PATH --output PATH"
                + " [options]");
        cli.section("Data and model");
        cli.required("model", "PATH", "the saved EmberModel (a Hadoop path: file:, hdfs:, s3a:, ...)");
        cli.required("input", "PATH", "the data to score (a Hadoop path; a file or a folder)");
        cli.required("output", "PATH", "where to write the scored rows as Parquet (a Hadoop path)");
        cli.option("keep-cols", "COLS", "all", "input columns to keep beside the predictions: all, none, or names"
                + " separated by commas");
        cli.option("vectors", "MODE", "keep", "the ML Vector output columns (probability, rawPrediction): keep, drop, or"
                + " array (as array<double>, for readers without Spark ML)");
        cli.flag("overwrite", "replace existing output at --output");
        Inputs.declare(cli);
        JobSession.declare(cli);
        cli.section("Model (EmberModel params; each defaults to the value saved with the model)");
        cli.option("features-col", "COL", null, "the features column (a name other than the training data's)");
        cli.option("features-cols", "COLS", null, "several feature columns, comma-separated, in the training order");
        cli.option("prediction-col", "COL", null, "prediction column name (empty: not produced)");
        cli.option("probability-col", "COL", null, "class probabilities column name, classification (empty: not produced)");
        cli.option("raw-prediction-col", "COL", null, "logits column name, classification (empty: not produced)");
        cli.option("scoring-batch-rows", "N", null, "rows per batch when scoring");
        cli.option("handle-invalid", "MODE", null, "rows with a null, NaN or wrong-length feature: error (fail naming the"
                + " row), skip (leave them out) or keep (with null predictions)");
        MODEL_PARAMS.forEach(p -> cli.alias(p, Cli.camelToKebab(p)));
        return Job.run(JOB, cli, argv, out, err, opts -> score(cli, params, opts, out));
    }

    private static void score(Cli cli, StageOptions params, Map<String, String> opts, PrintStream out)
            throws Exception {
        String modelPath = opts.get("model");
        String input = opts.get("input");
        String output = opts.get("output");
        Inputs.Format format = Inputs.format(cli.get(opts, "format"), input);
        Integer numFeatures = Inputs.positive("num-features", opts.get("num-features"));
        String vectors = cli.get(opts, "vectors").toLowerCase(Locale.ROOT);
        if (!List.of("keep", "drop", "array").contains(vectors)) {
            throw new Cli.UsageException("option --vectors: expected keep, drop or array, got '"
                    + opts.get("vectors") + "'");
        }
        String keep = cli.get(opts, "keep-cols");
        boolean overwrite = opts.containsKey("overwrite");

        SparkSession spark = JobSession.start(JOB, opts, cli, out);
        try {
            if (!overwrite && JobSession.exists(spark, output)) {
                throw new Cli.UsageException("--output " + output + " exists; give --overwrite to replace it");
            }
            EmberModel loaded = EmberModel.load(modelPath);
            EmberModel model = loaded.copy(params.paramMap(loaded, opts));
            if (format == Inputs.Format.LIBSVM && numFeatures == null) {
                numFeatures = Arrays.stream(model.getFeatureShape()).reduce(1, (a, b) -> a * b);
            }
            Dataset<Row> data = Inputs.read(spark, format, input, cli.get(opts, "csv-sep"), numFeatures);
            Dataset<Row> scored = select(model.transform(data), data.schema(), keep, vectors);
            out.printf("%s: Spark %s on %s; scoring %s (%s) with the %s model %s%n", JOB, spark.version(),
                    spark.sparkContext().master(), input, format.name().toLowerCase(Locale.ROOT), model.getTask(),
                    modelPath);
            long t0 = System.nanoTime();
            scored.write().mode(overwrite ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(output);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long rows = spark.read().parquet(output).count();
            out.printf(Locale.ROOT, "%s: scored %,d rows in %.1f s (%,.0f rows/s); wrote %s%n", JOB, rows, seconds,
                    rows / seconds, output);
            out.println("rows_scored=" + rows);
            out.printf(Locale.ROOT, "score_seconds=%.3f%nrows_per_second=%.1f%n", seconds, rows / seconds);
        } finally {
            spark.stop();
        }
    }

    /** The kept input columns, then the model's output columns, its vectors kept, dropped or made arrays. */
    static Dataset<Row> select(Dataset<Row> scored, StructType input, String keep, String vectors) {
        List<String> inputCols = Arrays.asList(input.fieldNames());
        List<String> kept = new ArrayList<>();
        if (keep.equals("all")) {
            kept.addAll(inputCols);
        } else if (!keep.equals("none")) {
            for (String c : StageOptions.list(keep)) {
                if (!inputCols.contains(c)) {
                    throw new Cli.UsageException("option --keep-cols: no input column '" + c + "'; columns: "
                            + inputCols);
                }
                kept.add(c);
            }
        }
        List<Column> cols = new ArrayList<>();
        for (String c : kept) {
            cols.add(scored.col(quote(c)));
        }
        for (StructField f : scored.schema().fields()) {
            if (inputCols.contains(f.name())) {
                continue;
            }
            Column c = scored.col(quote(f.name()));
            if (f.dataType().equals(SQLDataTypes.VectorType())) {
                if (vectors.equals("drop")) {
                    continue;
                }
                if (vectors.equals("array")) {
                    c = functions.vector_to_array(c, "float64").alias(f.name());
                }
            }
            cols.add(c);
        }
        return scored.select(cols.toArray(new Column[0]));
    }

    private static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
