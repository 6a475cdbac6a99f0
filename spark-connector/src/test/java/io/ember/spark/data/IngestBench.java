package io.ember.spark.data;

import io.ember.data.IdxReader;
import io.ember.tensor.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throwaway measurement (tag "full"): ingestion rows/s against the floor (reading every value of the cached
 * frame's internal rows) for array&lt;float&gt; and Vector columns of 784 values, 60k Fashion-MNIST rows, local[2].
 * Prints {@code name=value} lines. Not a test of speed: it asserts nothing about it.
 */
@Tag("full")
class IngestBench {
    @Test
    void bench() throws Exception {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        Assumptions.assumeTrue(Files.isDirectory(dir), "no Fashion-MNIST at " + dir);
        NDArray images = IdxReader.readFloat(dir.resolve("train-images-idx3-ubyte.gz"), 255f);
        NDArray labels = IdxReader.read(dir.resolve("train-labels-idx1-ubyte.gz"));
        int n = images.size(0);
        float[] px = images.contiguous().toFloatArray();
        long[] y = labels.toLongArray();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Float[] a = new Float[784];
            double[] d = new double[784];
            for (int j = 0; j < 784; j++) {
                a[j] = px[i * 784 + j];
                d[j] = px[i * 784 + j];
            }
            rows.add(RowFactory.create(a, Vectors.dense(d), (int) y[i]));
        }
        SparkSession spark = SparkSession.builder().master("local[2]").appName("IngestBench")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.memory", "3g").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        try {
            StructType schema = new StructType().add("arr", DataTypes.createArrayType(DataTypes.FloatType))
                    .add("vec", new VectorUDT()).add("label", DataTypes.IntegerType);
            Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(2).cache();
            rows = null;
            System.out.println("rows=" + df.count());
            for (String col : new String[] {"arr", "vec"}) {
                InputSpec spec = InputSpec.features(col, 1, 28, 28).label("label");
                double floor = 0;
                double ingest = 0;
                for (int rep = 0; rep < 5; rep++) {
                    long t0 = System.nanoTime();
                    long f = SparkTensors.readFloor(df, spec);
                    long t1 = System.nanoTime();
                    long c = SparkTensors.partitions(df, spec).map(TensorBatch::size).reduce(Integer::sum);
                    long t2 = System.nanoTime();
                    if (f != n || c != n) {
                        throw new AssertionError("rows read " + f + " / " + c + ", expected " + n);
                    }
                    if (rep >= 2) { // after warm-up, best of the rest
                        floor = Math.max(floor, n / ((t1 - t0) / 1e9));
                        ingest = Math.max(ingest, n / ((t2 - t1) / 1e9));
                    }
                }
                System.out.printf("%s.ingest_floor_rps=%.0f%n%s.ingest_rps=%.0f%n%s.ratio=%.2f%n", col, floor, col,
                        ingest, col, ingest / floor);
            }
        } finally {
            spark.stop();
        }
    }
}
