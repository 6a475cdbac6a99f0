package io.ember.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** A file built by hand: 8-byte little-endian header length, the header JSON (padded or not), the data. */
    private static byte[] file(String header, boolean pad, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int n = pad ? (h.length + 7) / 8 * 8 : h.length;
        ByteBuffer b = ByteBuffer.allocate(8 + n + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(n).put(h);
        for (int i = h.length; i < n; i++) {
            b.put((byte) ' ');
        }
        return b.put(data).array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private SafeTensors.Contents readBytes(byte[] bytes) throws IOException {
        Path p = Files.write(dir.resolve("f.safetensors"), bytes);
        SafeTensors.Contents fromPath = SafeTensors.read(p);
        SafeTensors.Contents fromStream = SafeTensors.read(new ByteArrayInputStream(bytes));
        assertEquals(fromPath.tensors().keySet(), fromStream.tensors().keySet());
        return fromPath;
    }

    private IllegalArgumentException readFails(byte[] bytes) throws IOException {
        Path p = Files.write(dir.resolve("bad.safetensors"), bytes);
        return assertThrows(IllegalArgumentException.class, () -> SafeTensors.read(p));
    }

    @Test
    void read_handBuiltFile_givesValuesInHeaderOrder() throws IOException {
        // header lists b before a although a's bytes come first
        String header = "{\"__metadata__\":{\"who\":\"hand\"},"
                + "\"b\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[16,40]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},"
                + "\"c\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[40,42]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[42,50]},"
                + "\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[50,50]}}";
        ByteBuffer data = le(50);
        data.putFloat(1.5f).putFloat(-2f).putFloat(0.25f).putFloat(1e-3f);
        data.putLong(7).putLong(-1).putLong(Long.MAX_VALUE);
        data.put((byte) 1).put((byte) 0);
        data.putDouble(Math.PI);
        for (boolean pad : new boolean[] {true, false}) {
            SafeTensors.Contents c = readBytes(file(header, pad, data.array()));
            assertEquals(List.of("b", "a", "c", "d", "e"), List.copyOf(c.tensors().keySet()));
            assertEquals(Map.of("who", "hand"), c.metadata());
            NDArray a = c.tensors().get("a");
            assertEquals(DType.FLOAT32, a.dtype());
            assertArrayEquals(new int[] {2, 2}, a.shape().toArray());
            assertArrayEquals(new float[] {1.5f, -2f, 0.25f, 1e-3f}, a.toFloatArray());
            assertArrayEquals(new long[] {7, -1, Long.MAX_VALUE}, c.tensors().get("b").toLongArray());
            assertArrayEquals(new boolean[] {true, false}, c.tensors().get("c").toBooleanArray());
            NDArray d = c.tensors().get("d");
            assertEquals(0, d.dim());
            assertEquals(Math.PI, d.item());
            assertArrayEquals(new int[] {0, 3}, c.tensors().get("e").shape().toArray());
        }
    }

    @Test
    void write_layout_matchesSpecByteForByte() throws IOException {
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("w", NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).t()); // non-contiguous view: [[1,3,5],[2,4,6]]
        t.put("i", NDArray.of(new long[] {-5, 9}, 2));
        t.put("flag", NDArray.of(new boolean[] {false, true, true}, 3));
        t.put("s", NDArray.scalar(DType.FLOAT64, -0.5));
        t.put("none", NDArray.zeros(0, 4));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SafeTensors.write(out, t, Map.of("format", "test"));
        byte[] bytes = out.toByteArray();

        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong();
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String json = "{\"__metadata__\":{\"format\":\"test\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
                + "\"i\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[24,40]},"
                + "\"flag\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[40,43]},"
                + "\"s\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[43,51]},"
                + "\"none\":{\"dtype\":\"F32\",\"shape\":[0,4],\"data_offsets\":[51,51]}}";
        assertEquals(json + " ".repeat((int) n - json.length()), header);
        assertTrue(n - json.length() < 8);
        assertEquals(8 + n + 51, bytes.length);
        b.position((int) (8 + n));
        float[] w = new float[6];
        for (int i = 0; i < 6; i++) {
            w[i] = b.getFloat();
        }
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, w);
        assertEquals(-5, b.getLong());
        assertEquals(9, b.getLong());
        assertEquals(0, b.get());
        assertEquals(1, b.get());
        assertEquals(1, b.get());
        assertEquals(-0.5, b.getDouble());
        assertEquals(0, b.remaining());
    }

    @Test
    void writeRead_allDtypes_roundTripExactly() {
        Map<String, NDArray> t = new LinkedHashMap<>();
        t.put("f32", NDArray.of(new float[] {Float.MIN_VALUE, -0f, Float.MAX_VALUE, Float.NaN, 1.1f, -7}, 2, 3));
        t.put("f64", NDArray.of(new double[] {Double.MIN_VALUE, 1e300, -1.0 / 3, Double.NEGATIVE_INFINITY}, 2, 1, 2));
        t.put("i64", NDArray.of(new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, 3));
        t.put("bool", NDArray.of(new boolean[] {true, false, true, true}, 2, 2));
        t.put("scalar", NDArray.scalar(3.25));
        t.put("empty", NDArray.zeros(DType.INT64, 3, 0));
        Path p = dir.resolve("all.safetensors");
        SafeTensors.write(p, t, null);
        SafeTensors.Contents c = SafeTensors.read(p);
        assertEquals(List.copyOf(t.keySet()), List.copyOf(c.tensors().keySet()));
        assertEquals(Map.of(), c.metadata());
        for (String k : t.keySet()) {
            NDArray want = t.get(k);
            NDArray got = c.tensors().get(k);
            assertEquals(want.dtype(), got.dtype(), k);
            assertEquals(want.shape(), got.shape(), k);
        }
        float[] f = t.get("f32").toFloatArray();
        float[] g = c.tensors().get("f32").toFloatArray();
        for (int i = 0; i < f.length; i++) {
            assertEquals(Float.floatToRawIntBits(f[i]), Float.floatToRawIntBits(g[i]), "f32[" + i + "]");
        }
        assertArrayEquals(t.get("f64").toDoubleArray(), c.tensors().get("f64").toDoubleArray(), 0);
        assertArrayEquals(t.get("i64").toLongArray(), c.tensors().get("i64").toLongArray());
        assertArrayEquals(t.get("bool").toBooleanArray(), c.tensors().get("bool").toBooleanArray());
        assertEquals(3.25, c.tensors().get("scalar").item());
        assertEquals(0, c.tensors().get("empty").numel());
    }

    @Test
    void writeRead_largerThanChunk_roundTrips() {
        float[] v = new float[700_000]; // 2.8 MB: several 1 MiB chunks, split mid-way
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5f - 3;
        }
        Path p = dir.resolve("big.safetensors");
        SafeTensors.write(p, Map.of("x", NDArray.of(new long[] {1, 2, 3}, 3), "v", NDArray.of(v, 700, 1000)), null);
        SafeTensors.Contents c = SafeTensors.read(p);
        assertArrayEquals(v, c.tensors().get("v").toFloatArray());
    }

    @Test
    void read_halfBfloatAndSmallInts_convertToFloat32AndInt64() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[6],\"data_offsets\":[0,12]},"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[3],\"data_offsets\":[12,18]},"
                + "\"i32\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[18,26]},"
                + "\"u8\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[26,28]}}";
        ByteBuffer data = le(28);
        // binary16: 1.0, -2.0, 65504 (largest), 2^-24 (smallest subnormal), +inf, 1/3 rounded (0x3555)
        for (int bits : new int[] {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x3555}) {
            data.putShort((short) bits);
        }
        for (int bits : new int[] {0x3F80, 0xC040, 0x4049}) { // bfloat16: 1.0, -3.0, 3.140625
            data.putShort((short) bits);
        }
        data.putInt(-123456).putInt(Integer.MAX_VALUE);
        data.put((byte) 0xFF).put((byte) 7);
        SafeTensors.Contents c = readBytes(file(header, true, data.array()));
        assertArrayEquals(new float[] {1f, -2f, 65504f, (float) Math.pow(2, -24), Float.POSITIVE_INFINITY,
                1365f / 4096}, c.tensors().get("h").toFloatArray());
        assertEquals(DType.FLOAT32, c.tensors().get("bf").dtype());
        assertArrayEquals(new float[] {1f, -3f, 3.140625f}, c.tensors().get("bf").toFloatArray());
        assertArrayEquals(new long[] {-123456, Integer.MAX_VALUE}, c.tensors().get("i32").toLongArray());
        assertArrayEquals(new long[] {255, 7}, c.tensors().get("u8").toLongArray());
    }

    // ------------------------------------------------------------------ errors

    private static final String FC1 =
            "{\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[16,784],\"data_offsets\":[0,50176]},"
            + "\"fc1.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[50176,50184]}}";

    @Test
    void read_truncatedData_failsSayingHowMuch() throws IOException {
        byte[] bytes = file(FC1, true, new byte[40000]);
        assertEquals("file truncated: header says 50184 bytes of data, file has 40000", readFails(bytes).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.read(new ByteArrayInputStream(bytes)));
        assertEquals("file truncated: header says 50184 bytes of data, file has 40000", e.getMessage());
    }

    @Test
    void read_truncatedHeader_fails() throws IOException {
        byte[] whole = file(FC1, true, new byte[50184]);
        byte[] cut = java.util.Arrays.copyOf(whole, 100);
        long n = ByteBuffer.wrap(whole).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals("file truncated: header length says " + n + " bytes of header, file has 92 bytes after the length",
                readFails(cut).getMessage());
        assertEquals("file truncated: 5 bytes, too short for the 8-byte header length",
                readFails(new byte[5]).getMessage());
    }

    @Test
    void read_absurdHeaderLength_failsBeforeAllocating() throws IOException {
        byte[] bytes = le(16).putLong(-1L).putLong(0).array();
        assertEquals("corrupted header: header length 18446744073709551615 is outside [2, 100000000]",
                readFails(bytes).getMessage());
    }

    @Test
    void read_offsetsDisagreeWithShape_failsNamingTensor() throws IOException {
        String header = "{\"fc1.weight\":{\"dtype\":\"F32\",\"shape\":[16,784],\"data_offsets\":[0,1000]}}";
        assertEquals("tensor 'fc1.weight': data_offsets [0, 1000] hold 1000 bytes but F32 [16, 784] needs 50176",
                readFails(file(header, true, new byte[1000])).getMessage());
    }

    @Test
    void read_headerCheckedBeforeData_evenOnStreams() {
        // the second tensor's entry is wrong and there is no data at all: the header error is reported, not EOF
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,8]}}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.read(new ByteArrayInputStream(file(header, true, new byte[0]))));
        assertEquals("tensor 'b': data_offsets [4, 8] hold 4 bytes but F32 [2] needs 8", e.getMessage());
    }

    @Test
    void read_overlapsGapsAndTrailingBytes_fail() throws IOException {
        String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertEquals("tensor 'b': data_offsets [4, 8] overlap tensor 'a' at [0, 8]",
                readFails(file(overlap, true, new byte[8])).getMessage());
        String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        assertEquals("tensor 'b': data_offsets [8, 12] leave a gap: expected it to start at 4 (the end of tensor 'a')",
                readFails(file(gap, true, new byte[12])).getMessage());
        String late = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        assertEquals("tensor 'a': data_offsets [4, 8] leave a gap: expected it to start at 0 (the start of the data)",
                readFails(file(late, true, new byte[8])).getMessage());
        String one = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        assertEquals("corrupted file: header says 4 bytes of data, file has 6 (trailing bytes)",
                readFails(file(one, true, new byte[6])).getMessage());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.read(new ByteArrayInputStream(file(one, true, new byte[6]))));
        assertEquals("corrupted file: header says 4 bytes of data, file has more (trailing bytes)", e.getMessage());
        String backwards = "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}";
        assertEquals("tensor 'a': data_offsets [4, 0] must satisfy 0 <= begin <= end",
                readFails(file(backwards, true, new byte[4])).getMessage());
    }

    @Test
    void read_corruptedHeader_failsClearly() throws IOException {
        assertEquals("corrupted header: Json.parse: expected ',' or '}' at line 1, column 13 (offset 12), found 'd'",
                readFails(file("{\"a\":{\"x\":1 dtype}", true, new byte[0])).getMessage());
        assertEquals("tensor 'a': unknown dtype 'F8' (expected one of [F32, F64, I64, BOOL, F16, BF16, I32, I16, I8,"
                + " U8])", readFails(file("{\"a\":{\"dtype\":\"F8\",\"shape\":[1],\"data_offsets\":[0,1]}}", true,
                new byte[1])).getMessage());
        assertEquals("tensor 'a': shape [-1] has a size outside [0, 2147483647]",
                readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,0]}}", true,
                        new byte[0])).getMessage());
        assertEquals("tensor 'a': shape must be an array of integers, found [2.5]",
                readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", true,
                        new byte[8])).getMessage());
        assertEquals("tensor 'a': data_offsets must have 2 integers, found 1",
                readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4]}}", true,
                        new byte[4])).getMessage());
        assertEquals("tensor 'a': unknown field 'class' (expected dtype, shape, data_offsets)",
                readFails(file("{\"a\":{\"class\":\"java.lang.Runtime\",\"dtype\":\"F32\",\"shape\":[1],"
                        + "\"data_offsets\":[0,4]}}", true, new byte[4])).getMessage());
        assertEquals("tensor 'a': expected an object {dtype, shape, data_offsets}, found a string",
                readFails(file("{\"a\":\"x\"}", true, new byte[0])).getMessage());
        assertEquals("corrupted header: __metadata__ 'k' must be a string, found a number (1)",
                readFails(file("{\"__metadata__\":{\"k\":1}}", true, new byte[0])).getMessage());
        assertEquals("corrupted header: Json.parse: expected an object, found an array",
                readFails(file("[1, 2]", true, new byte[0])).getMessage());
        byte[] notUtf8 = file("{\"a\":\"xx\"}", false, new byte[0]);
        notUtf8[14] = (byte) 0xC3; // a lone lead byte
        notUtf8[15] = (byte) 0x28;
        assertEquals("corrupted header: header is not valid UTF-8", readFails(notUtf8).getMessage());
        assertEquals("tensor 'a': shape [65536, 65536] has more than 2147483639 elements",
                readFails(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,0]}}", true,
                        new byte[0])).getMessage());
    }

    @Test
    void read_boolByteNotZeroOrOne_fails() throws IOException {
        String header = "{\"m\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}";
        assertEquals("tensor 'm': BOOL element 2 is byte 2, expected 0 or 1",
                readFails(file(header, true, new byte[] {0, 1, 2})).getMessage());
    }

    @Test
    void write_reservedOrEmptyName_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeTensors.write(dir.resolve("x"), Map.of("__metadata__", NDArray.zeros(1)), null));
        assertEquals("SafeTensors.write: invalid tensor name '__metadata__' (must be non-empty and not __metadata__)",
                e.getMessage());
        assertTrue(Files.notExists(dir.resolve("x")));
    }

    @Test
    void atomicWrite_failureMidway_leavesOldFileAndNoTemp() throws IOException {
        Path p = dir.resolve("w.safetensors");
        SafeTensors.write(p, Map.of("a", NDArray.of(new float[] {1, 2}, 2)), null);
        byte[] before = Files.readAllBytes(p);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(p, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        assertTrue(e.getMessage().startsWith("could not write "), e.getMessage());
        assertTrue(e.getMessage().endsWith("disk full"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(p));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(p.getFileName()), files.map(Path::getFileName).toList());
        }
        SafeTensors.write(p, Map.of("a", NDArray.of(new float[] {3}, 1)), null); // replaces the old file
        assertArrayEquals(new float[] {3}, SafeTensors.read(p).tensors().get("a").toFloatArray());
    }
}
