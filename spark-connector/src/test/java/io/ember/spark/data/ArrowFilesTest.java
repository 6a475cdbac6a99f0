package io.ember.spark.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.data.Batch;
import io.ember.data.DataLoader;
import io.ember.data.TensorDataset;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arrow IPC files in plain Java: files written with Arrow's own writer, read through the shared converter. */
class ArrowFilesTest {
    @TempDir
    Path dir;

    @AfterAll
    static void noLeaks() {
        assertEquals(0, ArrowMemory.root().getAllocatedMemory());
    }

    private static Schema schema() {
        return new Schema(List.of(
                new Field("x", FieldType.nullable(new ArrowType.List()), List.of(new Field("item",
                        FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)), null))),
                new Field("y", FieldType.nullable(new ArrowType.Int(32, true)), null)));
    }

    /**
     * Writes record batches of rows (x = [r, -r, r/2], y = r % 3) in the IPC stream format; {@code bad} is the
     * global row to corrupt with {@code how} ("null", "nan", "short", "nullLabel"), or -1.
     */
    private static void writeStream(Path file, int[] batchSizes, int bad, String how, BufferAllocator a)
            throws Exception {
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema(), a);
             OutputStream out = Files.newOutputStream(file);
             ArrowStreamWriter w = new ArrowStreamWriter(root, null, out)) {
            w.start();
            int row = 0;
            for (int n : batchSizes) {
                ListVector x = (ListVector) root.getVector("x");
                IntVector y = (IntVector) root.getVector("y");
                x.clear();
                y.clear();
                y.allocateNew(n);
                UnionListWriter lw = x.getWriter();
                lw.allocate();
                for (int i = 0; i < n; i++, row++) {
                    lw.setPosition(i);
                    if (row == bad && how.equals("null")) {
                        lw.writeNull();
                    } else {
                        lw.startList();
                        int len = row == bad && how.equals("short") ? 2 : 3;
                        double[] v = {row, -row, row / 2.0};
                        if (row == bad && how.equals("nan")) {
                            v[2] = Double.NaN;
                        }
                        for (int j = 0; j < len; j++) {
                            lw.float8().writeFloat8(v[j]);
                        }
                        lw.endList();
                    }
                    if (row == bad && how.equals("nullLabel")) {
                        y.setNull(i);
                    } else {
                        y.set(i, row % 3);
                    }
                }
                lw.setValueCount(n);
                y.setValueCount(n);
                root.setRowCount(n);
                w.writeBatch();
            }
            w.end();
        }
    }

    @Test
    void dataset_streamFileThroughDataLoader_matchesWrittenValues() throws Exception {
        Path f = dir.resolve("a.arrows");
        try (BufferAllocator a = new RootAllocator()) {
            writeStream(f, new int[] {4, 0, 6}, -1, "", a);
        }
        TensorDataset ds = ArrowFiles.dataset(List.of(f), InputSpec.features("x", 3).label("y"));
        assertEquals(10, ds.size());
        DataLoader<List<Tensor>, Batch> loader = DataLoader.builder(ds).batchSize(4).build();
        int row = 0;
        for (Batch b : loader) {
            float[] x = b.get(0).data().toFloatArray();
            long[] y = b.get(1).data().toLongArray();
            for (int i = 0; i < y.length; i++, row++) {
                assertArrayEquals(new float[] {row, -row, row / 2f}, java.util.Arrays.copyOfRange(x, i * 3, i * 3 + 3));
                assertEquals(row % 3, y[i]);
            }
        }
        assertEquals(10, row);
    }

    @Test
    void read_badRows_errorNamesFileBatchRow_skipCounts() throws Exception {
        String[][] cases = {
            {"null", "column 'x' is null; expected 3 value(s)"},
            {"short", "column 'x' has 2 values; expected 3"},
            {"nan", "column 'x' element 2 is NaN"},
            {"nullLabel", "label column 'y' is null; expected a class index"}};
        for (String[] c : cases) {
            Path f = dir.resolve(c[0] + ".arrows");
            try (BufferAllocator a = new RootAllocator()) {
                writeStream(f, new int[] {3, 3}, 4, c[0], a);
            }
            InputSpec spec = InputSpec.features("x", 3).label("y");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrowFiles.read(f, spec));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertTrue(e.getMessage().contains("record batch 1, row 1"), e.getMessage());
            ArrowFiles.Result r = ArrowFiles.read(f, spec.onBadData(BadData.SKIP));
            assertEquals(1, r.skippedRows(), c[0]);
            assertEquals(5, r.batch().size());
            long[] y = r.batch().labels().toLongArray();
            assertArrayEquals(new long[] {0, 1, 2, 0, 2}, y, c[0]); // rows 0,1,2,3,5 (row 4 dropped)
        }
    }

    @Test
    void write_tensorBatch_readsBackEqual() {
        float[] f = new float[5 * 6];
        for (int i = 0; i < f.length; i++) {
            f[i] = i * 0.5f - 3;
        }
        long[] l = {4, 3, 2, 1, 0};
        TensorBatch b = new TensorBatch(NDArray.fromStorage(HostStorage.wrap(f), 5, 2, 3),
                NDArray.fromStorage(HostStorage.wrap(l), 5));
        Path p = dir.resolve("b.arrow");
        ArrowFiles.write(b, p);
        TensorBatch back = ArrowFiles.read(p, InputSpec.features("features", 2, 3).label("label")).batch();
        assertArrayEquals(new int[] {5, 2, 3}, back.features().shape().toArray());
        assertArrayEquals(f, back.features().toFloatArray());
        assertArrayEquals(l, back.labels().toLongArray());
        // a spec without a shape takes the list size from the file
        assertArrayEquals(new int[] {5, 6},
                ArrowFiles.read(p, InputSpec.features("features")).batch().features().shape().toArray());
    }

    @Test
    void converter_fixedSizeBinary_ownAllocatorReleasedAfterConversion() {
        RootAllocator allocator = new RootAllocator();
        Schema schema = new Schema(List.of(
                new Field("px", FieldType.notNullable(new ArrowType.FixedSizeBinary(3)), null),
                new Field("t", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE)),
                        null)));
        ArrowConverter.Chunk c;
        try (VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator)) {
            FixedSizeBinaryVector px = (FixedSizeBinaryVector) root.getVector("px");
            Float8Vector t = (Float8Vector) root.getVector("t");
            px.allocateNew(2);
            t.allocateNew(2);
            px.set(0, new byte[] {0, (byte) 128, (byte) 255});
            px.set(1, new byte[] {1, 2, 3});
            t.set(0, 0.5);
            t.set(1, -2);
            root.setRowCount(2);
            InputSpec spec = InputSpec.features("px", 3).regressionLabel("t").binaryScale(0.5f);
            c = new ArrowConverter(spec, "test").convert(root, r -> "row " + r, new long[1]);
        }
        assertArrayEquals(new float[] {0, 64, 127.5f, 0.5f, 1, 1.5f}, c.features());
        assertArrayEquals(new float[] {0.5f, -2f}, c.targets());
        assertEquals(0, allocator.getAllocatedMemory());
        assertDoesNotThrow(allocator::close);
    }
}
