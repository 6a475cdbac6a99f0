package io.ember.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    /** Appends {@code value}'s low {@code bytes} bytes, most significant first. */
    private static void be(ByteArrayOutputStream out, long value, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (value >>> (8 * i)) & 0xff);
        }
    }

    private static ByteArrayOutputStream header(int code, int... shape) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(0);
        out.write(code);
        out.write(shape.length);
        for (int d : shape) {
            be(out, d, 4);
        }
        return out;
    }

    private Path write(String name, byte[] bytes, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream os = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            os.write(bytes);
        }
        return p;
    }

    @Test
    void read_ubyte_naturalInt64() throws IOException {
        ByteArrayOutputStream f = header(0x08, 5);
        for (int v : new int[] {0, 1, 127, 128, 255}) {
            f.write(v);
        }
        NDArray a = IdxReader.read(write("u8.idx", f.toByteArray(), false));
        assertEquals(DType.INT64, a.dtype());
        assertArrayEquals(new int[] {5}, a.shape().toArray());
        assertArrayEquals(new long[] {0, 1, 127, 128, 255}, a.toLongArray());
    }

    @Test
    void read_signedByte_keepsSign() throws IOException {
        ByteArrayOutputStream f = header(0x09, 2, 2);
        for (int v : new int[] {0x80, 0xff, 0x00, 0x7f}) { // -128, -1, 0, 127
            f.write(v);
        }
        NDArray a = IdxReader.read(write("i8.idx", f.toByteArray(), false));
        assertArrayEquals(new int[] {2, 2}, a.shape().toArray());
        assertArrayEquals(new long[] {-128, -1, 0, 127}, a.toLongArray());
    }

    @Test
    void read_short_bigEndian() throws IOException {
        ByteArrayOutputStream f = header(0x0B, 4);
        for (int v : new int[] {-32768, -2, 300, 32767}) {
            be(f, v, 2);
        }
        assertArrayEquals(new long[] {-32768, -2, 300, 32767},
                IdxReader.read(write("i16.idx", f.toByteArray(), false)).toLongArray());
    }

    @Test
    void read_int_threeDims() throws IOException {
        ByteArrayOutputStream f = header(0x0C, 2, 1, 2);
        for (int v : new int[] {Integer.MIN_VALUE, -7, 65536, Integer.MAX_VALUE}) {
            be(f, v, 4);
        }
        NDArray a = IdxReader.read(write("i32.idx", f.toByteArray(), false));
        assertArrayEquals(new int[] {2, 1, 2}, a.shape().toArray());
        assertArrayEquals(new long[] {Integer.MIN_VALUE, -7, 65536, Integer.MAX_VALUE}, a.toLongArray());
        assertEquals(65536, a.getLong(1, 0, 0));
    }

    @Test
    void read_float_naturalFloat32() throws IOException {
        ByteArrayOutputStream f = header(0x0D, 3);
        float[] v = {1.5f, -0.25f, 3e38f};
        for (float x : v) {
            be(f, Float.floatToIntBits(x), 4);
        }
        NDArray a = IdxReader.read(write("f32.idx", f.toByteArray(), false));
        assertEquals(DType.FLOAT32, a.dtype());
        assertArrayEquals(v, a.toFloatArray());
    }

    @Test
    void read_double_naturalFloat64() throws IOException {
        ByteArrayOutputStream f = header(0x0E, 3);
        double[] v = {Math.PI, -1e300, 0.1};
        for (double x : v) {
            be(f, Double.doubleToLongBits(x), 8);
        }
        NDArray a = IdxReader.read(write("f64.idx", f.toByteArray(), false));
        assertEquals(DType.FLOAT64, a.dtype());
        assertArrayEquals(v, a.toDoubleArray(), 0);
    }

    @Test
    void readFloat_gzippedImages_dividedLikeFashionMnist() throws IOException {
        int n = 2;
        int rows = 2;
        int cols = 3;
        ByteArrayOutputStream f = header(0x08, n, rows, cols);
        int[] px = {0, 51, 102, 153, 204, 255, 1, 2, 3, 254, 128, 7};
        for (int p : px) {
            f.write(p);
        }
        Path p = write("images-idx3-ubyte.gz", f.toByteArray(), true);
        NDArray a = IdxReader.readFloat(p, 255f);
        assertEquals(DType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {2, 2, 3}, a.shape().toArray());
        float[] expected = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            expected[i] = px[i] / 255f;
        }
        assertArrayEquals(expected, a.toFloatArray(), 0f);
        assertArrayEquals(new long[] {0, 51, 102, 153, 204, 255, 1, 2, 3, 254, 128, 7},
                IdxReader.read(p).toLongArray(), "gzip told apart by its bytes, not its name");
        // the Fashion-MNIST layout [n, 784] is a view away
        assertArrayEquals(new int[] {2, 6}, a.reshape(n, rows * cols).shape().toArray());
    }

    @Test
    void read_withDtype_converts() throws IOException {
        ByteArrayOutputStream f = header(0x0C, 3);
        for (int v : new int[] {-3, 0, 5}) {
            be(f, v, 4);
        }
        Path p = write("i32.idx", f.toByteArray(), false);
        assertArrayEquals(new double[] {-3, 0, 5}, IdxReader.read(p, DType.FLOAT64).toDoubleArray(), 0);
        assertArrayEquals(new boolean[] {true, false, true}, IdxReader.read(p, DType.BOOL).toBooleanArray());
        assertArrayEquals(new float[] {-3, 0, 5},
                IdxReader.read(new ByteArrayInputStream(f.toByteArray()), "mem", DType.FLOAT32).toFloatArray(), 0f);
    }

    @Test
    void read_badMagic_failsClearly() throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        be(f, 0x00000A01, 4);
        be(f, 1, 4);
        f.write(0);
        Path p = write("bad.idx", f.toByteArray(), false);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertEquals("IdxReader: " + p + ": bad magic number 0x00000A01, expected 0x0000TTNN with type code TT one of "
                + "08, 09, 0B, 0C, 0D, 0E and NN >= 1 dimensions", e.getMessage());
        Path text = write("text.csv", "a,b\n1,2\n".getBytes(), false);
        assertEquals("IdxReader: " + text + ": bad magic number 0x612C620A, expected 0x0000TTNN with type code TT one of "
                + "08, 09, 0B, 0C, 0D, 0E and NN >= 1 dimensions",
                assertThrows(IOException.class, () -> IdxReader.read(text)).getMessage());
    }

    @Test
    void read_truncatedData_namesExpectedAndFoundBytes() throws IOException {
        ByteArrayOutputStream f = header(0x08, 2, 3); // 12 header bytes + 6 data bytes
        for (int i = 0; i < 4; i++) {
            f.write(i);
        }
        Path p = write("short.idx", f.toByteArray(), false);
        IOException e = assertThrows(IOException.class, () -> IdxReader.read(p));
        assertEquals("IdxReader: " + p + ": file truncated: expected 18 bytes (12 header + 6 data for ubyte [2, 3]), "
                + "found 16", e.getMessage());
        Path gz = write("short.idx.gz", f.toByteArray(), true);
        assertEquals("IdxReader: " + gz + ": file truncated: expected 18 bytes (12 header + 6 data for ubyte [2, 3]), "
                + "found 16 (after gunzip)", assertThrows(IOException.class, () -> IdxReader.read(gz)).getMessage());
    }

    @Test
    void read_truncatedHeaderOrEmpty_failsClearly() throws IOException {
        ByteArrayOutputStream f = header(0x0D, 2, 3);
        byte[] cut = java.util.Arrays.copyOf(f.toByteArray(), 9);
        Path p = write("cut.idx", cut, false);
        assertEquals("IdxReader: " + p + ": file truncated: expected 12 header bytes for 2 dimensions, found 9",
                assertThrows(IOException.class, () -> IdxReader.read(p)).getMessage());
        Path empty = write("empty.idx", new byte[0], false);
        assertEquals("IdxReader: " + empty + ": file truncated: expected a 4-byte magic number, found 0 bytes",
                assertThrows(IOException.class, () -> IdxReader.read(empty)).getMessage());
    }

    @Test
    void read_largerThanOneChunk_readsAll() throws IOException {
        int n = 40_000; // more than the reader's 16 Ki-element chunk
        ByteArrayOutputStream f = header(0x0B, n);
        for (int i = 0; i < n; i++) {
            be(f, (i * 7) % 30000 - 15000, 2);
        }
        long[] got = IdxReader.read(write("big.idx", f.toByteArray(), false)).toLongArray();
        for (int i = 0; i < n; i++) {
            assertEquals((i * 7) % 30000 - 15000, got[i], "element " + i);
        }
    }
}
