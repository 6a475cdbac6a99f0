package io.ember.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The benchmark's DataFrames hold exactly the rows they were built from, in order, cached, one slice per core. */
class SparkFramesTest {
    private static SparkSession spark;
    private static final int N = 7;
    private static final int D = 5;
    private static NDArray x;
    private static NDArray y;

    @BeforeAll
    static void start() {
        spark = SparkBench.session(2);
        float[] px = new float[N * D];
        for (int i = 0; i < px.length; i++) {
            px[i] = i * 0.25f - 3f;
        }
        long[] labels = {3, 0, 9, 1, 1, 7, 2};
        x = NDArray.fromStorage(HostStorage.wrap(px), N, D);
        y = NDArray.fromStorage(HostStorage.wrap(labels), N);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void arrays_holdTheRowsInOrder_cachedInOnePartitionPerCore() {
        Dataset<Row> df = new SparkFrames(spark, x, y).arrays();
        assertEquals(2, df.rdd().getNumPartitions());
        assertTrue(df.storageLevel().useMemory(), "cached: " + df.storageLevel());
        List<Row> rows = df.collectAsList();
        assertEquals(N, rows.size());
        long[] labels = {3, 0, 9, 1, 1, 7, 2};
        for (int i = 0; i < N; i++) {
            List<Float> f = rows.get(i).getList(0);
            assertEquals(D, f.size());
            for (int j = 0; j < D; j++) {
                assertEquals((i * D + j) * 0.25f - 3f, f.get(j), "row " + i + " value " + j);
            }
            assertEquals(labels[i], rows.get(i).getInt(1), "label of row " + i);
        }
    }

    @Test
    void vectors_holdTheSameRowsAsDenseVectors() {
        Dataset<Row> df = new SparkFrames(spark, x, y).vectors();
        assertEquals("struct<features:vector,label:int>", df.schema().simpleString());
        List<Row> rows = df.collectAsList();
        assertEquals(N, rows.size());
        for (int i = 0; i < N; i++) {
            Vector v = (Vector) rows.get(i).get(0);
            assertEquals(D, v.size());
            for (int j = 0; j < D; j++) {
                assertEquals((i * D + j) * 0.25 - 3, v.apply(j), 0.0, "row " + i + " value " + j);
            }
        }
        assertEquals(2, rows.get(6).getInt(1));
    }
}
