package io.ember.io;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes tensors in the safetensors layout, which Python's {@code safetensors} package reads too:
 *
 * <pre>
 * [8 bytes]  N, the header length, unsigned little-endian
 * [N bytes]  UTF-8 JSON header, padded with spaces to a multiple of 8:
 *            {"__metadata__": {"key": "value", ...},
 *             "name": {"dtype": "F32", "shape": [16, 784], "data_offsets": [begin, end]}, ...}
 * [rest]     the data buffer: each tensor's elements little-endian, row-major, at [begin, end) of the buffer;
 *            the tensors cover the buffer exactly (no gaps, no overlaps)
 * </pre>
 *
 * <p>Ember writes {@code F32}, {@code F64}, {@code I64} and {@code BOOL} (one byte, 0 or 1) in map order. It reads
 * those and also {@code F16}/{@code BF16} (converted to float32) and {@code I32}/{@code I16}/{@code I8}/{@code U8}
 * (converted to int64). Reading checks the whole header against the file before any tensor is built and fails with
 * an {@link IllegalArgumentException} naming the tensor, what was expected and what was found. I/O failures are
 * thrown as {@link UncheckedIOException}.
 */
public final class SafeTensors {
    /** The largest header accepted (as Python's safetensors: 100 MB). */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    private static final int CHUNK = 1 << 20;

    private SafeTensors() {
    }

    /** A file's tensors (in header order, on the CPU) and its {@code __metadata__} strings. */
    public record Contents(Map<String, NDArray> tensors, Map<String, String> metadata) {
    }

    // ------------------------------------------------------------------ writing

    /** Writes tensors and metadata (may be null) to a file, atomically (temporary file, then a move). */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata) {
        checkWritable(tensors, metadata);
        AtomicFiles.write(file, out -> write(out, tensors, metadata));
    }

    /** Writes tensors and metadata (may be null) to a stream; the stream is flushed, not closed. */
    public static void write(OutputStream out, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        checkWritable(tensors, metadata);
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) {
            header.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            long bytes = (long) a.numel() * a.dtype().itemSize();
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", Dtypes.code(a.dtype()));
            info.put("shape", a.shape().toArray());
            info.put("data_offsets", new long[] {offset, offset + bytes});
            header.put(e.getKey(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer prefix = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(padded).put(json);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        out.write(prefix.array());
        ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        for (NDArray a : tensors.values()) {
            writeData(out, a, buf);
        }
        out.flush();
    }

    private static void checkWritable(Map<String, NDArray> tensors, Map<String, String> metadata) {
        if (tensors == null) {
            throw new IllegalArgumentException("SafeTensors.write: tensors is null");
        }
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty() || e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("SafeTensors.write: invalid tensor name '" + e.getKey()
                        + "' (must be non-empty and not __metadata__)");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("SafeTensors.write: tensor '" + e.getKey() + "' is null");
            }
        }
        if (metadata != null) {
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    throw new IllegalArgumentException("SafeTensors.write: metadata entries must be non-null strings, "
                            + "got " + e.getKey() + "=" + e.getValue());
                }
            }
        }
    }

    private static void writeData(OutputStream out, NDArray a, ByteBuffer buf) throws IOException {
        NDArray c = a.to(Device.CPU);
        int n = c.numel();
        buf.clear();
        switch (c.dtype()) {
            case FLOAT32 -> {
                float[] v = c.toFloatArray();
                for (int i = 0; i < n; i++) {
                    flushIfFull(out, buf, 4).putFloat(v[i]);
                }
            }
            case FLOAT64 -> {
                double[] v = c.toDoubleArray();
                for (int i = 0; i < n; i++) {
                    flushIfFull(out, buf, 8).putDouble(v[i]);
                }
            }
            case INT64 -> {
                long[] v = c.toLongArray();
                for (int i = 0; i < n; i++) {
                    flushIfFull(out, buf, 8).putLong(v[i]);
                }
            }
            case BOOL -> {
                boolean[] v = c.toBooleanArray();
                for (int i = 0; i < n; i++) {
                    flushIfFull(out, buf, 1).put(v[i] ? (byte) 1 : (byte) 0);
                }
            }
            default -> throw new IllegalArgumentException("SafeTensors.write: unsupported dtype " + c.dtype());
        }
        out.write(buf.array(), 0, buf.position());
    }

    private static ByteBuffer flushIfFull(OutputStream out, ByteBuffer buf, int need) throws IOException {
        if (buf.remaining() < need) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
        }
        return buf;
    }

    // ------------------------------------------------------------------ reading

    /** Reads a file; the whole header is checked against the file's size before any tensor is built. */
    public static Contents read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads from a stream to its end (the stream is not closed). */
    public static Contents read(InputStream in) throws IOException {
        return read(in, -1);
    }

    /** Reads from a stream whose total length is {@code size} bytes, or unknown if negative. */
    static Contents read(InputStream in, long size) throws IOException {
        byte[] lenBytes = in.readNBytes(8);
        if (lenBytes.length < 8) {
            throw new IllegalArgumentException("file truncated: " + lenBytes.length
                    + " bytes, too short for the 8-byte header length");
        }
        long n = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("corrupted header: header length " + Long.toUnsignedString(n)
                    + " is outside [2, " + MAX_HEADER_BYTES + "]");
        }
        if (size >= 0 && 8 + n > size) {
            throw new IllegalArgumentException("file truncated: header length says " + n + " bytes of header, file has "
                    + (size - 8) + " bytes after the length");
        }
        byte[] headerBytes = in.readNBytes((int) n);
        if (headerBytes.length < n) {
            throw new IllegalArgumentException("file truncated: header length says " + n + " bytes of header, file has "
                    + headerBytes.length + " bytes after the length");
        }
        Header h = Header.parse(AtomicFiles.decodeUtf8(headerBytes, "corrupted header: header"));
        if (size >= 0) {
            long have = size - 8 - n;
            if (have < h.dataBytes) {
                throw new IllegalArgumentException("file truncated: header says " + h.dataBytes
                        + " bytes of data, file has " + have);
            }
            if (have > h.dataBytes) {
                throw new IllegalArgumentException("corrupted file: header says " + h.dataBytes
                        + " bytes of data, file has " + have + " (trailing bytes)");
            }
        }
        Map<String, NDArray> built = new LinkedHashMap<>();
        byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(8, h.dataBytes))];
        long consumed = 0;
        for (Entry e : h.byOffset) {
            built.put(e.name, readTensor(in, e, chunk, consumed, h.dataBytes));
            consumed = e.end;
        }
        if (size < 0 && in.read() >= 0) {
            throw new IllegalArgumentException("corrupted file: header says " + h.dataBytes
                    + " bytes of data, file has more (trailing bytes)");
        }
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        for (Entry e : h.entries) {
            ordered.put(e.name, built.get(e.name));
        }
        return new Contents(Collections.unmodifiableMap(ordered), Collections.unmodifiableMap(h.metadata));
    }

    private static NDArray readTensor(InputStream in, Entry e, byte[] chunk, long consumed, long total)
            throws IOException {
        int n = e.numel();
        int item = e.dtype.itemSize;
        Object out = switch (e.dtype.target) {
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case INT64 -> new long[n];
            case BOOL -> new boolean[n];
        };
        int perChunk = chunk.length / item;
        for (int done = 0; done < n; ) {
            int count = Math.min(perChunk, n - done);
            int got = in.readNBytes(chunk, 0, count * item);
            if (got < count * item) {
                throw new IllegalArgumentException("file truncated: header says " + total + " bytes of data, file has "
                        + (consumed + (long) done * item + got));
            }
            ByteBuffer b = ByteBuffer.wrap(chunk, 0, got).order(ByteOrder.LITTLE_ENDIAN);
            e.dtype.decode(b, out, done, count, e.name);
            done += count;
        }
        int[] flat = {n};
        NDArray a = switch (e.dtype.target) {
            case FLOAT32 -> NDArray.of((float[]) out, flat);
            case FLOAT64 -> NDArray.of((double[]) out, flat);
            case INT64 -> NDArray.of((long[]) out, flat);
            case BOOL -> NDArray.of((boolean[]) out, flat);
        };
        return a.reshape(e.shape);
    }

    /** One tensor's header entry, checked. */
    record Entry(String name, Dtypes dtype, int[] shape, long begin, long end) {
        int numel() {
            int p = 1;
            for (int d : shape) {
                p *= d;
            }
            return p;
        }

        String describe() {
            return dtype.code + " " + Arrays.toString(shape);
        }
    }

    /** A parsed and validated header. */
    static final class Header {
        final List<Entry> entries = new ArrayList<>();
        final List<Entry> byOffset = new ArrayList<>();
        final Map<String, String> metadata = new LinkedHashMap<>();
        long dataBytes;

        static Header parse(String text) {
            Map<String, Object> root;
            try {
                root = Json.parseObject(text);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("corrupted header: " + ex.getMessage(), ex);
            }
            Header h = new Header();
            for (Map.Entry<String, Object> kv : root.entrySet()) {
                if (kv.getKey().equals("__metadata__")) {
                    h.readMetadata(kv.getValue());
                } else {
                    h.entries.add(entry(kv.getKey(), kv.getValue()));
                }
            }
            h.byOffset.addAll(h.entries);
            h.byOffset.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
            long cursor = 0;
            Entry prev = null;
            for (Entry e : h.byOffset) {
                if (e.begin < cursor) {
                    throw new IllegalArgumentException("tensor '" + e.name + "': data_offsets [" + e.begin + ", "
                            + e.end + "] overlap tensor '" + prev.name + "' at [" + prev.begin + ", " + prev.end + "]");
                }
                if (e.begin > cursor) {
                    throw new IllegalArgumentException("tensor '" + e.name + "': data_offsets [" + e.begin + ", "
                            + e.end + "] leave a gap: expected it to start at " + cursor
                            + (prev == null ? " (the start of the data)" : " (the end of tensor '" + prev.name + "')"));
                }
                cursor = e.end;
                prev = e;
            }
            h.dataBytes = cursor;
            return h;
        }

        private void readMetadata(Object v) {
            if (!(v instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("corrupted header: __metadata__ must be an object of strings, found "
                        + Json.typeOf(v));
            }
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getValue() instanceof String s)) {
                    throw new IllegalArgumentException("corrupted header: __metadata__ '" + e.getKey()
                            + "' must be a string, found " + Json.typeOf(e.getValue()));
                }
                metadata.put((String) e.getKey(), s);
            }
        }

        private static Entry entry(String name, Object v) {
            String where = "tensor '" + name + "'";
            if (!(v instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(where + ": expected an object {dtype, shape, data_offsets}, found "
                        + Json.typeOf(v));
            }
            for (Object k : m.keySet()) {
                if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                    throw new IllegalArgumentException(where + ": unknown field '" + k
                            + "' (expected dtype, shape, data_offsets)");
                }
            }
            if (!(m.get("dtype") instanceof String code)) {
                throw new IllegalArgumentException(where + ": dtype must be a string, found " + Json.typeOf(
                        m.get("dtype")));
            }
            Dtypes dtype = Dtypes.parse(code, where);
            long[] shapeL = longs(m.get("shape"), where + ": shape", -1);
            long[] offsets = longs(m.get("data_offsets"), where + ": data_offsets", 2);
            int[] shape = new int[shapeL.length];
            long numel = 1;
            for (int i = 0; i < shapeL.length; i++) {
                if (shapeL[i] < 0 || shapeL[i] > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException(where + ": shape " + Arrays.toString(shapeL)
                            + " has a size outside [0, " + Integer.MAX_VALUE + "]");
                }
                shape[i] = (int) shapeL[i];
                numel *= shapeL[i];
                if (numel > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException(where + ": shape " + Arrays.toString(shapeL)
                            + " has more than " + (Integer.MAX_VALUE - 8) + " elements");
                }
            }
            long begin = offsets[0];
            long end = offsets[1];
            if (begin < 0 || end < begin) {
                throw new IllegalArgumentException(where + ": data_offsets [" + begin + ", " + end
                        + "] must satisfy 0 <= begin <= end");
            }
            Entry e = new Entry(name, dtype, shape, begin, end);
            long need = numel * dtype.itemSize;
            if (end - begin != need) {
                throw new IllegalArgumentException(where + ": data_offsets [" + begin + ", " + end + "] hold "
                        + (end - begin) + " bytes but " + e.describe() + " needs " + need);
            }
            return e;
        }

        private static long[] longs(Object v, String where, int expectedLength) {
            if (!(v instanceof List<?> list)) {
                throw new IllegalArgumentException(where + " must be an array of integers, found " + Json.typeOf(v));
            }
            if (expectedLength >= 0 && list.size() != expectedLength) {
                throw new IllegalArgumentException(where + " must have " + expectedLength + " integers, found "
                        + list.size());
            }
            long[] out = new long[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(list.get(i) instanceof Long l)) {
                    throw new IllegalArgumentException(where + " must be an array of integers, found " + list);
                }
                out[i] = l;
            }
            return out;
        }
    }

    /** The element types of the format, with how each is decoded. */
    enum Dtypes {
        F32("F32", 4, DType.FLOAT32), F64("F64", 8, DType.FLOAT64), I64("I64", 8, DType.INT64),
        BOOL("BOOL", 1, DType.BOOL), F16("F16", 2, DType.FLOAT32), BF16("BF16", 2, DType.FLOAT32),
        I32("I32", 4, DType.INT64), I16("I16", 2, DType.INT64), I8("I8", 1, DType.INT64), U8("U8", 1, DType.INT64);

        final String code;
        final int itemSize;
        final DType target;

        Dtypes(String code, int itemSize, DType target) {
            this.code = code;
            this.itemSize = itemSize;
            this.target = target;
        }

        static String code(DType t) {
            return switch (t) {
                case FLOAT32 -> "F32";
                case FLOAT64 -> "F64";
                case INT64 -> "I64";
                case BOOL -> "BOOL";
            };
        }

        static Dtypes parse(String code, String where) {
            for (Dtypes d : values()) {
                if (d.code.equals(code)) {
                    return d;
                }
            }
            throw new IllegalArgumentException(where + ": unknown dtype '" + code + "' (expected one of "
                    + Arrays.toString(values()) + ")");
        }

        void decode(ByteBuffer b, Object out, int at, int count, String name) {
            for (int i = at; i < at + count; i++) {
                switch (this) {
                    case F32 -> ((float[]) out)[i] = b.getFloat();
                    case F64 -> ((double[]) out)[i] = b.getDouble();
                    case I64 -> ((long[]) out)[i] = b.getLong();
                    case BOOL -> {
                        byte v = b.get();
                        if (v != 0 && v != 1) {
                            throw new IllegalArgumentException("tensor '" + name + "': BOOL element " + i
                                    + " is byte " + (v & 0xff) + ", expected 0 or 1");
                        }
                        ((boolean[]) out)[i] = v == 1;
                    }
                    case F16 -> ((float[]) out)[i] = halfToFloat(b.getShort());
                    case BF16 -> ((float[]) out)[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                    case I32 -> ((long[]) out)[i] = b.getInt();
                    case I16 -> ((long[]) out)[i] = b.getShort();
                    case I8 -> ((long[]) out)[i] = b.get();
                    case U8 -> ((long[]) out)[i] = b.get() & 0xff;
                    default -> throw new AssertionError(this);
                }
            }
        }

        /** IEEE 754 binary16 to float32 (exact: every half is a float). */
        static float halfToFloat(short h) {
            int bits = h & 0xffff;
            int sign = (bits & 0x8000) << 16;
            int exp = (bits >>> 10) & 0x1f;
            int mant = bits & 0x3ff;
            if (exp == 0x1f) {
                return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
            }
            if (exp == 0) {
                float v = mant * 0x1.0p-24f; // subnormal (or zero): mant * 2^-24
                return sign != 0 ? -v : v;
            }
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }

        @Override
        public String toString() {
            return code;
        }
    }
}
