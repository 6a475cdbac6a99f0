package io.ember.spark.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * A partition's rows written as one Arrow IPC file ({@code part-00003.arrow}) through the Hadoop FileSystem API,
 * in the layout {@link RowsToArrow} writes (one column per selected column, named as in the DataFrame), so that
 * {@link ArrowFiles} reads it back with the same spec.
 */
final class ArrowExport {
    private ArrowExport() {
    }

    /** Runs on an executor; returns the number of rows written. */
    static long writePartition(SparkSchema.Plan plan, int partition, RowCursor rows, String directory)
            throws IOException {
        InputSpec spec = plan.spec();
        BufferAllocator allocator = ArrowMemory.child("ember-export-" + partition, spec.allocatorLimit());
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) ctx -> allocator.close());
        }
        Path file = new Path(directory, String.format("part-%05d.arrow", partition));
        long written = 0;
        long[] skipped = {0};
        FileSystem fs = file.getFileSystem(new Configuration());
        try (OutputStream out = fs.create(file, true);
             RowsToArrow arrow = new RowsToArrow(plan, allocator, partition, skipped);
             ArrowFileWriter writer = new ArrowFileWriter(arrow.root(), null, Channels.newChannel(out))) {
            writer.start();
            while (arrow.fill(rows)) {
                writer.writeBatch();
                written += arrow.root().getRowCount();
            }
            writer.end();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (task == null) {
            allocator.close();
        }
        return written;
    }
}
