package io.ember.spark.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.TaskCompletionListener;

/**
 * DataFrame to tensor batches on the executors: each partition's rows are written into Arrow record batches
 * ({@link InputSpec#batchRows} rows each, in a per-task child of the executor's Arrow allocator, released when the
 * task ends), and each Arrow batch is converted to tensor rows by the same converter that reads Arrow IPC files
 * ({@link ArrowFiles}). The schema is checked on the driver before any job runs.
 *
 * <pre>{@code
 * InputSpec spec = InputSpec.features("pixels", 1, 28, 28).label("label");
 * JavaRDD<TensorBatch> batches = SparkTensors.partitions(df, spec);   // one batch per partition
 * }</pre>
 *
 * <p>{@link #score} goes the other way: it appends the outputs of a scorer, computed per Arrow batch on the
 * executors, to a DataFrame.
 */
public final class SparkTensors {
    private SparkTensors() {
    }

    /**
     * One {@link TensorBatch} per partition holding all of that partition's (valid) rows: features FLOAT32
     * {@code [n, ...shape]}, labels INT64 or FLOAT32 {@code [n]} or null; an empty partition gives {@code n = 0}.
     * Lazy: nothing runs until an action; not persisted (the caller persists).
     *
     * @throws IllegalArgumentException at once, naming the column, when a column is missing or has a type that
     *                                  cannot be read (the accepted types are listed on {@link InputSpec})
     */
    public static JavaRDD<TensorBatch> partitions(Dataset<Row> df, InputSpec spec) {
        return batches(df, plan(df, spec), null);
    }

    /**
     * Like {@link #partitions}, and counts the rows dropped under {@link BadData#SKIP} in a Spark accumulator
     * (registered on the session's SparkContext) that {@link Ingest#skippedRows()} reads after an action.
     */
    public static Ingest ingest(Dataset<Row> df, InputSpec spec) {
        SparkSchema.Plan plan = plan(df, spec);
        LongAccumulator skipped = df.sparkSession().sparkContext().longAccumulator("ember.skippedRows");
        return new Ingest(batches(df, plan, skipped), skipped);
    }

    /** The conversion job of {@link #partitions} and {@link #ingest}; {@code skipped} may be null. */
    private static JavaRDD<TensorBatch> batches(Dataset<Row> df, SparkSchema.Plan plan, LongAccumulator skipped) {
        return SparkInternals.mapPartitions(df, plan.selectedColumns(), (p, rows) -> convert(plan, p, rows, skipped));
    }

    /**
     * The spec completed against the DataFrame's schema (a scalar-only spec without a shape gets {@code [columns]}),
     * checked as {@link #partitions} checks it.
     */
    public static InputSpec resolve(Dataset<Row> df, InputSpec spec) {
        return plan(df, spec).spec();
    }

    /** Like {@link #resolve(Dataset, InputSpec)}, against a schema only (for Spark ML's transformSchema). */
    public static InputSpec resolve(StructType schema, InputSpec spec) {
        if (schema == null || spec == null) {
            throw new IllegalArgumentException("SparkTensors: schema or spec is null");
        }
        return SparkSchema.plan(schema, spec).spec();
    }

    /**
     * Batch scoring: {@code df} with the {@code outputs} appended after all of its own columns, computed on the
     * executors batch by batch. Each partition's rows are written, up to {@link InputSpec#batchRows} at a time,
     * straight from Spark's internal rows into an Arrow batch (no conversion to external {@code Row}s), converted to
     * FLOAT32 {@code [n, ...spec.exampleShape()]} and handed to {@code scorer}; its arrays fill the output columns.
     * Row order and every input column are kept. {@code spec} names the feature column(s) and the example shape as
     * for {@link #partitions} (its label, if any, is ignored). A bad row (a null, an array of the wrong length, NaN
     * or an infinity) fails the job under {@link BadData#ERROR}, naming the column, the partition and the row; under
     * {@link BadData#SKIP} it is kept, with null in every output column. Lazy: no job runs until an action (building
     * the plan of {@code df} may, as {@code df.rdd()} may, e.g. the sampling of a global sort).
     *
     * <pre>{@code
     * Broadcast<MyModel> model = ...;
     * Dataset<Row> scored = SparkTensors.score(df, InputSpec.features("pixels", 784),
     *         List.of(OutputColumn.vector("probability", 10), OutputColumn.scalar("prediction")),
     *         x -> model.value().predict(x));   // returns {probabilities [n, 10], classes [n]}
     * }</pre>
     *
     * @throws IllegalArgumentException at once, before any job: a missing or unreadable feature column, no output
     *                                  columns, an output name already in {@code df} or given twice, a null scorer
     */
    public static Dataset<Row> score(Dataset<Row> df, InputSpec spec, List<OutputColumn> outputs,
                                     BatchScorer scorer) {
        if (df == null || spec == null) {
            throw new IllegalArgumentException("SparkTensors.score: DataFrame or spec is null");
        }
        if (scorer == null) {
            throw new IllegalArgumentException("SparkTensors.score: scorer is null");
        }
        if (outputs == null || outputs.isEmpty()) {
            throw new IllegalArgumentException("SparkTensors.score: no output columns");
        }
        plan(df, spec.noLabel()); // the checks of partitions(), with their messages
        SparkSchema.Plan plan = SparkSchema.planFullRows(df.schema(), spec);
        boolean caseSensitive = Boolean.parseBoolean(df.sparkSession().conf().get("spark.sql.caseSensitive",
                "false"));
        OutputColumn[] out = new OutputColumn[outputs.size()];
        DataType[] types = new DataType[out.length];
        for (int i = 0; i < out.length; i++) {
            OutputColumn c = outputs.get(i);
            if (c == null) {
                throw new IllegalArgumentException("SparkTensors.score: output column " + i + " is null");
            }
            for (String existing : df.schema().fieldNames()) {
                if (caseSensitive ? existing.equals(c.name()) : existing.equalsIgnoreCase(c.name())) {
                    throw new IllegalArgumentException("SparkTensors.score: output column '" + c.name()
                            + "' is already a column of the DataFrame " + Arrays.toString(df.schema().fieldNames()));
                }
            }
            for (int j = 0; j < i; j++) {
                if (caseSensitive ? out[j].name().equals(c.name()) : out[j].name().equalsIgnoreCase(c.name())) {
                    throw new IllegalArgumentException("SparkTensors.score: output column '" + c.name()
                            + "' is given twice in " + outputs);
                }
            }
            out[i] = c;
            types[i] = SparkSchema.outputType(c);
        }
        return SparkInternals.appendColumns(df, out, types, plan.spec().batchRows(),
                p -> new Scoring(plan, out, scorer, p));
    }

    /**
     * Benchmark floor: reads every feature value of every row of {@code df} once, element by element through
     * Spark's internal rows (what any reader must at least do), and returns the number of rows read.
     */
    public static long readFloor(Dataset<Row> df, InputSpec spec) {
        return SparkInternals.readFloor(df, plan(df, spec));
    }

    /**
     * Exports the DataFrame's spec columns as Arrow IPC files (file format), one per partition
     * ({@code directory/part-00000.arrow}, ...), through the Hadoop FileSystem API (any Hadoop path: local, HDFS,
     * ...). Null values and arrays of the wrong length are handled by the spec's bad-data policy as in
     * {@link #partitions}; NaN, infinities and non-integral labels are written as they are and caught when the files
     * are read ({@link ArrowFiles}, same spec). Runs a job; returns the number of rows written.
     */
    public static long writeIpc(Dataset<Row> df, InputSpec spec, String directory) {
        SparkSchema.Plan plan = plan(df, spec);
        return SparkInternals.mapPartitions(df, plan.selectedColumns(),
                (p, rows) -> ArrowExport.writePartition(plan, p, rows, directory)).fold(0L, Long::sum);
    }

    private static SparkSchema.Plan plan(Dataset<Row> df, InputSpec spec) {
        if (df == null || spec == null) {
            throw new IllegalArgumentException("SparkTensors: DataFrame or spec is null");
        }
        SparkSchema.Plan plan = SparkSchema.plan(df.schema(), spec);
        long bytesPerRow = 0;
        for (ColumnPlan c : plan.features()) {
            bytesPerRow += c.kind == ColumnPlan.Kind.BINARY ? c.width : 4L * c.width;
        }
        long need = (bytesPerRow + 16) * plan.spec().batchRows() + (1 << 16);
        if (need > plan.spec().allocatorLimit()) {
            throw new IllegalArgumentException("SparkTensors: an Arrow batch of " + plan.spec().batchRows()
                    + " rows needs about " + need + " bytes, more than the allocator limit of "
                    + plan.spec().allocatorLimit() + "; lower batchRows or raise allocatorLimit");
        }
        return plan;
    }

    /** Runs on an executor: one partition's rows to one TensorBatch. */
    static TensorBatch convert(SparkSchema.Plan plan, int partition, RowCursor rows, LongAccumulator skippedAcc) {
        InputSpec spec = plan.spec();
        BufferAllocator allocator = ArrowMemory.child("ember-partition-" + partition, spec.allocatorLimit());
        TaskContext task = TaskContext.get();
        if (task != null) {
            // releases the task's Arrow memory however the task ends; closing twice is harmless
            task.addTaskCompletionListener((TaskCompletionListener) ctx -> allocator.close());
        }
        long[] skipped = {0};
        List<ArrowConverter.Chunk> chunks = new ArrayList<>();
        try (RowsToArrow writer = new RowsToArrow(plan, allocator, partition, skipped)) {
            ArrowConverter converter = new ArrowConverter(spec, RowsToArrow.SOURCE);
            while (writer.fill(rows)) {
                chunks.add(converter.convert(writer.root(), writer.locator(), skipped, null, null,
                        writer.allFinite()));
            }
        } finally {
            if (task == null) {
                allocator.close();
            }
        }
        if (skippedAcc != null && skipped[0] > 0) {
            skippedAcc.add(skipped[0]);
        }
        return Chunks.toBatch(chunks, spec);
    }

    /** An ingestion: the batches, and the count of rows skipped as bad. */
    public static final class Ingest {
        private final JavaRDD<TensorBatch> rdd;
        private final LongAccumulator skipped;

        Ingest(JavaRDD<TensorBatch> rdd, LongAccumulator skipped) {
            this.rdd = rdd;
            this.skipped = skipped;
        }

        /** One TensorBatch per partition, as {@link SparkTensors#partitions} gives. */
        public JavaRDD<TensorBatch> rdd() {
            return rdd;
        }

        /**
         * Rows skipped as bad so far, summed over the tasks that have run. Read it after an action; a partition
         * computed twice (e.g. an unpersisted RDD used by two actions) is counted twice.
         */
        public long skippedRows() {
            return skipped.value();
        }

        /** The accumulator behind {@link #skippedRows()}. */
        public LongAccumulator skippedAccumulator() {
            return skipped;
        }
    }
}
