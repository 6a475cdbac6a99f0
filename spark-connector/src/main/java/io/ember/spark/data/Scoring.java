package io.ember.spark.data;

import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import java.util.Arrays;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * One partition's scoring for {@link SparkTensors#score}, batch by batch: the rows' features are written into an
 * Arrow batch ({@link RowsToArrow}), converted and checked ({@link ArrowConverter}), scored, and the scorer's arrays
 * checked against the output columns. Its Arrow memory is a child allocator of the task, released at the end of
 * the input or when the task ends, whichever comes first. Holds no Spark-internal types: {@link SparkInternals}
 * holds the rows and appends the outputs.
 */
final class Scoring implements SparkInternals.Batches {
    /** Bytes of features per Arrow block (see {@link #blockRows}). */
    static final long BLOCK_BYTES = 256 << 10;

    private final OutputColumn[] outputs;
    private final BatchScorer scorer;
    private final int partition;
    private final int[] exampleShape;
    private final BufferAllocator allocator;
    private final RowsToArrow writer;
    private final ArrowConverter converter;
    private final long[] skipped = {0};
    private final int width;
    private final boolean[] dropped;
    private final float[] block;
    private final int maxFeatures;
    private float[] features; // grows up to batchRows rows: a small partition needs no full batch
    private final int[] index;
    private boolean closed;

    Scoring(SparkSchema.Plan plan, OutputColumn[] outputs, BatchScorer scorer, int partition) {
        this.outputs = outputs;
        this.scorer = scorer;
        this.partition = partition;
        InputSpec spec = plan.spec();
        this.exampleShape = spec.exampleShape();
        this.width = spec.exampleSize();
        int blockRows = blockRows(spec.batchRows(), width);
        this.dropped = new boolean[blockRows];
        this.block = new float[Math.multiplyExact(blockRows, width)];
        this.maxFeatures = Math.multiplyExact(spec.batchRows(), width);
        this.features = new float[block.length];
        this.index = new int[spec.batchRows()];
        this.allocator = ArrowMemory.child("ember-score-" + partition, spec.allocatorLimit());
        try {
            this.writer = new RowsToArrow(plan, allocator, partition, skipped, RowsToArrow.SCORE_SOURCE, blockRows);
        } catch (RuntimeException | Error e) {
            allocator.close();
            throw e;
        }
        this.converter = new ArrowConverter(spec, RowsToArrow.SCORE_SOURCE);
        TaskContext task = TaskContext.get();
        if (task != null) {
            // releases the Arrow memory however the task ends (failure, kill, a consumer that stops early)
            task.addTaskCompletionListener((TaskCompletionListener) ctx -> close());
        }
    }

    /**
     * Rows per Arrow record batch: a scorer's batch is written and converted in blocks of about
     * {@value #BLOCK_BYTES} bytes of features, so that each block is read back while it is still in the cache
     * (a whole batch of 4096 rows of 784 floats is 12.5 MiB, beyond it; measured: 15% less CPU per row there).
     */
    static int blockRows(int batchRows, int width) {
        return (int) Math.max(1, Math.min(batchRows, BLOCK_BYTES / (4L * width)));
    }

    @Override
    public SparkInternals.Outputs next(RowCursor rows) throws Exception {
        int count = 0; // input rows of this batch so far (the cursor ends after batchRows of them)
        int kept = 0; // rows to score so far
        long base = writer.rowsRead();
        while (writer.fill(rows)) {
            int written = writer.root().getRowCount();
            ArrowConverter.Chunk chunk = converter.convert(writer.root(), writer.locator(), skipped, dropped, block,
                    writer.allFinite());
            long read = writer.rowsRead();
            Arrays.fill(index, count, (int) (read - base), -1);
            int k = kept;
            for (int r = 0; r < written; r++) {
                if (!dropped[r]) {
                    index[(int) (writer.rowId(r) - base)] = k++;
                }
            }
            int end = (kept + chunk.rows()) * width;
            if (end > features.length) {
                features = Arrays.copyOf(features, (int) Math.min(maxFeatures, Math.max(end, 2L * features.length)));
            }
            System.arraycopy(chunk.features(), 0, features, kept * width, chunk.rows() * width);
            kept += chunk.rows();
            count = (int) (read - base);
        }
        if (count == 0) {
            close();
            return null;
        }
        Object[] columns = new Object[outputs.length];
        if (kept > 0) {
            score(kept, columns);
        }
        return new SparkInternals.Outputs(index, columns);
    }

    private void score(int n, Object[] columns) throws Exception {
        // the first n rows of the (possibly larger) feature array, as a view
        int[] shape = new int[exampleShape.length + 1];
        shape[0] = features.length / width;
        System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
        NDArray x = NDArray.fromStorage(HostStorage.wrap(features), shape).narrow(0, 0, n);
        NDArray[] result = scorer.score(x);
        if (result == null || result.length != outputs.length) {
            throw new IllegalStateException(RowsToArrow.SCORE_SOURCE + ": the scorer returned "
                    + (result == null ? "null" : result.length + " array(s)") + " for " + outputs.length
                    + " output column(s) " + Arrays.toString(outputs) + " (partition " + partition + ")");
        }
        for (int c = 0; c < outputs.length; c++) {
            columns[c] = column(outputs[c], result[c], n);
        }
    }

    /** The scorer's array for output {@code c}, checked, as double[] (DOUBLE, VECTOR) or float[] (FLOAT_ARRAY). */
    private Object column(OutputColumn c, NDArray a, int n) {
        int[] s = a == null ? null : a.shape().toArray();
        boolean ok = s != null && s.length >= 1 && s[0] == n && (c.kind() == OutputColumn.Kind.DOUBLE
                ? s.length == 1 || (s.length == 2 && s[1] == 1)
                : s.length == 2 && s[1] == c.width());
        if (!ok) {
            String expected = c.kind() == OutputColumn.Kind.DOUBLE ? "[" + n + "] or [" + n + ", 1]"
                    : "[" + n + ", " + c.width() + "]";
            throw new IllegalStateException(RowsToArrow.SCORE_SOURCE + ": output column '" + c.name() + "' ("
                    + c + ") needs an array of shape " + expected + " from the scorer, got "
                    + (a == null ? "null" : Arrays.toString(s)) + " (partition " + partition + ")");
        }
        return c.kind() == OutputColumn.Kind.FLOAT_ARRAY ? a.toFloatArray() : a.toDoubleArray();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                writer.close();
            } finally {
                allocator.close();
            }
        }
    }
}
