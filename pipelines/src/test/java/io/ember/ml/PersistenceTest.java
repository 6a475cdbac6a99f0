package io.ember.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.NDArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ML persistence of every stage: save -> load -> compare every param, the weights and the predictions. */
class PersistenceTest {
    private static SparkSession spark;
    private static Dataset<Row> data;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = TestData.spark("PersistenceTest");
        data = TestData.blobs(spark, 200, 3, 2).cache();
    }

    @AfterAll
    static void stop() {
        SparkSession.active().stop();
    }

    /** Every param of {@code a} has the same set/default state and value in {@code b} (arrays by content). */
    static void assertSameParams(Params a, Params b) {
        assertEquals(a.uid(), b.uid());
        assertEquals(a.params().length, b.params().length);
        for (Param<?> p : a.params()) {
            Param<?> q = b.getParam(p.name());
            assertEquals(a.isSet(p), b.isSet(q), p.name() + " set");
            assertEquals(a.hasDefault(p), b.hasDefault(q), p.name() + " default");
            if (a.isDefined(p)) {
                Object x = a.getOrDefault(p);
                Object y = b.getOrDefault(q);
                if (x instanceof int[] xa) {
                    assertArrayEquals(xa, (int[]) y, p.name());
                } else if (x instanceof String[] xs) {
                    assertArrayEquals(xs, (String[]) y, p.name());
                } else {
                    assertEquals(x, y, p.name());
                }
            } else {
                assertTrue(!b.isDefined(q), p.name() + " undefined");
            }
        }
    }

    private String save(MLWritable stage, String name) throws IOException {
        String path = dir.resolve(name).toUri().toString();
        stage.write().save(path);
        return path;
    }

    @Test
    void classifier_saveLoad_everyParam() throws IOException {
        EmberClassifier c = new EmberClassifier().setFeaturesCols(new String[] {"x0", "x1"}).setFeatureShape(new int[] {2})
                .setLabelCol("name_idx").setArchitecture("mlp:8,4;dropout=0.1").setLearningRate(0.02)
                .setWeightDecay(1e-4).setLrSchedule("cosine").setBatchSize(7).setMaxEpochs(3).setStepsPerRound(5)
                .setNumWorkers(3).setSeed(11).setDevice("cpu").setCheckpointDir("file:/tmp/x").setCheckpointInterval(2)
                .setValidationFraction(0.25).setHandleInvalid("skip").setProbabilityCol("p").setRawPredictionCol("");
        EmberClassifier back = EmberClassifier.load(save(c, "clf"));
        assertSameParams(c, back);
        assertEquals("mlp:8,4;dropout=0.1", back.getArchitecture());
        assertTrue(back.isSet(back.seed()) && !back.isSet(back.optimizer()));
    }

    @Test
    void regressor_saveLoad_everyParam() throws IOException {
        EmberRegressor r = new EmberRegressor().setLoss("smoothL1").setOptimizer("sgd").setArchitecture("linear")
                .setLabelCol("y");
        EmberRegressor back = EmberRegressor.load(save(r, "reg"));
        assertSameParams(r, back);
    }

    @Test
    void model_saveLoad_everyParamWeightsAndPredictions() throws IOException {
        EmberModel m = new EmberClassifier().setArchitecture("mlp:8").setMaxEpochs(1).setNumWorkers(2).setSeed(3)
                .fit(data).setScoringBatchRows(33).setProbabilityCol("prob");
        String path = save(m, "model");
        assertTrue(Files.exists(dir.resolve("model/model/model.safetensors")));
        assertTrue(Files.isDirectory(dir.resolve("model/metadata")));
        EmberModel back = EmberModel.load(path);
        assertSameParams(m, back);
        Map<String, NDArray> a = m.module().stateDict();
        Map<String, NDArray> b = back.module().stateDict();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) {
            assertArrayEquals(a.get(k).toFloatArray(), b.get(k).toFloatArray(), 0f, k);
        }
        List<Row> x = m.transform(data).orderBy("id").select("prob", "prediction").collectAsList();
        List<Row> y = back.transform(data).orderBy("id").select("prob", "prediction").collectAsList();
        assertEquals(x, y);
    }

    @Test
    void save_existingPathWithoutOverwrite_failsAndOverwriteReplaces() throws IOException {
        EmberRegressor r = new EmberRegressor().setLabelCol("y");
        String path = save(r, "again");
        assertThrows(IOException.class, () -> r.write().save(path));
        r.setLearningRate(0.5);
        r.write().overwrite().save(path);
        assertEquals(0.5, EmberRegressor.load(path).getLearningRate());
    }

    @Test
    void load_otherStageType_failsNamingBoth() throws IOException {
        String path = save(new EmberRegressor(), "reg2");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmberClassifier.load(path));
        assertTrue(e.getMessage().contains("holds a io.ember.ml.EmberRegressor, not a io.ember.ml.EmberClassifier"),
                e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class, () -> EmberModel.load(path));
        assertTrue(m.getMessage().contains("not a io.ember.ml.EmberModel"), m.getMessage());
    }

    @Test
    void load_modelWithMissingWeights_failsClearly() throws IOException {
        EmberModel m = new EmberRegressor().setLabelCol("y").setArchitecture("linear").setMaxEpochs(1).fit(data);
        String path = save(m, "broken");
        Files.delete(dir.resolve("broken/model/model.safetensors"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EmberModel.load(path));
        assertTrue(e.getMessage().contains("model.safetensors is missing"), e.getMessage());
    }

    @Test
    void model_savedByOneApplication_loadsInANewOne() throws IOException {
        EmberModel m = new EmberClassifier().setArchitecture("linear").setMaxEpochs(1).setNumWorkers(2).fit(data);
        String path = save(m, "across");
        List<Row> before = m.transform(data).orderBy("id").select("probability").collectAsList();
        String firstApp = spark.sparkContext().applicationId();
        spark.stop();
        spark = TestData.spark("PersistenceTest-second");
        assertTrue(!firstApp.equals(spark.sparkContext().applicationId()));
        data = TestData.blobs(spark, 200, 3, 2).cache();
        List<Row> after = EmberModel.load(path).transform(data).orderBy("id").select("probability").collectAsList();
        assertEquals(before, after);
    }
}
