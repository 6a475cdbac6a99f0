package io.ember.data;

import io.ember.tensor.DType;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST ({@code train-images-idx3-ubyte.gz}),
 * gzipped or not (told apart by their first bytes). The header is a big-endian magic number
 * {@code 0x0000TTNN} (type code {@code TT}: 0x08 unsigned byte, 0x09 signed byte, 0x0B short,
 * 0x0C int, 0x0D float, 0x0E double; {@code NN} dimensions), then one big-endian int per dimension,
 * then the values, big-endian, row-major.
 *
 * <p>Integer types are read as INT64, floats as FLOAT32, doubles as FLOAT64, unless a dtype is
 * given. {@code readFloat(path, 255)} gives MNIST pixels in [0, 1].
 */
public final class IdxReader {
    private static final int CHUNK = 1 << 14;

    private IdxReader() {
    }

    /** The array in the file, in its natural dtype (INT64 for the integer codes). */
    public static NDArray read(Path path) throws IOException {
        return read(path, null, 1f);
    }

    /** The array in the file, converted to {@code dtype} while reading. */
    public static NDArray read(Path path, DType dtype) throws IOException {
        return read(path, dtype, 1f);
    }

    /** The array as FLOAT32, each value divided by {@code divisor} (255 for pixels in [0, 1]). */
    public static NDArray readFloat(Path path, float divisor) throws IOException {
        if (!(divisor != 0 && Float.isFinite(divisor))) {
            throw new IllegalArgumentException("IdxReader.readFloat: divisor must be finite and non-zero, got " + divisor);
        }
        return read(path, DType.FLOAT32, divisor);
    }

    /** Reads from a stream (gzipped or not); {@code source} names it in error messages. */
    public static NDArray read(InputStream in, String source, DType dtype) throws IOException {
        return decode(in, source, dtype, 1f);
    }

    private static NDArray read(Path path, DType dtype, float divisor) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(path.toString(), null, "IdxReader: file not found");
        }
        try (InputStream in = raw) {
            return decode(in, path.toString(), dtype, divisor);
        }
    }

    private static NDArray decode(InputStream input, String source, DType dtype, float divisor) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(input, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16) : buffered;
        String what = gzip ? " (after gunzip)" : "";

        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IOException("IdxReader: " + source + ": file truncated: expected a 4-byte magic number, found "
                    + magic.length + " bytes" + what);
        }
        int code = magic[2] & 0xff;
        int ndim = magic[3] & 0xff;
        int itemSize = itemSize(code);
        if (magic[0] != 0 || magic[1] != 0 || itemSize == 0 || ndim == 0) {
            throw new IOException(String.format("IdxReader: %s: bad magic number 0x%02X%02X%02X%02X, expected "
                    + "0x0000TTNN with type code TT one of 08, 09, 0B, 0C, 0D, 0E and NN >= 1 dimensions",
                    source, magic[0], magic[1], magic[2], magic[3]));
        }
        long headerBytes = 4L + 4L * ndim;
        byte[] dimBytes = in.readNBytes(4 * ndim);
        if (dimBytes.length < 4 * ndim) {
            throw new IOException("IdxReader: " + source + ": file truncated: expected " + headerBytes
                    + " header bytes for " + ndim + " dimensions, found " + (4 + dimBytes.length) + what);
        }
        ByteBuffer dims = ByteBuffer.wrap(dimBytes).order(ByteOrder.BIG_ENDIAN);
        int[] shape = new int[ndim];
        long numel = 1;
        for (int d = 0; d < ndim; d++) {
            shape[d] = dims.getInt();
            if (shape[d] < 0) {
                throw new IOException("IdxReader: " + source + ": dimension " + d + " is negative ("
                        + Integer.toUnsignedString(shape[d]) + " as unsigned); not an IDX file?");
            }
            numel *= shape[d];
            if (numel > Integer.MAX_VALUE) {
                throw new IOException("IdxReader: " + source + ": shape " + Arrays.toString(shape)
                        + " has more than " + Integer.MAX_VALUE + " elements");
            }
        }
        int n = (int) numel;
        DType out = dtype != null ? dtype : naturalType(code);
        HostStorage storage = HostStorage.allocate(out, n);
        byte[] chunk = new byte[CHUNK * itemSize];
        double[] values = new double[CHUNK];
        int done = 0;
        while (done < n) {
            int count = Math.min(CHUNK, n - done);
            int bytes = in.readNBytes(chunk, 0, count * itemSize);
            if (bytes < count * itemSize) {
                long expected = headerBytes + numel * itemSize;
                long found = headerBytes + (long) done * itemSize + bytes;
                throw new IOException("IdxReader: " + source + ": file truncated: expected " + expected + " bytes ("
                        + headerBytes + " header + " + numel * itemSize + " data for " + typeName(code) + " "
                        + Arrays.toString(shape) + "), found " + found + what);
            }
            decodeChunk(code, chunk, values, count);
            store(storage, out, values, done, count, divisor);
            done += count;
        }
        return NDArray.fromStorage(storage, shape);
    }

    private static void decodeChunk(int code, byte[] chunk, double[] values, int count) {
        ByteBuffer bb = ByteBuffer.wrap(chunk).order(ByteOrder.BIG_ENDIAN);
        switch (code) {
            case 0x08 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = chunk[i] & 0xff;
                }
            }
            case 0x09 -> {
                for (int i = 0; i < count; i++) {
                    values[i] = chunk[i];
                }
            }
            case 0x0B -> {
                for (int i = 0; i < count; i++) {
                    values[i] = bb.getShort();
                }
            }
            case 0x0C -> {
                for (int i = 0; i < count; i++) {
                    values[i] = bb.getInt();
                }
            }
            case 0x0D -> {
                for (int i = 0; i < count; i++) {
                    values[i] = bb.getFloat();
                }
            }
            default -> {
                for (int i = 0; i < count; i++) {
                    values[i] = bb.getDouble();
                }
            }
        }
    }

    private static void store(HostStorage s, DType out, double[] values, int at, int count, float divisor) {
        switch (out) {
            case FLOAT32 -> {
                float[] a = s.floats();
                for (int i = 0; i < count; i++) {
                    a[at + i] = (float) values[i] / divisor;
                }
            }
            case FLOAT64 -> {
                double[] a = s.doubles();
                for (int i = 0; i < count; i++) {
                    a[at + i] = values[i];
                }
            }
            case INT64 -> {
                long[] a = s.longs();
                for (int i = 0; i < count; i++) {
                    a[at + i] = (long) values[i];
                }
            }
            case BOOL -> {
                boolean[] a = s.bools();
                for (int i = 0; i < count; i++) {
                    a[at + i] = values[i] != 0;
                }
            }
        }
    }

    private static int itemSize(int code) {
        return switch (code) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> 0;
        };
    }

    private static DType naturalType(int code) {
        return switch (code) {
            case 0x0D -> DType.FLOAT32;
            case 0x0E -> DType.FLOAT64;
            default -> DType.INT64;
        };
    }

    private static String typeName(int code) {
        return switch (code) {
            case 0x08 -> "ubyte";
            case 0x09 -> "byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            default -> "double";
        };
    }
}
