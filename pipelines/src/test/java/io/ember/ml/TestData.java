package io.ember.ml;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Local SparkSessions and small synthetic data sets for the stage tests. */
final class TestData {
    private TestData() {
    }

    static SparkSession spark(String name) {
        SparkSession s = SparkSession.builder()
                .master("local[2]")
                .appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }

    static final double[][] CENTERS = {{2, 0, 0, 1}, {-2, 1, 0, -1}, {0, -2, 2, 0}};

    /**
     * Three Gaussian blobs in 4-D (sd 0.5, centres far apart): {@code features} array<float>, {@code vec} ML Vector
     * (same values), {@code x0..x3} doubles, {@code label} double 0..2, {@code name} the class as a string, {@code id}.
     */
    static Dataset<Row> blobs(SparkSession spark, int n, long seed, int partitions) {
        Random r = new Random(seed);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(CENTERS.length);
            float[] f = new float[4];
            Object[] vals = new Object[11];
            double[] d = new double[4];
            for (int j = 0; j < 4; j++) {
                f[j] = (float) (CENTERS[c][j] + 0.5 * r.nextGaussian());
                d[j] = f[j];
            }
            List<Float> fl = new ArrayList<>();
            for (float v : f) {
                fl.add(v);
            }
            vals[0] = (long) i;
            vals[1] = fl.toArray(new Float[0]);
            vals[2] = Vectors.dense(d);
            for (int j = 0; j < 4; j++) {
                vals[3 + j] = d[j];
            }
            vals[7] = (double) c;
            vals[8] = new String[] {"coat", "dress", "shirt"}[c];
            vals[9] = c == 0 ? 1.0 : 0.0;                       // binary label: class 0 or not
            vals[10] = 2 * d[0] - d[1] + 0.5 * d[2] + 1;        // regression target, exactly linear
            rows.add(RowFactory.create(vals));
        }
        StructType schema = new StructType()
                .add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false))
                .add("vec", new VectorUDT())
                .add("x0", DataTypes.DoubleType).add("x1", DataTypes.DoubleType)
                .add("x2", DataTypes.DoubleType).add("x3", DataTypes.DoubleType)
                .add("label", DataTypes.DoubleType)
                .add("name", DataTypes.StringType)
                .add("isCoat", DataTypes.DoubleType)
                .add("y", DataTypes.DoubleType);
        Dataset<Row> df = spark.createDataFrame(rows, schema);
        return partitions == 2 ? df : df.repartition(partitions);
    }

    static double[] values(Row r, String vectorCol) {
        Vector v = r.getAs(vectorCol);
        return v.toArray();
    }
}
