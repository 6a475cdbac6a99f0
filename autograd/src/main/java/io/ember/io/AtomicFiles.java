package io.ember.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Writes files atomically (a temporary sibling, then a move) and reads bounded text files. */
final class AtomicFiles {
    private AtomicFiles() {
    }

    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code target} through a temporary file in the same folder that is moved over the final name only once
     * it is complete and synced, so a crash mid-save never leaves a half file under {@code target}.
     */
    static void write(Path target, Writer writer) {
        Path abs = target.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp-" + Long.toHexString(ThreadLocalRandom.current()
                .nextLong() & Long.MAX_VALUE));
        try {
            if (abs.getParent() != null) {
                Files.createDirectories(abs.getParent());
            }
            try (SeekableByteChannel ch = Files.newByteChannel(tmp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                writer.writeTo(out);
                out.flush();
                if (ch instanceof FileChannel fc) {
                    fc.force(true);
                }
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort: the temporary name never shadows the target
            }
        }
    }

    /** Reads a UTF-8 text file of at most {@code limit} bytes. */
    static String readText(Path file, long limit) {
        try {
            long size = Files.size(file);
            if (size > limit) {
                throw new IllegalArgumentException(file + ": " + size + " bytes, more than the limit " + limit);
            }
            try (InputStream in = Files.newInputStream(file)) {
                return readText(in, limit, file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads a UTF-8 text stream of at most {@code limit} bytes, failing on malformed UTF-8. */
    static String readText(InputStream in, long limit, String what) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) {
            throw new IllegalArgumentException(what + ": more than the limit of " + limit + " bytes");
        }
        return decodeUtf8(bytes, what);
    }

    static String decodeUtf8(byte[] bytes, String what) {
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid UTF-8");
        }
    }
}
