package io.ember.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.ember.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trainer's contract: array<float> features plus a class label, one batch per partition. */
class SparkTensorsTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("SparkTensorsTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static Dataset<Row> arrayFrame(int rows, int width, int partitions) {
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            float[] f = new float[width];
            for (int j = 0; j < width; j++) {
                f[j] = i * 0.5f - j * 0.25f;
            }
            data.add(RowFactory.create(box(f), i % 3));
        }
        StructType schema = new StructType()
                .add("x", DataTypes.createArrayType(DataTypes.FloatType))
                .add("y", DataTypes.IntegerType);
        return spark.createDataFrame(data, schema).repartition(partitions);
    }

    static Float[] box(float[] f) {
        Float[] b = new Float[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = f[i];
        }
        return b;
    }

    @Test
    void partitions_arrayOfFloatWithLabel_oneBatchPerPartitionMatchingRows() {
        Dataset<Row> df = arrayFrame(50, 6, 3).cache();
        InputSpec spec = InputSpec.features("x", 2, 3).label("y").batchRows(7);
        JavaRDD<TensorBatch> rdd = SparkTensors.partitions(df, spec);
        List<TensorBatch> batches = rdd.collect();
        assertEquals(3, batches.size());
        // reference: each partition's rows through the public Row API
        List<List<Row>> parts = df.javaRDD().glom().collect();
        for (int p = 0; p < 3; p++) {
            TensorBatch b = batches.get(p);
            List<Row> rows = parts.get(p);
            assertEquals(rows.size(), b.size());
            assertArrayEquals(new int[] {rows.size(), 2, 3}, b.features().shape().toArray());
            assertEquals(DType.FLOAT32, b.features().dtype());
            assertEquals(DType.INT64, b.labels().dtype());
            float[] f = b.features().toFloatArray();
            long[] l = b.labels().toLongArray();
            for (int r = 0; r < rows.size(); r++) {
                List<Float> x = rows.get(r).getList(0);
                for (int j = 0; j < 6; j++) {
                    assertEquals(x.get(j), f[r * 6 + j], 0f);
                }
                assertEquals(rows.get(r).getInt(1), l[r]);
            }
        }
        assertEquals(0, ArrowMemory.root().getAllocatedMemory());
    }

    @Test
    void partitions_emptyPartitions_giveEmptyBatches() {
        Dataset<Row> df = arrayFrame(2, 4, 1).repartition(4);
        List<TensorBatch> batches = SparkTensors.partitions(df, InputSpec.features("x", 4)).collect();
        assertEquals(4, batches.size());
        int total = 0;
        for (TensorBatch b : batches) {
            total += b.size();
            assertEquals(4, b.features().shape().get(1));
            assertNull(b.labels());
        }
        assertEquals(2, total);
    }
}
