package io.ember.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.nn.Linear;
import io.ember.nn.Module;
import io.ember.nn.ModuleRegistry;
import io.ember.nn.Sequential;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** EmberModel.transform on executors: the network shipped once, bad rows, SQL scoring, image and custom networks. */
class ScoringTest {
    private static SparkSession spark;
    private static Dataset<Row> data;
    private static EmberModel model;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = TestData.spark("ScoringTest");
        data = TestData.blobs(spark, 400, 9, 2).cache();
        model = new EmberClassifier().setArchitecture("mlp:512,512").setMaxEpochs(1).setNumWorkers(2).setSeed(1)
                .fit(data);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void transform_networkTravelsInTheBroadcast_builtOncePerRunningTaskNotPerTask() throws Exception {
        EmberModel.ModelFile file = model.broadcast(spark.sparkContext()).value();
        assertTrue(file.weights().length > 1_000_000, "a network of " + file.weights().length + " bytes");
        ModelScorer scorer = new ModelScorer(model.broadcast(spark.sparkContext()), true, true, true, true);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(scorer);
        }
        assertTrue(bytes.size() < 4096, "the task's scorer serializes to " + bytes.size() + " bytes");

        EmberModel fresh = model.copy(new org.apache.spark.ml.param.ParamMap());
        fresh.setModule(model.module());   // a new broadcast, so no network of it is pooled yet
        long before = ScoringModels.built();
        Dataset<Row> many = data.repartition(12);
        Dataset<Row> scored = fresh.setScoringBatchRows(16).transform(many);
        assertEquals(1, scored.agg(functions.sum("prediction")).count());
        assertEquals(400, scored.count());
        long built = ScoringModels.built() - before;
        assertTrue(built >= 1 && built <= 2, "networks built for 24 tasks on local[2]: " + built);
    }

    private static Dataset<Row> withBadRows() {
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, true));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Object f = switch (i) {
                case 1 -> null;
                case 3 -> new Float[] {1f, 2f};
                case 4 -> new Float[] {1f, Float.NaN, 0f, 0f};
                default -> new Float[] {(float) i, 0f, 1f, -1f};
            };
            rows.add(RowFactory.create(i, f));
        }
        return spark.createDataFrame(rows, schema).coalesce(1);
    }

    @Test
    void transform_handleInvalid_errorNamesTheRow_keepAndSkip() {
        SparkException e = assertThrows(SparkException.class, () -> model.copy(new org.apache.spark.ml.param.ParamMap())
                .setHandleInvalid("error").transform(withBadRows()).collectAsList());
        String all = String.valueOf(e.getMessage()) + " " + String.valueOf(e.getCause());
        assertTrue(all.contains("column 'features' is null") && all.contains("row 1"), all);

        List<Row> kept = model.copy(new org.apache.spark.ml.param.ParamMap()).setHandleInvalid("keep")
                .transform(withBadRows()).orderBy("id").collectAsList();
        assertEquals(6, kept.size());
        for (Row r : kept) {
            boolean bad = r.getInt(0) == 1 || r.getInt(0) == 3 || r.getInt(0) == 4;
            assertEquals(bad, r.isNullAt(r.fieldIndex("prediction")), "row " + r.getInt(0));
            assertEquals(bad, r.isNullAt(r.fieldIndex("probability")), "row " + r.getInt(0));
        }
        List<Row> skipped = model.copy(new org.apache.spark.ml.param.ParamMap()).setHandleInvalid("skip")
                .transform(withBadRows()).orderBy("id").collectAsList();
        assertEquals(List.of(0, 2, 5), skipped.stream().map(r -> r.getInt(0)).toList());
        for (int i = 0; i < 3; i++) {
            assertEquals(kept.get(new int[] {0, 2, 5}[i]).getDouble(kept.get(0).fieldIndex("prediction")),
                    skipped.get(i).getDouble(skipped.get(i).fieldIndex("prediction")));
        }
    }

    @Test
    void udf_savedModelScoresFromSql_sameAsTransform() throws Exception {
        String path = dir.resolve("udf-model").toUri().toString();
        model.write().save(path);
        EmberUdf.register(spark, "ember_class", path);
        data.createOrReplaceTempView("blobs");
        List<Row> sql = spark.sql("SELECT id, ember_class(features) AS a, ember_class(vec) AS b,"
                + " ember_class(array(x0, x1, x2, x3)) AS c FROM blobs ORDER BY id").collectAsList();
        List<Row> ref = model.transform(data).orderBy("id").select("id", "prediction").collectAsList();
        assertEquals(ref.size(), sql.size());
        for (int i = 0; i < ref.size(); i++) {
            double p = ref.get(i).getDouble(1);
            assertEquals(p, sql.get(i).getDouble(1), "row " + i + " array<float>");
            assertEquals(p, sql.get(i).getDouble(2), "row " + i + " vector");
            assertEquals(p, sql.get(i).getDouble(3), "row " + i + " array(x0..x3)");
        }
        assertTrue(spark.sql("SELECT ember_class(CAST(NULL AS array<float>))").first().isNullAt(0));
        SparkException e = assertThrows(SparkException.class,
                () -> spark.sql("SELECT ember_class(array(1.0, 2.0))").collectAsList());
        String all = String.valueOf(e.getMessage()) + " " + String.valueOf(e.getCause());
        assertTrue(all.contains("ember_class: got 2 feature values; the model takes 4"), all);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> EmberUdf.register(spark, "drop table", model));
        assertTrue(bad.getMessage().contains("must be a SQL identifier"), bad.getMessage());
    }

    @Test
    void cnnArchitecture_imageShape_trainsAndScores() {
        // 4x4 "images": class c has a bright quadrant c
        StructType schema = new StructType().add("img", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("label", DataTypes.IntegerType);
        List<Row> rows = new ArrayList<>();
        java.util.Random r = new java.util.Random(4);
        for (int i = 0; i < 240; i++) {
            int c = i % 4;
            Float[] px = new Float[16];
            for (int p = 0; p < 16; p++) {
                int q = (p / 4 < 2 ? 0 : 2) + (p % 4 < 2 ? 0 : 1);
                px[p] = (q == c ? 1f : 0f) + 0.1f * (float) r.nextGaussian();
            }
            rows.add(RowFactory.create(px, c));
        }
        Dataset<Row> images = spark.createDataFrame(rows, schema);
        EmberModel cnn = new EmberClassifier().setFeaturesCol("img").setFeatureShape(new int[] {1, 4, 4})
                .setArchitecture("cnn").setLearningRate(3e-3).setBatchSize(8).setMaxEpochs(4).setNumWorkers(2)
                .setSeed(2).fit(images);
        assertEquals(4, cnn.getNumClasses());
        long right = cnn.transform(images).where("prediction = label").count();
        assertTrue(right > 0.9 * 240, right + " of 240 right");
    }

    /** A user network type: registered by name, built from the architecture config. */
    static Module scaledLinear(Map<String, Object> config) {
        @SuppressWarnings("unchecked")
        List<Object> shape = (List<Object>) config.get("inputShape");
        int in = ((Number) shape.get(0)).intValue();
        int hidden = ((Number) config.get("hidden")).intValue();
        return new Sequential(new Linear(in, hidden), new Linear(hidden, ((Number) config.get("outputs")).intValue()));
    }

    @Test
    void registeredArchitecture_builtFromItsConfig() {
        ModuleRegistry.register("TwoLinear", ScoringTest::scaledLinear);
        EmberModel m = new EmberClassifier().setArchitecture("TwoLinear").setArchitectureConfig("{\"hidden\": 5}")
                .setMaxEpochs(2).setNumWorkers(2).setLearningRate(1e-2).fit(data);
        assertEquals("[5, 4]", java.util.Arrays.toString(m.module().stateDict().get("0.weight").shape().toArray()));
        long right = m.transform(data).where("prediction = label").count();
        assertTrue(right > 0.9 * 400, right + " of 400 right");
    }
}
