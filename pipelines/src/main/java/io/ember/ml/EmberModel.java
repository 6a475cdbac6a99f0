package io.ember.ml;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.io.ModelIO;
import io.ember.nn.Module;
import io.ember.spark.data.InputSpec;
import io.ember.spark.data.OutputColumn;
import io.ember.spark.data.SparkTensors;
import io.ember.spark.train.RoundStats;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * A trained Ember network as a Spark ML Transformer, made by {@link EmberClassifier} or {@link EmberRegressor} (or
 * {@link #load}). {@code transform} scores each partition in batches through the Arrow path
 * ({@link SparkTensors#score}); the network travels to each executor once, as a broadcast of its model files, and
 * each executor builds it once per concurrently running task. A classifier's model adds {@code rawPrediction}
 * (logits) and {@code probability} (softmax) as ML Vectors and {@code prediction} (the class, double); a regressor's
 * adds {@code prediction}. An output column whose name is set to "" is not produced.
 *
 * <p>Saved with {@code write().save(path)} ({@code .overwrite()} to replace) through the Hadoop FileSystem API; see
 * {@link #load}.
 */
public final class EmberModel extends Model<EmberModel> implements MLWritable {
    private final String uid;
    private final Param<String> featuresCol;
    private final StringArrayParam featuresCols;
    private final IntArrayParam featureShape;
    private final IntArrayParam featureWidths;
    private final Param<String> predictionCol;
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;
    private final Param<String> task;
    private final IntParam numClasses;
    private final IntParam scoringBatchRows;
    private final Param<String> handleInvalid;

    private transient Module module;
    private transient List<RoundStats> history = List.of();
    private transient Broadcast<ModelFile> broadcast;
    private transient SparkContext broadcastContext;

    /** For ML persistence: a model with its params only; {@link #load} sets the network. */
    EmberModel(String uid) {
        this.uid = uid;
        String s = "EmberModel";
        featuresCol = StageParams.column(this, "featuresCol", "features column name (used when featuresCols is not set)");
        featuresCols = StageParams.columns(this, "featuresCols", "several feature columns, combined in order");
        featureShape = StageParams.shape(this);
        featureWidths = new IntArrayParam(this, "featureWidths", "values per feature column when several columns"
                + " are not scalars", new Check<int[]>(s, "featureWidths", "widths >= 1",
                v -> java.util.Arrays.stream(v).allMatch(d -> d >= 1)));
        predictionCol = StageParams.outputColumn(this, "predictionCol", "prediction column name");
        probabilityCol = StageParams.outputColumn(this, "probabilityCol", "class probabilities column name"
                + " (classification)");
        rawPredictionCol = StageParams.outputColumn(this, "rawPredictionCol", "raw prediction (logits) column name"
                + " (classification)");
        task = StageParams.oneOf(this, "task", "what the network predicts", "classification", "regression");
        numClasses = StageParams.positive(this, "numClasses", "number of classes (classification) or outputs");
        scoringBatchRows = StageParams.positive(this, "scoringBatchRows", "rows per batch when scoring");
        handleInvalid = StageParams.oneOf(this, "handleInvalid", "rows with a null, NaN or wrong-length feature:"
                + " error (fail naming the row), skip (leave them out) or keep (keep them with null predictions)",
                "error", "skip", "keep");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
        setDefault(scoringBatchRows, InputSpec.DEFAULT_BATCH_ROWS);
        setDefault(handleInvalid, "error");
    }

    EmberModel(String uid, String task, int outputs, Module module, List<RoundStats> history) {
        this(uid);
        set(this.task, task);
        set(this.numClasses, outputs);
        this.module = module;
        this.history = history == null ? List.of() : List.copyOf(history);
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> featuresCol() { return featuresCol; }
    public String getFeaturesCol() { return $(featuresCol); }
    public EmberModel setFeaturesCol(String value) { set(featuresCol, value); return this; }

    public StringArrayParam featuresCols() { return featuresCols; }
    public String[] getFeaturesCols() { return isDefined(featuresCols) ? $(featuresCols) : null; }
    public EmberModel setFeaturesCols(String[] value) { set(featuresCols, value); return this; }

    /** The shape of one example, fixed when the model was trained. */
    public IntArrayParam featureShape() { return featureShape; }
    public int[] getFeatureShape() { return $(featureShape); }

    public IntArrayParam featureWidths() { return featureWidths; }
    public int[] getFeatureWidths() { return isDefined(featureWidths) ? $(featureWidths) : null; }

    public Param<String> predictionCol() { return predictionCol; }
    public String getPredictionCol() { return $(predictionCol); }
    public EmberModel setPredictionCol(String value) { set(predictionCol, value); return this; }

    public Param<String> probabilityCol() { return probabilityCol; }
    public String getProbabilityCol() { return $(probabilityCol); }
    public EmberModel setProbabilityCol(String value) { set(probabilityCol, value); return this; }

    public Param<String> rawPredictionCol() { return rawPredictionCol; }
    public String getRawPredictionCol() { return $(rawPredictionCol); }
    public EmberModel setRawPredictionCol(String value) { set(rawPredictionCol, value); return this; }

    /** "classification" or "regression". */
    public Param<String> task() { return task; }
    public String getTask() { return $(task); }

    public IntParam numClasses() { return numClasses; }
    /** The number of classes (classification), or 1 (regression). */
    public int getNumClasses() { return (Integer) $(numClasses); }

    public IntParam scoringBatchRows() { return scoringBatchRows; }
    public int getScoringBatchRows() { return (Integer) $(scoringBatchRows); }
    public EmberModel setScoringBatchRows(int value) { set(scoringBatchRows, value); return this; }

    public Param<String> handleInvalid() { return handleInvalid; }
    public String getHandleInvalid() { return $(handleInvalid); }
    public EmberModel setHandleInvalid(String value) { set(handleInvalid, value); return this; }

    boolean classification() {
        return "classification".equals(getTask());
    }

    /** The trained network (in eval mode when scoring; it is shared, not copied). */
    public Module module() {
        if (module == null) {
            throw new IllegalStateException("EmberModel " + uid + " has no network");
        }
        return module;
    }

    void setModule(Module m) {
        this.module = m;
        this.broadcast = null;
    }

    /** The training rounds of the fit that made this model (empty for a loaded model). */
    public List<RoundStats> history() {
        return history;
    }

    List<String> featureColumns() {
        return Features.columns(getFeaturesCol(), getFeaturesCols());
    }

    InputSpec inputSpec() {
        return Features.spec(featureColumns(), getFeatureShape(), getFeatureWidths(), getHandleInvalid())
                .batchRows(getScoringBatchRows());
    }

    @Override
    public StructType transformSchema(StructType schema) {
        if (!isDefined(task) || !isDefined(featureShape)) {
            throw new IllegalStateException("EmberModel " + uid + ": task and featureShape are not set; make models"
                    + " with EmberClassifier/EmberRegressor.fit or EmberModel.load");
        }
        Features.check("EmberModel", schema, featureColumns(), getFeatureShape());
        return classification()
                ? Outputs.classification("EmberModel", schema, getRawPredictionCol(), getProbabilityCol(),
                        getPredictionCol())
                : Outputs.regression("EmberModel", schema, getPredictionCol());
    }

    /** The outputs this model's settings produce, in schema order. */
    List<OutputColumn> outputs() {
        List<OutputColumn> out = new ArrayList<>();
        if (classification()) {
            if (!getRawPredictionCol().isEmpty()) {
                out.add(OutputColumn.vector(getRawPredictionCol(), getNumClasses()));
            }
            if (!getProbabilityCol().isEmpty()) {
                out.add(OutputColumn.vector(getProbabilityCol(), getNumClasses()));
            }
        }
        if (!getPredictionCol().isEmpty()) {
            out.add(OutputColumn.scalar(getPredictionCol()));
        }
        return out;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        Dataset<Row> df = dataset.toDF();
        List<OutputColumn> outs = outputs();
        if (outs.isEmpty()) {
            return df;
        }
        ModelScorer scorer = new ModelScorer(broadcast(df.sparkSession().sparkContext()), classification(),
                !getRawPredictionCol().isEmpty() && classification(),
                !getProbabilityCol().isEmpty() && classification(), !getPredictionCol().isEmpty());
        Dataset<Row> scored = SparkTensors.score(df, inputSpec(), outs, scorer);
        if ("skip".equals(getHandleInvalid())) {
            String first = outs.get(0).name();
            scored = scored.filter(functions.col("`" + first.replace("`", "``") + "`").isNotNull());
        }
        return scored;
    }

    /** The model files, broadcast once per SparkContext and reused by every transform. */
    synchronized Broadcast<ModelFile> broadcast(SparkContext sc) {
        if (broadcast == null || broadcastContext != sc || sc.isStopped()) {
            broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(ModelFile.of(module()));
            broadcastContext = sc;
        }
        return broadcast;
    }

    /**
     * Scores examples on the driver, without Spark: {@code features} FLOAT32 {@code [n, ...featureShape]}; returns
     * the network's output {@code [n, numClasses]} (logits) or {@code [n, 1]}.
     */
    public NDArray predictRaw(NDArray features) {
        Module m = module();
        synchronized (m) {
            m.eval();
            try (Autograd.Scope s = Autograd.noGrad()) {
                return m.forward(Tensor.of(features)).data();
            }
        }
    }

    @Override
    public EmberModel copy(ParamMap extra) {
        EmberModel m = new EmberModel(uid, getTask(), getNumClasses(), module, history);
        copyValues(m, extra);
        m.broadcast = broadcast;
        m.broadcastContext = broadcastContext;
        return m.setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new StagePersistence.ModelWriter(this);
    }

    /** Reads a model saved with {@code write().save(path)}, on this or another application. */
    public static MLReader<EmberModel> read() {
        return new StagePersistence.ModelReader();
    }

    public static EmberModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "EmberModel: uid=" + uid + ", task=" + (isDefined(task) ? getTask() : "?") + ", outputs="
                + (isDefined(numClasses) ? getNumClasses() : "?");
    }

    /** A network's model files (architecture JSON and safetensors weights), the form that travels to executors. */
    record ModelFile(byte[] json, byte[] weights) implements java.io.Serializable {
        static ModelFile of(Module m) {
            byte[][] files = ModelIO.toBytes(m);
            return new ModelFile(files[0], files[1]);
        }

        Module build() {
            Module m = ModelIO.fromBytes(json, weights);
            m.eval();
            return m;
        }
    }
}
