package io.ember.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Module;
import io.ember.spark.data.InputSpec;
import io.ember.spark.train.DistributedTrainer;
import io.ember.spark.train.OptimizerSpec;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.evaluation.BinaryClassificationEvaluator;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EmberClassifier's fit and EmberModel's classification outputs, against Spark's evaluators and hand computation. */
class EmberClassifierTest {
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @BeforeAll
    static void start() {
        spark = TestData.spark("EmberClassifierTest");
        train = TestData.blobs(spark, 600, 1, 2).cache();
        test = TestData.blobs(spark, 300, 2, 3).cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static EmberClassifier classifier() {
        return new EmberClassifier().setArchitecture("mlp:16").setLearningRate(1e-2).setBatchSize(16)
                .setMaxEpochs(3).setStepsPerRound(10).setNumWorkers(2).setSeed(7);
    }

    @Test
    void fit_blobs_evaluatorsReadTheOutputs() {
        EmberModel model = classifier().fit(train);
        assertEquals("classification", model.getTask());
        assertEquals(3, model.getNumClasses());
        assertArrayEquals(new int[] {4}, model.getFeatureShape());
        assertTrue(model.history().size() > 0, "training history is kept");
        Dataset<Row> scored = model.transform(test);
        double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(scored);
        double f1 = new MulticlassClassificationEvaluator().setMetricName("f1").evaluate(scored);
        assertTrue(acc > 0.95, "accuracy " + acc);
        assertTrue(f1 > 0.95, "f1 " + f1);
    }

    @Test
    void transform_outputsAreLogitsSoftmaxAndArgmaxOfTheNetwork() {
        EmberModel model = classifier().setMaxEpochs(1).fit(train);
        List<Row> rows = model.setScoringBatchRows(64).transform(test).orderBy("id").collectAsList();
        assertEquals(300, rows.size());
        float[] x = new float[rows.size() * 4];
        for (int i = 0; i < rows.size(); i++) {
            List<Float> f = rows.get(i).getList(rows.get(i).fieldIndex("features"));
            for (int j = 0; j < 4; j++) {
                x[i * 4 + j] = f.get(j);
            }
        }
        // reference: the network on the driver, then softmax and argmax by hand
        float[] logits = model.predictRaw(NDArray.of(x, rows.size(), 4)).toFloatArray();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double[] raw = ((Vector) r.getAs("rawPrediction")).toArray();
            double[] prob = ((Vector) r.getAs("probability")).toArray();
            double max = Double.NEGATIVE_INFINITY;
            int arg = -1;
            for (int k = 0; k < 3; k++) {
                assertEquals(logits[i * 3 + k], raw[k], 1e-5, "row " + i + " logit " + k);
                if (raw[k] > max) {
                    max = raw[k];
                    arg = k;
                }
            }
            double z = 0;
            for (int k = 0; k < 3; k++) {
                z += Math.exp(raw[k] - max);
            }
            for (int k = 0; k < 3; k++) {
                assertEquals(Math.exp(raw[k] - max) / z, prob[k], 1e-5, "row " + i + " probability " + k);
            }
            assertEquals(arg, r.getDouble(r.fieldIndex("prediction")), 0.0, "row " + i);
            assertEquals(r.getLong(r.fieldIndex("id")), (long) r.getAs("id"));
        }
    }

    @Test
    void fit_trainsExactlyAsTheDistributedTrainerWithTheSameSettings() {
        EmberModel model = classifier().setMaxEpochs(2).fit(train);
        // reference: the trainer used directly, with the model built the way the architecture spec says
        Module ref;
        try (Generator.Scope g = Generator.useOnThisThread(new Generator(7))) {
            ref = new io.ember.nn.Sequential(new io.ember.nn.Linear(4, 16), new io.ember.nn.ReLU(),
                    new io.ember.nn.Linear(16, 3));
        }
        DistributedTrainer.builder().model(ref).loss(new CrossEntropyLoss()).optimizer(OptimizerSpec.adam(1e-2))
                .lrSchedule("constant").batchSize(16).epochs(2).stepsPerRound(10).numWorkers(2).seed(7)
                .build().fit(train, InputSpec.features("features", 4).label("label"));
        Map<String, NDArray> a = model.module().stateDict();
        Map<String, NDArray> b = ref.stateDict();
        assertEquals(b.keySet(), a.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(b.get(k).toFloatArray(), a.get(k).toFloatArray(), 0f, k);
        }
    }

    @Test
    void fit_binaryLabelAndVectorFeatures_binaryEvaluatorWorks() {
        EmberModel model = classifier().setFeaturesCol("vec").setLabelCol("isCoat").fit(train);
        assertEquals(2, model.getNumClasses());
        Dataset<Row> scored = model.transform(test);
        double auc = new BinaryClassificationEvaluator().setLabelCol("isCoat").evaluate(scored);
        assertTrue(auc > 0.98, "areaUnderROC " + auc);
    }

    @Test
    void fit_severalScalarColumns_featureShapeFromColumns() {
        EmberModel model = classifier().setFeaturesCols(new String[] {"x0", "x1", "x2", "x3"}).fit(train);
        assertArrayEquals(new int[] {4}, model.getFeatureShape());
        double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(test));
        assertTrue(acc > 0.95, "accuracy " + acc);
    }

    @Test
    void fit_validationFraction_historyHasValidationAccuracy() {
        EmberModel model = classifier().setValidationFraction(0.2).fit(train);
        double last = model.history().get(model.history().size() - 1).validationAccuracy();
        assertTrue(last > 0.9, "validation accuracy " + last);
    }

    @Test
    void fit_checkpointDir_writesCheckpointsAndASecondFitResumesToTheSameModel(@org.junit.jupiter.api.io.TempDir
                                                                                java.nio.file.Path dir)
            throws java.io.IOException {
        EmberClassifier c = classifier().setMaxEpochs(1).setCheckpointDir(dir.toUri().toString())
                .setCheckpointInterval(2);
        EmberModel first = c.fit(train);
        List<String> rounds;
        try (var files = java.nio.file.Files.list(dir)) {
            rounds = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("round-")).sorted().toList();
        }
        assertTrue(!rounds.isEmpty(), "checkpoints in " + dir);
        for (String r : rounds) {
            assertTrue(java.nio.file.Files.exists(dir.resolve(r).resolve("_COMPLETE")), r + " complete");
        }
        // a second fit with the same directory resumes after the newest checkpoint and ends with the same weights
        EmberModel second = c.fit(train);
        Map<String, NDArray> a = first.module().stateDict();
        Map<String, NDArray> b = second.module().stateDict();
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 0f, k);
        }
    }

    @Test
    void outputColumns_renamedOrTurnedOff() {
        EmberModel model = classifier().setMaxEpochs(1).setPredictionCol("cls").setProbabilityCol("")
                .setRawPredictionCol("logits").fit(train);
        Dataset<Row> out = model.transform(test);
        List<String> cols = List.of(out.columns());
        assertTrue(cols.contains("cls") && cols.contains("logits"), cols.toString());
        assertTrue(!cols.contains("probability") && !cols.contains("prediction"), cols.toString());
    }
}
