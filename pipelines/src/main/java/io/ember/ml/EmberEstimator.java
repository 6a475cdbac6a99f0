package io.ember.ml;

import io.ember.nn.Module;
import io.ember.spark.data.InputSpec;
import io.ember.spark.train.DistributedTrainer;
import io.ember.spark.train.OptimizerSpec;
import io.ember.spark.train.TrainingResult;
import io.ember.tensor.Generator;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What {@link EmberClassifier} and {@link EmberRegressor} share: the params (in Spark ML's Java idiom: a public
 * accessor per Param, a getter and a fluent setter) and {@code fit}, which trains with the
 * {@link DistributedTrainer} and returns an {@link EmberModel}.
 *
 * @param <S> the concrete estimator, so that setters chain
 */
public abstract class EmberEstimator<S extends EmberEstimator<S>> extends Estimator<EmberModel> implements MLWritable {
    private final String uid;
    private final Param<String> featuresCol;
    private final StringArrayParam featuresCols;
    private final IntArrayParam featureShape;
    private final Param<String> labelCol;
    private final Param<String> predictionCol;
    private final Param<String> architecture;
    private final Param<String> architectureConfig;
    private final Param<String> loss;
    private final Param<String> optimizer;
    private final DoubleParam learningRate;
    private final DoubleParam weightDecay;
    private final Param<String> lrSchedule;
    private final IntParam batchSize;
    private final IntParam maxEpochs;
    private final IntParam stepsPerRound;
    private final IntParam numWorkers;
    private final LongParam seed;
    private final Param<String> device;
    private final Param<String> checkpointDir;
    private final IntParam checkpointInterval;
    private final DoubleParam validationFraction;
    private final Param<String> handleInvalid;

    EmberEstimator(String uid) {
        this.uid = uid;
        String s = getClass().getSimpleName();
        featuresCol = StageParams.column(this, "featuresCol", "features column name (used when featuresCols is not set)");
        featuresCols = StageParams.columns(this, "featuresCols", "several feature columns, combined in order");
        featureShape = StageParams.shape(this);
        labelCol = StageParams.column(this, "labelCol", "label column name");
        predictionCol = StageParams.column(this, "predictionCol", "prediction column name");
        architecture = new Param<>(this, "architecture", "model architecture: 'linear', 'mlp:H1,H2,...[;dropout=P]',"
                + " 'cnn', or a ModuleRegistry type name", new Check<String>(s, "architecture",
                "'linear', 'mlp:H1,H2,...', 'cnn' or a registered module type name",
                v -> Architectures.syntaxProblem(v) == null));
        architectureConfig = new Param<>(this, "architectureConfig", "JSON object passed to a registered module type's"
                + " factory (with inputShape and outputs added)", new Check<String>(s, "architectureConfig",
                "a JSON object", v -> io.ember.io.Json.parseObject(v) != null));
        List<String> lossNames = losses();
        loss = new Param<>(this, "loss", "loss function: " + String.join(", ", lossNames),
                new Check<String>(s, "loss", "one of " + lossNames, lossNames::contains));
        optimizer = StageParams.oneOf(this, "optimizer", "optimizer", "adam", "adamw", "sgd", "rmsprop", "adagrad");
        learningRate = new DoubleParam(this, "learningRate", "learning rate (> 0)",
                new Check<Object>(s, "learningRate", "> 0 and finite", v -> ((Double) v) > 0 && !((Double) v).isInfinite()));
        weightDecay = new DoubleParam(this, "weightDecay", "weight decay (>= 0)",
                new Check<Object>(s, "weightDecay", ">= 0 and finite", v -> ((Double) v) >= 0 && !((Double) v).isInfinite()));
        lrSchedule = StageParams.oneOf(this, "lrSchedule", "learning-rate schedule over the whole fit",
                "constant", "cosine");
        batchSize = StageParams.positive(this, "batchSize", "rows per step on each worker (> 0)");
        maxEpochs = StageParams.positive(this, "maxEpochs", "passes over the training data (> 0)");
        stepsPerRound = StageParams.positive(this, "stepsPerRound", "local steps between parameter averagings (> 0)");
        numWorkers = new IntParam(this, "numWorkers", "data-parallel workers (Spark tasks); 0 means the"
                + " SparkContext's default parallelism", new Check<Object>(s, "numWorkers", ">= 0", v -> ((Integer) v) >= 0));
        seed = new LongParam(this, "seed", "random seed (initialisation, shuffles, dropout, validation split)");
        device = StageParams.oneOf(this, "device", "where tasks train: auto (a Spark-assigned GPU when Ember's CUDA"
                + " backend is present, else CPU), cpu or cuda", "auto", "cpu", "cuda");
        checkpointDir = new Param<>(this, "checkpointDir", "Hadoop path for training checkpoints; a new fit resumes"
                + " from the newest complete one", new Check<String>(s, "checkpointDir", "a non-empty path",
                v -> !v.isBlank()));
        checkpointInterval = new IntParam(this, "checkpointInterval", "checkpoint every N rounds (>= 1), or -1 for"
                + " none; used with checkpointDir", new Check<Object>(s, "checkpointInterval", ">= 1 or -1",
                v -> ((Integer) v) >= 1 || ((Integer) v) == -1));
        validationFraction = new DoubleParam(this, "validationFraction", "fraction of the rows held out for"
                + " validation after every round, in [0, 1)", new Check<Object>(s, "validationFraction", "in [0, 1)",
                v -> ((Double) v) >= 0 && ((Double) v) < 1));
        handleInvalid = StageParams.oneOf(this, "handleInvalid", "rows with a null, NaN or wrong-length feature or"
                + " label: error (fail naming the row) or skip (drop them)", "error", "skip");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(architecture, "mlp:128");
        setDefault(architectureConfig, "{}");
        setDefault(loss, losses().get(0));
        setDefault(optimizer, "adam");
        setDefault(learningRate, 1e-3);
        setDefault(weightDecay, 0.0);
        setDefault(lrSchedule, "constant");
        setDefault(batchSize, 64);
        setDefault(maxEpochs, 10);
        setDefault(stepsPerRound, 50);
        setDefault(numWorkers, 0);
        setDefault(seed, (long) getClass().getName().hashCode());
        setDefault(device, "auto");
        setDefault(checkpointInterval, 10);
        setDefault(validationFraction, 0.0);
        setDefault(handleInvalid, "error");
    }

    /** The losses this task accepts; the first is the default. */
    abstract List<String> losses();

    /** True for classification. */
    abstract boolean classification();

    /** Output columns of the model for this estimator's settings (name -> type) appended to a schema. */
    abstract StructType outputSchema(StructType schema);

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    @Override
    public String uid() {
        return uid;
    }

    // ---- params: accessor, getter, setter ----

    public Param<String> featuresCol() { return featuresCol; }
    public String getFeaturesCol() { return $(featuresCol); }
    public S setFeaturesCol(String value) { set(featuresCol, value); return self(); }

    public StringArrayParam featuresCols() { return featuresCols; }
    public String[] getFeaturesCols() { return isDefined(featuresCols) ? $(featuresCols) : null; }
    public S setFeaturesCols(String[] value) { set(featuresCols, value); return self(); }

    public IntArrayParam featureShape() { return featureShape; }
    public int[] getFeatureShape() { return isDefined(featureShape) ? $(featureShape) : null; }
    public S setFeatureShape(int[] value) { set(featureShape, value); return self(); }

    public Param<String> labelCol() { return labelCol; }
    public String getLabelCol() { return $(labelCol); }
    public S setLabelCol(String value) { set(labelCol, value); return self(); }

    public Param<String> predictionCol() { return predictionCol; }
    public String getPredictionCol() { return $(predictionCol); }
    public S setPredictionCol(String value) { set(predictionCol, value); return self(); }

    public Param<String> architecture() { return architecture; }
    public String getArchitecture() { return $(architecture); }
    public S setArchitecture(String value) { set(architecture, value); return self(); }

    public Param<String> architectureConfig() { return architectureConfig; }
    public String getArchitectureConfig() { return $(architectureConfig); }
    public S setArchitectureConfig(String value) { set(architectureConfig, value); return self(); }

    public Param<String> loss() { return loss; }
    public String getLoss() { return $(loss); }
    public S setLoss(String value) { set(loss, value); return self(); }

    public Param<String> optimizer() { return optimizer; }
    public String getOptimizer() { return $(optimizer); }
    public S setOptimizer(String value) { set(optimizer, value); return self(); }

    public DoubleParam learningRate() { return learningRate; }
    public double getLearningRate() { return (Double) $(learningRate); }
    public S setLearningRate(double value) { set(learningRate, value); return self(); }

    public DoubleParam weightDecay() { return weightDecay; }
    public double getWeightDecay() { return (Double) $(weightDecay); }
    public S setWeightDecay(double value) { set(weightDecay, value); return self(); }

    public Param<String> lrSchedule() { return lrSchedule; }
    public String getLrSchedule() { return $(lrSchedule); }
    public S setLrSchedule(String value) { set(lrSchedule, value); return self(); }

    public IntParam batchSize() { return batchSize; }
    public int getBatchSize() { return (Integer) $(batchSize); }
    public S setBatchSize(int value) { set(batchSize, value); return self(); }

    public IntParam maxEpochs() { return maxEpochs; }
    public int getMaxEpochs() { return (Integer) $(maxEpochs); }
    public S setMaxEpochs(int value) { set(maxEpochs, value); return self(); }

    public IntParam stepsPerRound() { return stepsPerRound; }
    public int getStepsPerRound() { return (Integer) $(stepsPerRound); }
    public S setStepsPerRound(int value) { set(stepsPerRound, value); return self(); }

    public IntParam numWorkers() { return numWorkers; }
    public int getNumWorkers() { return (Integer) $(numWorkers); }
    public S setNumWorkers(int value) { set(numWorkers, value); return self(); }

    public LongParam seed() { return seed; }
    public long getSeed() { return (Long) $(seed); }
    public S setSeed(long value) { set(seed, value); return self(); }

    public Param<String> device() { return device; }
    public String getDevice() { return $(device); }
    public S setDevice(String value) { set(device, value); return self(); }

    public Param<String> checkpointDir() { return checkpointDir; }
    public String getCheckpointDir() { return isDefined(checkpointDir) ? $(checkpointDir) : null; }
    /** Sets (or with null, clears) the checkpoint directory. */
    public S setCheckpointDir(String value) {
        if (value == null) {
            clear(checkpointDir);
        } else {
            set(checkpointDir, value);
        }
        return self();
    }

    public IntParam checkpointInterval() { return checkpointInterval; }
    public int getCheckpointInterval() { return (Integer) $(checkpointInterval); }
    public S setCheckpointInterval(int value) { set(checkpointInterval, value); return self(); }

    public DoubleParam validationFraction() { return validationFraction; }
    public double getValidationFraction() { return (Double) $(validationFraction); }
    public S setValidationFraction(double value) { set(validationFraction, value); return self(); }

    public Param<String> handleInvalid() { return handleInvalid; }
    public String getHandleInvalid() { return $(handleInvalid); }
    public S setHandleInvalid(String value) { set(handleInvalid, value); return self(); }

    // ---- schema and fit ----

    List<String> featureColumns() {
        String[] cols = getFeaturesCols();
        if (cols != null && isSet(featuresCol)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": set either featuresCol or"
                    + " featuresCols, not both");
        }
        return Features.columns(getFeaturesCol(), cols);
    }

    /** Checks the feature and label columns and that the output columns are free; returns the model's schema. */
    @Override
    public StructType transformSchema(StructType schema) {
        String stage = getClass().getSimpleName();
        List<String> cols = featureColumns();
        Features.check(stage, schema, cols, getFeatureShape());
        String label = getLabelCol();
        if (!Arrays.asList(schema.fieldNames()).contains(label)) {
            throw new IllegalArgumentException(stage + ": label column '" + label + "' not found; columns: "
                    + Arrays.toString(schema.fieldNames()));
        }
        StructField lf = schema.apply(label);
        if (!(lf.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException(stage + ": label column '" + label + "' has type "
                    + lf.dataType().simpleString() + "; expected a number"
                    + (classification() ? " (a class index: index strings with StringIndexer)" : ""));
        }
        if (cols.contains(label)) {
            throw new IllegalArgumentException(stage + ": label column '" + label + "' is also a feature column");
        }
        return outputSchema(schema);
    }

    @Override
    public EmberModel fit(Dataset<?> dataset) {
        String stage = getClass().getSimpleName();
        transformSchema(dataset.schema(), true);
        Dataset<Row> df = dataset.toDF();
        List<String> cols = featureColumns();
        int[] shape = getFeatureShape();
        int[] widths = null;
        if (shape == null) {
            int[][] inferred = Features.infer(stage, df, cols);
            shape = inferred[0];
            widths = inferred[1];
        }
        InputSpec spec = Features.spec(cols, shape, widths, getHandleInvalid());
        spec = classification() ? spec.label(getLabelCol()) : spec.regressionLabel(getLabelCol());
        int[] exampleShape = io.ember.spark.data.SparkTensors.resolve(df, spec).exampleShape();
        int outputs = classification() ? Labels.numClasses(stage, df, getLabelCol()) : 1;
        Module model;
        try (Generator.Scope g = Generator.useOnThisThread(new Generator(getSeed()))) {
            model = Architectures.build(stage, getArchitecture(), getArchitectureConfig(), exampleShape, outputs);
        }
        Dataset<Row> train = df;
        Dataset<Row> validation = null;
        if (getValidationFraction() > 0) {
            Dataset<Row>[] parts = df.randomSplit(new double[] {1 - getValidationFraction(), getValidationFraction()},
                    getSeed());
            train = parts[0];
            validation = parts[1];
        }
        int workers = getNumWorkers() > 0 ? getNumWorkers() : df.sparkSession().sparkContext().defaultParallelism();
        OptimizerSpec opt = OptimizerSpec.of(getOptimizer(), getLearningRate());
        if (getWeightDecay() > 0) {
            opt = opt.with("weightDecay", getWeightDecay());
        }
        DistributedTrainer.Builder b = DistributedTrainer.builder()
                .model(model)
                .loss(Architectures.loss(stage, getLoss()))
                .optimizer(opt)
                .lrSchedule(getLrSchedule())
                .batchSize(getBatchSize())
                .epochs(getMaxEpochs())
                .stepsPerRound(getStepsPerRound())
                .numWorkers(workers)
                .seed(getSeed())
                .device(getDevice());
        if (validation != null) {
            b.validation(validation);
        }
        if (getCheckpointDir() != null && getCheckpointInterval() > 0) {
            b.checkpoint(getCheckpointDir(), getCheckpointInterval());
        }
        TrainingResult result = b.build().fit(train, spec);
        EmberModel m = new EmberModel(uid, classification() ? "classification" : "regression", outputs,
                result.model(), result.history());
        copyValues(m, ParamMap.empty());
        m.set(m.featureShape(), exampleShape);
        if (widths != null) {
            m.set(m.featureWidths(), widths);
        }
        m.setParent(this);
        return m;
    }

    @Override
    public MLWriter write() {
        return new StagePersistence.ParamsWriter(this);
    }
}
