package io.ember.examples;

import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FashionMnistTest {

    /** The first image's bytes, decoded here without the reader: skip the 16-byte IDX header. */
    private static byte[] firstImageBytes(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file)))) {
            in.skipNBytes(16);
            byte[] b = new byte[784];
            in.readFully(b);
            return b;
        }
    }

    @Test
    void sample_loads_shapesDtypesAndPixelsMatchTheFile() throws IOException {
        FashionMnist d = FashionMnist.sample();
        assertArrayEquals(new int[] {6000, 784}, d.trainImages.shape().toArray());
        assertArrayEquals(new int[] {1000}, d.testLabels.shape().toArray());
        assertEquals(DType.FLOAT32, d.trainImages.dtype());
        assertEquals(DType.INT64, d.trainLabels.dtype());
        long[] labels = d.trainLabels.toLongArray();
        int[] counts = new int[10];
        for (long y : labels) {
            assertTrue(y >= 0 && y < 10, "label " + y);
            counts[(int) y]++;
        }
        for (int c : counts) {
            assertTrue(c > 400, "every class present in the sample");
        }
        byte[] raw = firstImageBytes(d.dir.resolve("train-images-idx3-ubyte.gz"));
        for (int i = 0; i < 784; i++) {
            assertEquals((raw[i] & 0xff) / 255.0, d.trainImages.getDouble(0, i), 1e-7, "pixel " + i);
        }
    }

    @Test
    void load_missingDirectory_namesTheFile() {
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load("/nonexistent/fmnist"));
        assertTrue(e.getMessage().contains("/nonexistent/fmnist/train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void rawMlp_oneEpochOnTheSample_learns() throws IOException {
        FashionMnist d = FashionMnist.sample();
        Generator g = new Generator(7);
        RawMlp model = new RawMlp(new int[] {784, 64, 10}, 1e-3, g);
        double before = model.accuracy(d.testImages, d.testLabels, 500);
        long[] order = NDArray.randperm(6000, g).toLongArray();
        double first = 0;
        double last = 0;
        int steps = 0;
        for (int s = 0; s + 64 <= 6000; s += 64, steps++) {
            NDArray idx = NDArray.of(java.util.Arrays.copyOfRange(order, s, s + 64));
            double loss = model.trainStep(d.trainImages.indexSelect(0, idx), d.trainLabels.indexSelect(0, idx));
            if (steps < 10) {
                first += loss / 10;
            }
            if (steps >= 83) {
                last += loss / 10;
            }
        }
        double after = model.accuracy(d.testImages, d.testLabels, 500);
        assertTrue(first > 1.5, "initial loss near ln(10), got " + first);
        assertTrue(last < 0.9 * first && last < 1.0, "loss fell from " + first + " to " + last);
        assertTrue(after > 0.7 && after > before + 0.4, "accuracy went from " + before + " to " + after);
    }
}
