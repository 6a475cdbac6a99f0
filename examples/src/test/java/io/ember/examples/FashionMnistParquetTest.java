package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/** The shipped Parquet sample holds exactly the IDX sample's images and labels, in order. */
class FashionMnistParquetTest {
    @Test
    void sample_matchesTheIdxSampleRowByRow() throws Exception {
        FashionMnist idx = FashionMnist.sample();
        SparkSession spark = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                .getOrCreate();
        try {
            check(spark, FashionMnistParquet.sample().resolve("train"), idx.trainImages.contiguous().toFloatArray(),
                    idx.trainLabels.toLongArray());
            check(spark, FashionMnistParquet.sample().resolve("test"), idx.testImages.contiguous().toFloatArray(),
                    idx.testLabels.toLongArray());
        } finally {
            spark.stop();
        }
    }

    /** The files of {@code dir} read one by one in name order are the IDX rows in order. */
    private static void check(SparkSession spark, Path dir, float[] pixels, long[] labels) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".parquet")).sorted().toList();
        }
        int i = 0;
        for (Path f : files) {
            for (Row r : spark.read().parquet(f.toString()).collectAsList()) {
                List<Float> px = r.getList(0);
                assertEquals(784, px.size());
                for (int j = 0; j < 784; j++) {
                    if (px.get(j) != pixels[i * 784 + j]) {
                        assertEquals(pixels[i * 784 + j], px.get(j), dir + " row " + i + " pixel " + j);
                    }
                }
                assertEquals((double) labels[i], r.getDouble(1), dir + " row " + i);
                i++;
            }
        }
        assertEquals(labels.length, i, "rows in " + dir);
    }
}
