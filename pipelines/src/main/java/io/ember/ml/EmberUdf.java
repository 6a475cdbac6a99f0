package io.ember.ml;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.nn.Module;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import java.io.Serial;
import java.util.Arrays;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Scoring from SQL: registers a saved (or fitted) {@link EmberModel} as a SQL function of one features value, which
 * returns the prediction (the class index as a double, or the regression value).
 *
 * <pre>{@code
 * EmberUdf.register(spark, "fashion_class", "hdfs:///models/fashion");
 * spark.sql("SELECT id, fashion_class(pixels) AS class FROM images");
 * spark.sql("SELECT fashion_class(array(x1, x2, x3)) FROM t");      // several columns: pass an array
 * }</pre>
 *
 * The argument may be an array of numbers, an ML Vector or a number, with the model's number of feature values; a
 * null argument gives null. The network travels to the executors once (a broadcast) and is built once per executor
 * and running task. This scores one row at a time; {@link EmberModel#transform}, which scores Arrow batches, is much
 * faster for large data.
 */
public final class EmberUdf {
    private EmberUdf() {
    }

    /** Loads the model saved at {@code modelPath} (any Hadoop path) and registers it as SQL function {@code name}. */
    public static void register(SparkSession spark, String name, String modelPath) {
        register(spark, name, EmberModel.read().session(spark).load(modelPath));
    }

    /** Registers {@code model} as SQL function {@code name}. */
    public static void register(SparkSession spark, String name, EmberModel model) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("EmberUdf.register: function name must be a SQL identifier"
                    + " (letters, digits, _), got '" + name + "'");
        }
        int[] shape = model.getFeatureShape();
        spark.udf().register(name, new Predict(name, model.broadcast(spark.sparkContext()), shape,
                model.classification()), DataTypes.DoubleType);
    }

    /** The SQL function's body. */
    static final class Predict implements UDF1<Object, Double> {
        @Serial
        private static final long serialVersionUID = 1L;

        private final String name;
        private final Broadcast<EmberModel.ModelFile> model;
        private final int[] shape;
        private final int[] batchShape;
        private final int width;
        private final boolean classification;

        Predict(String name, Broadcast<EmberModel.ModelFile> model, int[] shape, boolean classification) {
            this.name = name;
            this.model = model;
            this.shape = shape.clone();
            this.batchShape = new int[shape.length + 1];
            batchShape[0] = 1;
            System.arraycopy(shape, 0, batchShape, 1, shape.length);
            this.width = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            this.classification = classification;
        }

        @Override
        public Double call(Object value) {
            if (value == null) {
                return null;
            }
            float[] x = values(value);
            Module m = ScoringModels.borrow(model.id(), model::value);
            NDArray out;
            try (Autograd.Scope g = Autograd.noGrad()) {
                out = m.forward(Tensor.of(NDArray.fromStorage(HostStorage.wrap(x), batchShape))).data();
            } finally {
                ScoringModels.giveBack(model.id(), m);
            }
            NDArray[] r = ModelScorer.outputs(out, classification, false, false, true);
            return r[0].toDoubleArray()[0];
        }

        private float[] values(Object v) {
            float[] x = new float[width];
            int n;
            if (v instanceof Number num) {
                n = 1;
                if (width == 1) {
                    x[0] = num.floatValue();
                }
            } else if (v instanceof Vector vec) {
                n = vec.size();
                if (n == width) {
                    double[] d = vec.toArray();
                    for (int i = 0; i < n; i++) {
                        x[i] = (float) d[i];
                    }
                }
            } else if (v instanceof scala.collection.Seq<?> seq) {
                n = seq.length();
                if (n == width) {
                    for (int i = 0; i < n; i++) {
                        Object e = seq.apply(i);
                        if (!(e instanceof Number num)) {
                            throw new IllegalArgumentException(name + ": element " + i + " is " + e
                                    + "; expected a number");
                        }
                        x[i] = num.floatValue();
                    }
                }
            } else {
                throw new IllegalArgumentException(name + ": argument of type " + v.getClass().getName()
                        + " is not an array of numbers, an ML Vector or a number");
            }
            if (n != width) {
                throw new IllegalArgumentException(name + ": got " + n + " feature values; the model takes " + width
                        + " (shape " + Arrays.toString(shape) + ")");
            }
            for (int i = 0; i < width; i++) {
                if (!Float.isFinite(x[i])) {
                    throw new IllegalArgumentException(name + ": feature value " + i + " is " + x[i]
                            + "; expected a finite number");
                }
            }
            return x;
        }
    }
}
