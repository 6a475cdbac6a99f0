package io.ember.spark.data;

import io.ember.data.TensorDataset;
import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Arrow IPC files as tensors, in plain Java (no Spark needed): reads files in the IPC file format or the stream
 * format with an {@link InputSpec}, through the same Arrow-to-tensor converter as {@link SparkTensors}, into one
 * {@link TensorBatch} or a {@link TensorDataset} for {@link io.ember.data.DataLoader}; and writes tensor batches as
 * IPC files. {@code SparkTensors.writeIpc} exports a DataFrame as such files, one per partition.
 *
 * <pre>{@code
 * TensorDataset ds = ArrowFiles.dataset(ArrowFiles.list(dir), InputSpec.features("pixels", 784).label("label"));
 * DataLoader<List<Tensor>, Batch> loader = DataLoader.builder(ds).batchSize(64).shuffle(true).build();
 * }</pre>
 */
public final class ArrowFiles {
    private static final byte[] FILE_MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

    private ArrowFiles() {
    }

    /** The rows read, and how many were skipped as bad (under {@link BadData#SKIP}). */
    public record Result(TensorBatch batch, long skippedRows) {
        /** The rows as a dataset: features, then labels when there are any. */
        public TensorDataset dataset() {
            return batch.labels() == null ? TensorDataset.of(batch.features())
                    : TensorDataset.of(batch.features(), batch.labels());
        }
    }

    /** The {@code .arrow}, {@code .arrows} and {@code .ipc} files in {@code dir}, sorted by name. */
    public static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".arrow") || n.endsWith(".arrows") || n.endsWith(".ipc");
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("ArrowFiles.list: cannot list " + dir, e);
        }
    }

    /** The rows of the files as a dataset (features, and labels if the spec has a label column). */
    public static TensorDataset dataset(List<Path> files, InputSpec spec) {
        return read(files, spec).dataset();
    }

    /** Reads one file (IPC file or stream format). */
    public static Result read(Path file, InputSpec spec) {
        return read(List.of(file), spec);
    }

    /** Reads the files' record batches, in order, into one batch. */
    public static Result read(List<Path> files, InputSpec spec) {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("ArrowFiles.read: no files");
        }
        List<ArrowConverter.Chunk> chunks = new ArrayList<>();
        long[] skipped = {0};
        InputSpec resolved = null;
        try (BufferAllocator allocator = ArrowMemory.child("ember-ipc-read", spec.allocatorLimit())) {
            for (Path file : files) {
                try (ArrowReader reader = open(file, allocator)) {
                    VectorSchemaRoot root = reader.getVectorSchemaRoot();
                    if (resolved == null) {
                        resolved = resolve(spec, root.getSchema(), file);
                    }
                    ArrowConverter converter = new ArrowConverter(resolved, "ArrowFiles");
                    int batch = 0;
                    while (reader.loadNextBatch()) {
                        int b = batch++;
                        chunks.add(converter.convert(root, r -> "file " + file + ", record batch " + b + ", row " + r,
                                skipped));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("ArrowFiles.read: cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        }
        return new Result(Chunks.toBatch(chunks, resolved), skipped[0]);
    }

    private static ArrowReader open(Path file, BufferAllocator allocator) throws IOException {
        byte[] head = new byte[FILE_MAGIC.length];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            if (n == head.length && Arrays.equals(head, FILE_MAGIC)) {
                SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ);
                return new ArrowFileReader(ch, allocator);
            }
        }
        return new ArrowStreamReader(new BufferedInputStream(Files.newInputStream(file), 1 << 16), allocator);
    }

    /** The spec with its shape filled in from the Arrow schema when it declares none. */
    static InputSpec resolve(InputSpec spec, Schema schema, Path file) {
        if (spec.declaredShape() != null) {
            return spec;
        }
        int width = 0;
        for (String c : spec.featureColumns()) {
            Field f;
            try {
                f = schema.findField(c);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ArrowFiles: no feature column '" + c + "' in " + file
                        + "; its columns are " + schema.getFields().stream().map(Field::getName).toList());
            }
            if (f.getType() instanceof ArrowType.FixedSizeList l) {
                width += l.getListSize();
            } else if (f.getType() instanceof ArrowType.FixedSizeBinary b) {
                width += b.getByteWidth();
            } else if (f.getType() instanceof ArrowType.Int || f.getType() instanceof ArrowType.FloatingPoint) {
                width += 1;
            } else {
                throw new IllegalArgumentException(spec.noShape());
            }
        }
        return spec.withShape(new int[] {width});
    }

    /**
     * Writes a batch as an IPC file: features flattened as a fixed-size list of float32 named {@code features}, and
     * the labels (int64 or float32) named {@code label}. Read it back with
     * {@code InputSpec.features("features", shape...).label("label")} (or {@code regressionLabel}).
     */
    public static void write(TensorBatch batch, Path file) {
        NDArray features = batch.features();
        if (features.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("ArrowFiles.write: features must be FLOAT32, got " + features.dtype());
        }
        int n = batch.size();
        int width = 1;
        for (int d = 1; d < features.shape().rank(); d++) {
            width *= features.shape().get(d);
        }
        NDArray labels = batch.labels();
        List<Field> fields = new ArrayList<>();
        FieldType f32 = FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
        fields.add(new Field("features", FieldType.notNullable(new ArrowType.FixedSizeList(width)),
                List.of(new Field("item", f32, null))));
        if (labels != null) {
            if (labels.dtype() == DType.INT64) {
                fields.add(new Field("label", FieldType.notNullable(new ArrowType.Int(64, true)), null));
            } else if (labels.dtype() == DType.FLOAT32) {
                fields.add(new Field("label", f32, null));
            } else {
                throw new IllegalArgumentException("ArrowFiles.write: labels must be INT64 or FLOAT32, got "
                        + labels.dtype());
            }
        }
        float[] f = features.contiguous().toFloatArray();
        try (BufferAllocator allocator = ArrowMemory.child("ember-ipc-write", Long.MAX_VALUE);
             VectorSchemaRoot root = VectorSchemaRoot.create(new Schema(fields), allocator);
             FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING);
             ArrowFileWriter writer = new ArrowFileWriter(root, null, ch)) {
            FixedSizeListVector fv = (FixedSizeListVector) root.getVector("features");
            fv.setInitialCapacity(n);
            fv.allocateNew();
            Float4Vector child = (Float4Vector) fv.getDataVector();
            for (int r = 0; r < n; r++) {
                fv.setNotNull(r);
            }
            ByteBuffer bb = ByteBuffer.allocate(4 * f.length).order(ByteOrder.LITTLE_ENDIAN);
            bb.asFloatBuffer().put(f);
            child.getDataBuffer().setBytes(0, bb);
            if (f.length > 0) {
                child.getValidityBuffer().setOne(0L, (f.length + 7) / 8);
            }
            if (labels != null) {
                if (labels.dtype() == DType.INT64) {
                    BigIntVector lv = (BigIntVector) root.getVector("label");
                    long[] l = labels.contiguous().toLongArray();
                    lv.allocateNew(n);
                    for (int r = 0; r < n; r++) {
                        lv.set(r, l[r]);
                    }
                } else {
                    Float4Vector lv = (Float4Vector) root.getVector("label");
                    float[] l = labels.contiguous().toFloatArray();
                    lv.allocateNew(n);
                    for (int r = 0; r < n; r++) {
                        lv.set(r, l[r]);
                    }
                }
            }
            fv.setValueCount(n);
            root.setRowCount(n);
            writer.start();
            writer.writeBatch();
            writer.end();
        } catch (IOException e) {
            throw new UncheckedIOException("ArrowFiles.write: cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
