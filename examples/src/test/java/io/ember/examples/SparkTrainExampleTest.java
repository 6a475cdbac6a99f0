package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.ml.EmberModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job (examples/train.sh), run as a user runs it, on local[2]. */
class SparkTrainExampleTest {
    @Test
    void run_onTheShippedParquetSample_trainsSavesReloadsAndScores(@TempDir Path dir) throws Exception {
        Path save = dir.resolve("model");
        Path scored = dir.resolve("scored");
        // --data names the shipped sample: with Debian's dataset-fashion-mnist installed the default is the full set
        double acc = SparkTrainExample.run(new String[] {"--data", FashionMnistParquet.sample().toString(),
            "--epochs", "2", "--save", save.toString(), "--scored", scored.toString()});
        // 2 epochs on 6,000 sample images: far above chance (0.1); the full set is the @Tag("full") test's job
        assertTrue(acc > 0.70, () -> "test accuracy " + acc);
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            EmberModel m = EmberModel.load(save.toString());
            assertEquals("classification", m.getTask());
            assertEquals(10, m.getNumClasses());
            Dataset<Row> s = spark.read().parquet(scored.toString());
            assertEquals(List.of("label", "prediction", "probability"), Arrays.asList(s.columns()));
            List<Row> rows = s.collectAsList();
            assertEquals(1000, rows.size());
            long right = rows.stream().filter(r -> r.getDouble(0) == r.getDouble(1)).count();
            assertEquals(acc, right / 1000.0, 1e-12, "the written scores' accuracy");
        } finally {
            spark.stop();
        }
    }

    @Test
    void data_fromIdxFiles_writesThemOnceAsParquet(@TempDir Path dir) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            FashionMnist idx = FashionMnist.sample();
            SparkTrainExample.Data d = SparkTrainExample.data(spark, idx.dir.toString(), dir, 2);
            assertEquals(6000, d.train().count());
            assertEquals(1000, d.test().count());
            // the first test image, pixel by pixel, as the IDX reader decodes it
            Row first = d.test().orderBy(org.apache.spark.sql.functions.monotonically_increasing_id()).first();
            float[] want = idx.testImages.narrow(0, 0, 1).contiguous().toFloatArray();
            List<Float> got = first.getList(0);
            assertEquals(784, got.size());
            for (int i = 0; i < 784; i++) {
                assertEquals(want[i], got.get(i), "pixel " + i);
            }
            assertEquals((double) idx.testLabels.toLongArray()[0], first.getDouble(1));
        } finally {
            spark.stop();
        }
    }
}
