package io.ember.spark.train;

import static io.ember.spark.train.TrainerTestData.assertSameState;
import static io.ember.spark.train.TrainerTestData.mlp;
import static io.ember.spark.train.TrainerTestData.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.nn.CrossEntropyLoss;
import io.ember.spark.data.BadData;
import io.ember.spark.data.InputSpec;
import io.ember.spark.data.TensorBatch;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The trainer fed from DataFrames through the Arrow ingestion path. */
class DataFrameTrainingTest {
    private static SparkSession spark;
    private static final InputSpec SPEC = InputSpec.features("features", TrainerTestData.FEATURES).label("label");

    @BeforeAll
    static void start() {
        spark = TrainerTestData.session("DataFrameTrainingTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** The batches' rows as a DataFrame with one partition per batch (features array<float>, label double). */
    private static Dataset<Row> frame(List<TensorBatch> parts, int badRowEvery) {
        List<Row> rows = new ArrayList<>();
        int seen = 0;
        for (TensorBatch b : parts) {
            float[] x = b.features().toFloatArray();
            long[] y = b.labels().toLongArray();
            for (int i = 0; i < b.size(); i++) {
                float[] r = new float[TrainerTestData.FEATURES];
                System.arraycopy(x, i * r.length, r, 0, r.length);
                if (badRowEvery > 0 && ++seen % badRowEvery == 0) {
                    r[3] = Float.NaN;
                }
                rows.add(RowFactory.create(r, (double) y[i]));
            }
        }
        StructType schema = new StructType()
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.DoubleType, false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, parts.size()), schema);
    }

    private static DistributedTrainer.Builder trainer() {
        return DistributedTrainer.builder().model(mlp(5)).loss(new CrossEntropyLoss())
                .optimizer(OptimizerSpec.adam(1e-2)).numWorkers(2).batchSize(16).stepsPerRound(3).epochs(2).seed(3);
    }

    @Test
    void fit_dataFrame_equalsFitOnTheSameTensorBatches() {
        List<TensorBatch> parts = List.of(rows(70, 1), rows(70, 2));
        TrainingResult fromFrame = trainer().build().fit(frame(parts, 0), SPEC);
        TrainingResult fromBatches = trainer().build().fit(TrainerTestData.rdd(spark, parts), null);
        assertSameState(fromBatches.model().stateDict(), fromFrame.model().stateDict(), 0);
        assertEquals(0, fromFrame.skippedRows());
    }

    @Test
    void fit_dataFrameWithOtherPartitionCount_isRepartitionedToTheWorkers() {
        Dataset<Row> df = frame(List.of(rows(40, 1), rows(40, 2), rows(40, 3)), 0);
        List<RoundStats> seen = new ArrayList<>();
        TrainingResult r = trainer().listener(seen::add).build().fit(df, SPEC);
        // 120 rows on 2 workers, batch 16: 4 steps per epoch, 8 steps in rounds of 3
        assertEquals(3, r.history().size());
        assertEquals(120 * 2, seen.stream().mapToLong(RoundStats::samples).sum());
    }

    @Test
    void fit_badRowsWithSkip_areCountedAndLeftOut() {
        // every 7th of 140 rows has a NaN feature: 20 rows skipped, 120 trained on. The count is exactly 20 after
        // 3 rounds: the rows were converted once and the tensor batches cached, not converted again each round
        TrainingResult r = trainer().build().fit(frame(List.of(rows(70, 1), rows(70, 2)), 7),
                SPEC.onBadData(BadData.SKIP));
        assertEquals(20, r.skippedRows());
        assertEquals(120 * 2, r.history().stream().mapToLong(RoundStats::samples).sum());
    }

    @Test
    void fit_badRowsByDefault_failNamingColumnAndRow() {
        Exception e = assertThrows(Exception.class,
                () -> trainer().build().fit(frame(List.of(rows(70, 1), rows(70, 2)), 7), SPEC));
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        // rows 6, 13, ... of each partition are bad; whichever partition's task fails first is reported
        assertTrue(java.util.regex.Pattern.compile("bad row at partition [01], row 6: column 'features' element 3"
                + " is NaN").matcher(all).find(), all::toString);
    }

    @Test
    void fit_specWithoutLabel_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> trainer().build()
                .fit(frame(List.of(rows(10, 1)), 0), InputSpec.features("features", TrainerTestData.FEATURES)));
        assertTrue(e.getMessage().startsWith("DistributedTrainer.fit: the InputSpec has no label column"),
                e.getMessage());
    }
}
