package io.ember.spark.train;

import io.ember.nn.Linear;
import io.ember.nn.Module;
import io.ember.nn.ReLU;
import io.ember.nn.Sequential;
import io.ember.spark.data.TensorBatch;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** Small synthetic classification data and models shared by the trainer tests. */
final class TrainerTestData {
    static final int FEATURES = 12;
    static final int CLASSES = 3;

    private TrainerTestData() {
    }

    static SparkSession session(String name) {
        return SparkSession.builder().master("local[2]").appName(name).config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
    }

    /** {@code rows} rows whose class is the argmax of three fixed linear scores (learnable), seeded. */
    static TensorBatch rows(int rows, long seed) {
        Generator g = new Generator(seed);
        NDArray x = NDArray.randn(g, rows, FEATURES);
        float[] xs = x.toFloatArray();
        long[] y = new long[rows];
        for (int i = 0; i < rows; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < CLASSES; c++) {
                double s = 0;
                for (int j = 0; j < FEATURES; j++) {
                    s += xs[i * FEATURES + j] * Math.sin(1.0 + c * 7 + j * 0.37);
                }
                if (s > best) {
                    best = s;
                    y[i] = c;
                }
            }
        }
        return new TensorBatch(x, NDArray.of(y));
    }

    /** The batches as an RDD with exactly one per partition. */
    static JavaRDD<TensorBatch> rdd(SparkSession spark, List<TensorBatch> parts) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return jsc.parallelize(new ArrayList<>(parts), parts.size());
    }

    static Module mlp(long seed) {
        Generator.manualSeed(seed);
        return new Sequential(new Linear(FEATURES, 16), new ReLU(), new Linear(16, CLASSES));
    }

    static void assertSameState(Map<String, NDArray> expected, Map<String, NDArray> actual, double tol) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.keySet(), actual.keySet());
        for (String k : expected.keySet()) {
            NDArray e = expected.get(k);
            NDArray a = actual.get(k);
            org.junit.jupiter.api.Assertions.assertTrue(e.allClose(a, 0, tol),
                    () -> k + ": expected " + e + " but got " + a);
        }
    }
}
