package io.ember.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.tuning.CrossValidator;
import org.apache.spark.ml.tuning.CrossValidatorModel;
import org.apache.spark.ml.tuning.ParamGridBuilder;
import org.apache.spark.ml.tuning.TrainValidationSplit;
import org.apache.spark.ml.tuning.TrainValidationSplitModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ember stages inside Spark ML Pipelines and model selection, with persistence of the fitted results. */
class PipelineTest {
    private static SparkSession spark;
    private static Dataset<Row> train;
    private static Dataset<Row> test;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = TestData.spark("PipelineTest");
        train = TestData.blobs(spark, 400, 5, 2).drop("label", "features", "vec").cache();
        test = TestData.blobs(spark, 200, 6, 2).drop("label", "features", "vec").cache();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static EmberClassifier classifier() {
        return new EmberClassifier().setFeaturesCol("scaled").setLabelCol("classIndex").setArchitecture("mlp:8")
                .setLearningRate(1e-2).setBatchSize(16).setMaxEpochs(2).setStepsPerRound(10).setNumWorkers(2)
                .setSeed(5);
    }

    private static PipelineStage[] features() {
        return new PipelineStage[] {
            new StringIndexer().setInputCol("name").setOutputCol("classIndex"),
            new VectorAssembler().setInputCols(new String[] {"x0", "x1", "x2", "x3"}).setOutputCol("assembled"),
            new StandardScaler().setInputCol("assembled").setOutputCol("scaled")};
    }

    private static MulticlassClassificationEvaluator accuracy() {
        return new MulticlassClassificationEvaluator().setLabelCol("classIndex").setMetricName("accuracy");
    }

    @Test
    void pipeline_indexerAssemblerScalerEmber_fitsSavesAndLoads() throws Exception {
        PipelineStage[] f = features();
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {f[0], f[1], f[2], classifier()});
        PipelineModel model = pipeline.fit(train);
        Dataset<Row> scored = model.transform(test);
        double acc = accuracy().evaluate(scored);
        assertTrue(acc > 0.95, "accuracy " + acc);
        EmberModel ember = (EmberModel) model.stages()[3];
        assertEquals(3, ember.getNumClasses(), "classes from StringIndexer's metadata");

        String path = dir.resolve("pipeline").toUri().toString();
        model.write().save(path);
        PipelineModel back = PipelineModel.load(path);
        assertInstanceOf(EmberModel.class, back.stages()[3]);
        List<Row> a = scored.orderBy("id").select("probability", "prediction").collectAsList();
        List<Row> b = back.transform(test).orderBy("id").select("probability", "prediction").collectAsList();
        assertEquals(a, b);

        String unfitted = dir.resolve("unfitted").toUri().toString();
        pipeline.write().save(unfitted);
        Pipeline again = Pipeline.load(unfitted);
        assertInstanceOf(EmberClassifier.class, again.getStages()[3]);
        PersistenceTest.assertSameParams(pipeline.getStages()[3], again.getStages()[3]);
    }

    @Test
    void crossValidator_gridOverLearningRateAndBatchSize_picksAModelAndSaves() throws Exception {
        PipelineStage[] f = features();
        EmberClassifier clf = classifier().setMaxEpochs(3);
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {f[0], f[1], f[2], clf});
        ParamMap[] grid = new ParamGridBuilder()
                .addGrid(clf.learningRate(), new double[] {3e-2, 1e-4})
                .addGrid(clf.batchSize(), new int[] {16, 64})
                .build();
        CrossValidator cv = new CrossValidator().setEstimator(pipeline).setEstimatorParamMaps(grid)
                .setEvaluator(accuracy()).setNumFolds(2).setSeed(1);
        CrossValidatorModel model = cv.fit(train);
        assertEquals(4, model.avgMetrics().length);
        // lr 1e-4 with few steps learns far less than 3e-2: the search must see the difference and pick 3e-2
        int best = 0;
        for (int i = 1; i < 4; i++) {
            if (model.avgMetrics()[i] > model.avgMetrics()[best]) {
                best = i;
            }
        }
        assertEquals(3e-2, (Double) grid[best].apply(clf.learningRate()), 0.0, java.util.Arrays.toString(model.avgMetrics()));
        EmberModel bestEmber = (EmberModel) ((PipelineModel) model.bestModel()).stages()[3];
        assertEquals(3e-2, ((EmberClassifier) bestEmber.parent()).getLearningRate(), 0.0);
        double acc = accuracy().evaluate(model.transform(test));
        assertTrue(acc > 0.9, "accuracy " + acc);

        String path = dir.resolve("cv").toUri().toString();
        model.write().save(path);
        CrossValidatorModel back = CrossValidatorModel.load(path);
        assertEquals(model.transform(test).orderBy("id").select("prediction").collectAsList(),
                back.transform(test).orderBy("id").select("prediction").collectAsList());
    }

    @Test
    void trainValidationSplit_onEmberDirectly_savesAndLoads() throws Exception {
        PipelineStage[] f = features();
        Dataset<Row> prepared = new Pipeline().setStages(f).fit(train).transform(train).cache();
        EmberClassifier clf = classifier().setMaxEpochs(1);
        ParamMap[] grid = new ParamGridBuilder().addGrid(clf.learningRate(), new double[] {3e-2, 1e-4}).build();
        TrainValidationSplit tvs = new TrainValidationSplit().setEstimator(clf).setEstimatorParamMaps(grid)
                .setEvaluator(accuracy()).setTrainRatio(0.75).setSeed(2);
        TrainValidationSplitModel model = tvs.fit(prepared);
        assertEquals(2, model.validationMetrics().length);
        assertTrue(model.validationMetrics()[0] > model.validationMetrics()[1],
                java.util.Arrays.toString(model.validationMetrics()));
        String path = dir.resolve("tvs").toUri().toString();
        model.write().save(path);
        TrainValidationSplitModel back = TrainValidationSplitModel.load(path);
        assertInstanceOf(EmberModel.class, back.bestModel());
        assertEquals(model.transform(prepared).orderBy("id").select("prediction").collectAsList(),
                back.transform(prepared).orderBy("id").select("prediction").collectAsList());
    }
}
