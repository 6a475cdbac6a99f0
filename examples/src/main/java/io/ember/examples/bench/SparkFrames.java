package io.ember.examples.bench;

import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Fashion-MNIST as the DataFrames of the spark workload: {@code features} (array&lt;float&gt;, or an ML Vector as
 * MLlib needs) and {@code label} (int), built on the driver from the decoded images the way a user's
 * {@code createDataFrame} does, cached and counted (not timed).
 */
final class SparkFrames {
    static final StructType ARRAY_SCHEMA = new StructType()
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("label", DataTypes.IntegerType, false);
    static final StructType VECTOR_SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType(), false)
            .add("label", DataTypes.IntegerType, false);

    private final SparkSession spark;
    private final int n;
    private final int d;
    private final Broadcast<float[]> px;
    private final Broadcast<long[]> labels;

    /**
     * Images {@code x} [n, d] and labels {@code y} [n], broadcast once. The rows are made on the executors, one
     * slice of the images per partition: a frame made with {@code createDataFrame(List<Row>)} would keep its rows
     * in its partitions' lineage and ship them with every task of every later job, cached or not.
     */
    SparkFrames(SparkSession spark, NDArray x, NDArray y) {
        this.spark = spark;
        n = x.size(0);
        d = x.size(1);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        px = jsc.broadcast(x.contiguous().toFloatArray());
        labels = jsc.broadcast(y.toLongArray());
    }

    /** The rows as a cached array&lt;float&gt; frame, materialized. */
    Dataset<Row> arrays() {
        return build(false, 1);
    }

    /** The rows with the features as a dense ML Vector, cached and materialized. */
    Dataset<Row> vectors() {
        return build(true, 1);
    }

    /** The rows {@code repeat} times over (row i is image i mod n), as {@link #arrays()} or {@link #vectors()}. */
    Dataset<Row> repeated(boolean vector, int repeat) {
        return build(vector, repeat);
    }

    private Dataset<Row> build(boolean vector, int repeat) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int parts = jsc.defaultParallelism();
        List<Integer> slices = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            slices.add(p);
        }
        int n = this.n;
        long total = (long) n * repeat;
        int d = this.d;
        Broadcast<float[]> px = this.px;
        Broadcast<long[]> labels = this.labels;
        JavaRDD<Row> rows = jsc.parallelize(slices, parts).flatMap(p -> {
            int from = (int) (total * p / parts);
            int to = (int) (total * (p + 1) / parts);
            float[] all = px.value();
            long[] lab = labels.value();
            return rows(all, lab, d, n, from, to, vector);
        });
        return cached(spark.createDataFrame(rows, vector ? VECTOR_SCHEMA : ARRAY_SCHEMA));
    }

    /** Rows {@code [from, to)} made one at a time as Spark pulls them (a 600k-row frame would not fit as a list). */
    private static java.util.Iterator<Row> rows(float[] all, long[] lab, int d, int n, int from, int to,
                                                boolean vector) {
        return new java.util.Iterator<Row>() {
            private int r = from;

            @Override
            public boolean hasNext() {
                return r < to;
            }

            @Override
            public Row next() {
                int i = r++ % n;
                Object f;
                if (vector) {
                    double[] v = new double[d];
                    for (int j = 0; j < d; j++) {
                        v[j] = all[i * d + j];
                    }
                    f = Vectors.dense(v);
                } else {
                    f = Arrays.copyOfRange(all, i * d, (i + 1) * d);
                }
                return RowFactory.create(f, (int) lab[i]);
            }
        };
    }

    private static Dataset<Row> cached(Dataset<Row> df) {
        df.cache();
        long n = df.count();
        System.err.println("bench: cached " + n + " rows in " + df.rdd().getNumPartitions() + " partitions, "
                + df.schema().simpleString());
        return df;
    }
}
