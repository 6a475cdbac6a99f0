package io.ember.ml;

import java.util.List;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML classifier that trains an Ember network with the distributed trainer. Labels are class indices
 * (0, 1, ...; a numeric column, e.g. StringIndexer's output); the number of classes comes from the label column's
 * metadata or its largest value. The fitted {@link EmberModel} adds {@code prediction} (the class, double),
 * {@code rawPrediction} (the network's logits) and {@code probability} (their softmax) as ML Vectors, the columns
 * Spark's classification evaluators read.
 *
 * <pre>{@code
 * EmberClassifier clf = new EmberClassifier()
 *         .setFeaturesCol("features").setLabelCol("label")
 *         .setArchitecture("mlp:256,128")
 *         .setLearningRate(2e-3).setBatchSize(32).setMaxEpochs(3).setNumWorkers(2);
 * EmberModel model = clf.fit(train);
 * double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
 *         .evaluate(model.transform(test));
 * }</pre>
 */
public final class EmberClassifier extends EmberEstimator<EmberClassifier> {
    private final Param<String> probabilityCol;
    private final Param<String> rawPredictionCol;

    public EmberClassifier() {
        this(Identifiable$.MODULE$.randomUID("emberClassifier"));
    }

    public EmberClassifier(String uid) {
        super(uid);
        probabilityCol = StageParams.outputColumn(this, "probabilityCol", "class probabilities column name");
        rawPredictionCol = StageParams.outputColumn(this, "rawPredictionCol", "raw prediction (logits) column name");
        setDefault(probabilityCol, "probability");
        setDefault(rawPredictionCol, "rawPrediction");
    }

    public Param<String> probabilityCol() { return probabilityCol; }
    public String getProbabilityCol() { return $(probabilityCol); }
    public EmberClassifier setProbabilityCol(String value) { set(probabilityCol, value); return this; }

    public Param<String> rawPredictionCol() { return rawPredictionCol; }
    public String getRawPredictionCol() { return $(rawPredictionCol); }
    public EmberClassifier setRawPredictionCol(String value) { set(rawPredictionCol, value); return this; }

    @Override
    List<String> losses() {
        return Architectures.CLASSIFICATION_LOSSES;
    }

    @Override
    boolean classification() {
        return true;
    }

    @Override
    StructType outputSchema(StructType schema) {
        return Outputs.classification(getClass().getSimpleName(), schema, getRawPredictionCol(),
                getProbabilityCol(), getPredictionCol());
    }

    @Override
    public EmberClassifier copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Reads an EmberClassifier saved with {@code write().save(path)}. */
    public static MLReader<EmberClassifier> read() {
        return new StagePersistence.ParamsReader<>(EmberClassifier.class, EmberClassifier::new);
    }

    public static EmberClassifier load(String path) {
        return read().load(path);
    }
}
