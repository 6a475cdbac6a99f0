package io.ember.ml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The executor-side pool of scoring networks is per application: broadcast ids restart with every SparkContext. */
class ScoringModelsTest {
    @Test
    void transform_inANewSparkContextOfTheSameJvm_usesItsOwnNetwork() {
        long[] ids = new long[2];
        int[] widths = {4, 6};
        for (int i = 0; i < 2; i++) {
            SparkSession spark = TestData.spark("ScoringModelsTest-" + i);
            try {
                Dataset<Row> data = rows(spark, widths[i]);
                EmberModel m = new EmberClassifier().setArchitecture("linear").setMaxEpochs(1).setNumWorkers(2)
                        .setSeed(1).fit(data);
                ids[i] = m.broadcast(spark.sparkContext()).id();
                // a network of another width under the same broadcast id would fail here ("expected input [..., 4]")
                List<Row> scored = m.transform(data).select("prediction").collectAsList();
                assertEquals(60, scored.size());
            } finally {
                spark.stop();
            }
        }
        assertEquals(ids[0], ids[1], "the two applications' model broadcasts share an id (the case tested)");
    }

    private static Dataset<Row> rows(SparkSession spark, int width) {
        Random r = new Random(width);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            float[] f = new float[width];
            for (int j = 0; j < width; j++) {
                f[j] = (float) r.nextGaussian() + (i % 2) * 3;
            }
            rows.add(RowFactory.create(f, (double) (i % 2)));
        }
        StructType schema = new StructType().add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("label", DataTypes.DoubleType);
        return spark.createDataFrame(rows, schema).repartition(2);
    }
}
