package io.ember.ml;

import java.util.List;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML regressor that trains an Ember network with the distributed trainer: one output, a numeric label, loss
 * {@code mse} (or {@code l1}, {@code smoothL1}). The fitted {@link EmberModel} adds {@code prediction} (double), the
 * column Spark's RegressionEvaluator reads.
 *
 * <pre>{@code
 * EmberModel model = new EmberRegressor().setFeaturesCols(new String[] {"x1", "x2", "x3"}).setLabelCol("y")
 *         .setArchitecture("mlp:32").setMaxEpochs(20).fit(train);
 * double rmse = new RegressionEvaluator().setLabelCol("y").evaluate(model.transform(test));
 * }</pre>
 */
public final class EmberRegressor extends EmberEstimator<EmberRegressor> {
    public EmberRegressor() {
        this(Identifiable$.MODULE$.randomUID("emberRegressor"));
    }

    public EmberRegressor(String uid) {
        super(uid);
    }

    @Override
    List<String> losses() {
        return Architectures.REGRESSION_LOSSES;
    }

    @Override
    boolean classification() {
        return false;
    }

    @Override
    StructType outputSchema(StructType schema) {
        return Outputs.regression(getClass().getSimpleName(), schema, getPredictionCol());
    }

    @Override
    public EmberRegressor copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Reads an EmberRegressor saved with {@code write().save(path)}. */
    public static MLReader<EmberRegressor> read() {
        return new StagePersistence.ParamsReader<>(EmberRegressor.class, EmberRegressor::new);
    }

    public static EmberRegressor load(String path) {
        return read().load(path);
    }
}
