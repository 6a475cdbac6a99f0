package io.ember.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every param is validated with a message naming the stage, the param and the value; schemas before any job. */
class ValidationTest {
    private static SparkSession spark;
    private static Dataset<Row> data;
    private static final AtomicInteger JOBS = new AtomicInteger();

    @BeforeAll
    static void start() {
        spark = TestData.spark("ValidationTest");
        data = TestData.blobs(spark, 100, 1, 2).cache();
        data.count();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart e) {
                JOBS.incrementAndGet();
            }
        });
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static void fails(String message, Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(message), "message: " + x.getMessage());
    }

    @Test
    void setters_badValues_nameStageParamAndValue() {
        EmberClassifier c = new EmberClassifier();
        fails("EmberClassifier: learningRate must be > 0 and finite, got -1.0", () -> c.setLearningRate(-1));
        fails("EmberClassifier: learningRate must be > 0 and finite, got Infinity",
                () -> c.setLearningRate(Double.POSITIVE_INFINITY));
        fails("EmberClassifier: batchSize must be > 0, got 0", () -> c.setBatchSize(0));
        fails("EmberClassifier: maxEpochs must be > 0, got -2", () -> c.setMaxEpochs(-2));
        fails("EmberClassifier: stepsPerRound must be > 0, got 0", () -> c.setStepsPerRound(0));
        fails("EmberClassifier: numWorkers must be >= 0, got -1", () -> c.setNumWorkers(-1));
        fails("EmberClassifier: validationFraction must be in [0, 1), got 1.0", () -> c.setValidationFraction(1));
        fails("EmberClassifier: optimizer must be one of [adam, adamw, sgd, rmsprop, adagrad], got 'lbfgs'",
                () -> c.setOptimizer("lbfgs"));
        fails("EmberClassifier: loss must be one of [crossEntropy], got 'mse'", () -> c.setLoss("mse"));
        fails("EmberRegressor: loss must be one of [mse, l1, smoothL1], got 'crossEntropy'",
                () -> new EmberRegressor().setLoss("crossEntropy"));
        fails("EmberClassifier: device must be one of [auto, cpu, cuda], got 'tpu'", () -> c.setDevice("tpu"));
        fails("EmberClassifier: lrSchedule must be one of [constant, cosine], got 'step'", () -> c.setLrSchedule("step"));
        fails("EmberClassifier: architecture must be 'linear', 'mlp:H1,H2,...', 'cnn' or a registered module type"
                + " name, got 'mlp 256'", () -> c.setArchitecture("mlp 256"));
        fails("EmberClassifier: architecture must be", () -> c.setArchitecture("mlp:256,0"));
        fails("EmberClassifier: architecture must be", () -> c.setArchitecture("mlp:64;dropout=1.5"));
        fails("EmberClassifier: featureShape must be one or more dimensions >= 1, got [1, 0]",
                () -> c.setFeatureShape(new int[] {1, 0}));
        fails("EmberClassifier: featuresCols must be one or more distinct, non-empty column names, got [a, a]",
                () -> c.setFeaturesCols(new String[] {"a", "a"}));
        fails("EmberClassifier: featuresCol must be a non-empty column name, got ''", () -> c.setFeaturesCol(""));
        fails("EmberClassifier: checkpointInterval must be >= 1 or -1, got 0", () -> c.setCheckpointInterval(0));
        fails("EmberClassifier: handleInvalid must be one of [error, skip], got 'keep'", () -> c.setHandleInvalid("keep"));
        fails("EmberClassifier: architectureConfig", () -> c.setArchitectureConfig("[1, 2]"));
        assertEquals(1e-3, c.getLearningRate(), "a refused value changes nothing");
    }

    @Test
    void paramGrid_badValue_failsWhenTheMapIsBuilt() {
        EmberClassifier c = new EmberClassifier();
        fails("EmberClassifier: batchSize must be > 0, got -8",
                () -> new ParamGridBuilder().addGrid(c.batchSize(), new int[] {8, -8}).build());
        fails("EmberClassifier: learningRate must be > 0", () -> new ParamMap().put(c.learningRate(), -0.1));
    }

    @Test
    void transformSchema_badColumns_failBeforeAnyJob() {
        int before = JOBS.get();
        fails("EmberClassifier: feature column 'pixels' not found; columns: [id, features",
                () -> new EmberClassifier().setFeaturesCol("pixels").fit(data));
        fails("EmberClassifier: label column 'name' has type string; expected a number (a class index: index"
                + " strings with StringIndexer)", () -> new EmberClassifier().setLabelCol("name").fit(data));
        fails("EmberClassifier: label column 'target' not found", () -> new EmberClassifier().setLabelCol("target")
                .fit(data));
        fails("EmberClassifier: output column 'y' already exists", () -> new EmberClassifier().setPredictionCol("y")
                .fit(data));
        fails("EmberRegressor: feature column 'name' has type string", () -> new EmberRegressor().setLabelCol("y")
                .setFeaturesCol("name").fit(data));
        fails("EmberClassifier: set either featuresCol or featuresCols, not both", () -> new EmberClassifier()
                .setFeaturesCol("features").setFeaturesCols(new String[] {"x0"}).fit(data));
        fails("EmberClassifier: label column 'label' is also a feature column", () -> new EmberClassifier()
                .setFeaturesCols(new String[] {"x0", "label"}).fit(data));
        fails("EmberClassifier: InputSpec: shape [3] has 3 values but the 2 feature column(s) [x0, x1] give 2", () -> new EmberClassifier().setFeaturesCols(new String[] {"x0", "x1"})
                .setFeatureShape(new int[] {3}).fit(data));
        assertEquals(before, JOBS.get(), "no Spark job ran");
    }

    @Test
    void fit_badArchitectureOrLabels_clearMessages() {
        fails("EmberClassifier: architecture 'cnn' needs examples of shape [C, H, W]",
                () -> new EmberClassifier().setArchitecture("cnn").fit(data));
        fails("EmberClassifier: architecture 'NoSuchNet' is neither a built-in",
                () -> new EmberClassifier().setArchitecture("NoSuchNet").fit(data));
        Dataset<Row> negative = data.withColumn("label", functions.col("label").minus(1));
        fails("EmberClassifier: label column 'label' has the negative value -1.0",
                () -> new EmberClassifier().fit(negative));
    }

    @Test
    void model_transformSchema_checksColumnsAndOutputs() {
        EmberModel m = new EmberClassifier().setArchitecture("linear").setMaxEpochs(1).setNumWorkers(2).fit(data);
        int before = JOBS.get();
        fails("EmberModel: feature column 'features' not found", () -> m.transform(data.drop("features")));
        fails("EmberModel: output column 'rawPrediction' already exists", () -> m.transform(m.transform(data)));
        fails("EmberModel: handleInvalid must be one of [error, skip, keep], got 'drop'", () -> m.setHandleInvalid("drop"));
        assertEquals(before, JOBS.get(), "no Spark job ran");
    }
}
