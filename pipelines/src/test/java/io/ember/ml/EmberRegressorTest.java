package io.ember.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.NDArray;
import java.util.List;
import org.apache.spark.ml.evaluation.RegressionEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EmberRegressor on an exactly linear target, checked with RegressionEvaluator and by hand from the weights. */
class EmberRegressorTest {
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @BeforeAll
    static void start() {
        spark = TestData.spark("EmberRegressorTest");
        train = TestData.blobs(spark, 800, 11, 2).cache();
        test = TestData.blobs(spark, 200, 12, 2).cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void fit_linearTarget_learnsItAndPredictionsAreTheLinearMap() {
        EmberModel model = new EmberRegressor().setFeaturesCols(new String[] {"x0", "x1", "x2", "x3"})
                .setLabelCol("y").setArchitecture("linear").setLearningRate(0.05).setBatchSize(16).setMaxEpochs(20)
                .setStepsPerRound(25).setNumWorkers(2).setSeed(1).setLrSchedule("cosine").fit(train);
        assertEquals("regression", model.getTask());
        Dataset<Row> scored = model.transform(test);
        double rmse = new RegressionEvaluator().setLabelCol("y").setMetricName("rmse").evaluate(scored);
        double r2 = new RegressionEvaluator().setLabelCol("y").setMetricName("r2").evaluate(scored);
        assertTrue(rmse < 0.1, "rmse " + rmse);
        assertTrue(r2 > 0.99, "r2 " + r2);
        // the learned weights approach the generating ones: y = 2 x0 - x1 + 0.5 x2 + 0 x3 + 1
        float[] w = model.module().stateDict().get("0.weight").toFloatArray();
        float[] b = model.module().stateDict().get("0.bias").toFloatArray();
        double[] truth = {2, -1, 0.5, 0};
        for (int j = 0; j < 4; j++) {
            assertEquals(truth[j], w[j], 0.05, "weight " + j);
        }
        assertEquals(1, b[0], 0.05);
        // each prediction is w . x + b, computed here by hand
        for (Row r : scored.collectAsList()) {
            double expect = b[0];
            for (int j = 0; j < 4; j++) {
                expect += w[j] * r.getDouble(r.fieldIndex("x" + j));
            }
            assertEquals(expect, r.getDouble(r.fieldIndex("prediction")), 1e-4);
        }
        List<String> cols = List.of(scored.columns());
        assertTrue(!cols.contains("probability") && !cols.contains("rawPrediction"), cols.toString());
    }

    @Test
    void fit_mlpOnArrayFeatures_l1Loss() {
        EmberModel model = new EmberRegressor().setLabelCol("y").setArchitecture("mlp:16").setLoss("l1")
                .setLearningRate(1e-2).setBatchSize(16).setMaxEpochs(10).setNumWorkers(2).setSeed(3).fit(train);
        double rmse = new RegressionEvaluator().setLabelCol("y").evaluate(model.transform(test));
        assertTrue(rmse < 0.5, "rmse " + rmse);
        NDArray one = model.predictRaw(NDArray.of(new float[] {1, 0, 0, 0}, 1, 4));
        assertEquals(3.0, one.toFloatArray()[0], 0.6, "f(1,0,0,0) = 2 + 1");
    }
}
