package io.ember.tensor.cpu;

import io.ember.tensor.Threads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Loads bytedeco's OpenBLAS (the copy inside the {@code openblas} jar, never a system library) and
 * keeps its thread count equal to {@link Threads#get()}.
 *
 * <p><b>Running beside Spark MLlib or other native BLAS users.</b> bytedeco's JNI library asks the
 * dynamic linker for {@code libopenblas.so.0} by soname. On Linux, if another file with that soname
 * is already loaded (Debian's {@code libopenblas0-pthread}, pulled in by MLlib's native BLAS through
 * {@code dev.ludovic.netlib}, which opens {@code libblas.so.3}), the JNI library silently binds to that
 * file instead, and a LAPACK call missing from it kills the JVM ({@code symbol lookup error}). So:
 * <ul>
 *   <li>call {@code io.ember.tensor.cpu.OpenBlas.load()} at startup, before anything uses MLlib (Ember
 *       also calls it on first use of the CPU backend);</li>
 *   <li>when Ember loads first and the user has not configured netlib, Ember sets the system properties
 *       {@code dev.ludovic.netlib.blas.nativeLibPath} and {@code dev.ludovic.netlib.lapack.nativeLibPath}
 *       to its own {@code libopenblas.so.0}, so MLlib uses the same OpenBLAS (disable with
 *       {@code -Dember.openblas.shareWithNetlib=false});</li>
 *   <li>if a foreign {@code libopenblas.so.0} is already loaded, {@link #load()} throws
 *       {@link IllegalStateException} naming that file, unless {@code -Dember.openblas.allowForeign=true}
 *       (then Ember runs on the foreign library and logs a warning).</li>
 * </ul>
 * The checks read {@code /proc/self/maps}; elsewhere they are skipped.
 */
public final class OpenBlas {
    /** System property: {@code true} lets Ember run on a foreign, earlier-loaded libopenblas (with a warning). */
    public static final String ALLOW_FOREIGN = "ember.openblas.allowForeign";
    /** System property: {@code false} stops Ember from pointing netlib (MLlib) at its own libopenblas. */
    public static final String SHARE_WITH_NETLIB = "ember.openblas.shareWithNetlib";

    /** Sonames that bytedeco's JNI libraries need; a file with one of them loaded first captures the binding. */
    static final Set<String> SONAMES = Set.of("libopenblas.so.0", "libopenblas_nolapack.so.0");

    private static final Logger LOG = Logger.getLogger(OpenBlas.class.getName());
    private static final Path MAPS = Paths.get("/proc/self/maps");

    private static volatile boolean loaded;
    private static volatile String libraryPath;
    private static IllegalStateException failure;

    private OpenBlas() {
    }

    /**
     * Loads OpenBLAS if not yet loaded. Call early, before Spark MLlib's native BLAS (Ember does, on first
     * use of the CPU backend).
     *
     * @throws IllegalStateException if another {@code libopenblas.so.0} was loaded into the process first
     *     and {@code ember.openblas.allowForeign} is not {@code true}
     */
    public static synchronized void load() {
        if (loaded) {
            return;
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage(), failure);
        }
        List<Path> foreign = foreignLibraries();
        if (!foreign.isEmpty()) {
            if (!Boolean.getBoolean(ALLOW_FOREIGN)) {
                failure = new IllegalStateException(foreignMessage(foreign));
                throw failure;
            }
            LOG.warning("Ember's OpenBLAS will bind to the foreign " + foreign.get(0) + " that was loaded first ("
                    + ALLOW_FOREIGN + "=true). Ember's BLAS calls run on it; LAPACK functions missing from it "
                    + "end the JVM with 'symbol lookup error'. Load Ember first to avoid this.");
        }
        Loader.load(openblas.class);
        String own = bytedecoLibrary();
        libraryPath = !foreign.isEmpty() ? foreign.get(0).toString() : own;
        if (foreign.isEmpty() && own != null && !"false".equalsIgnoreCase(System.getProperty(SHARE_WITH_NETLIB))) {
            Set<String> mapped = mappedFiles();
            shareWithNetlib("blas", own, mapped);
            shareWithNetlib("lapack", own, mapped);
        }
        // bytedeco's blas_set_num_threads does not reach every OpenBLAS copy it ships; NativeGemm sets the
        // count on the library it binds (measured: CPU time / wall time, OpenBlasThreadsTest).
        openblas.blas_set_num_threads(Threads.get());
        loaded = true;
    }

    /**
     * The {@code libopenblas.so.0} file that Ember's OpenBLAS calls run on (loads OpenBLAS first): bytedeco's
     * extracted copy, or, under {@code ember.openblas.allowForeign=true}, the foreign file loaded before it.
     * May be {@code null} where JavaCPP does not report the path.
     */
    public static String libraryPath() {
        load();
        return libraryPath;
    }

    /**
     * The kernel family OpenBLAS chose when it loaded ("Haswell", "SkylakeX", "Cooperlake", ...: its own CPU
     * detection, or the {@code OPENBLAS_CORETYPE} environment variable where set), or null where unknown (no
     * GEMM shim).
     */
    public static String coreName() {
        load();
        return NativeGemm.available() ? NativeGemm.coreName() : null;
    }

    static void setThreads(int n) {
        if (loaded) {
            openblas.blas_set_num_threads(n);
        }
        if (NativeGemm.loaded()) {
            NativeGemm.setThreads(n);
        }
    }

    /** The thread count of the OpenBLAS that Ember's GEMM runs on. */
    public static int threads() {
        load();
        return NativeGemm.available() ? NativeGemm.getThreads() : openblas.blas_get_num_threads();
    }

    /** bytedeco's own extracted libopenblas.so.0 (after loading), or null if JavaCPP did not record it. */
    private static String bytedecoLibrary() {
        for (Map.Entry<String, String> e : Loader.getLoadedLibraries().entrySet()) {
            String v = e.getValue();
            if (v != null && (e.getKey().startsWith("openblas@") || v.endsWith("/libopenblas.so.0"))) {
                return v;
            }
        }
        return null;
    }

    /** Points netlib at {@code path}, unless the user configured it or netlib's JNI library is already loaded. */
    private static void shareWithNetlib(String kind, String path, Set<String> mappedFiles) {
        String prefix = "dev.ludovic.netlib." + kind + ".";
        if (System.getProperty(prefix + "nativeLib") != null || System.getProperty(prefix + "nativeLibPath") != null) {
            return;
        }
        for (String mapped : mappedFiles) {
            if (mapped.contains("libnetlib" + kind + "jni.so")) {
                return; // already initialised; too late to change, and it loaded no OpenBLAS (none was foreign)
            }
        }
        System.setProperty(prefix + "nativeLibPath", path);
    }

    /**
     * Files mapped into this process whose ELF soname is one bytedeco's JNI libraries need, other than the
     * ones JavaCPP itself loaded. Empty where {@code /proc/self/maps} does not exist.
     */
    static List<Path> foreignLibraries() {
        List<Path> own = new ArrayList<>();
        for (String p : Loader.getLoadedLibraries().values()) {
            if (p != null) {
                own.add(Paths.get(p));
            }
        }
        List<Path> found = new ArrayList<>();
        for (String mapped : mappedFiles()) {
            Path p = Paths.get(mapped);
            String name = p.getFileName().toString();
            if (!name.contains(".so") || isAny(p, own)) {
                continue;
            }
            String soname = soname(p);
            if (soname == null || !SONAMES.contains(soname)) {
                continue;
            }
            found.add(p);
        }
        return found;
    }

    private static boolean isAny(Path p, List<Path> candidates) {
        for (Path c : candidates) {
            try {
                if (Files.isSameFile(p, c)) {
                    return true;
                }
            } catch (IOException | SecurityException e) {
                // a file that cannot be compared is not ours
            }
        }
        return false;
    }

    private static String foreignMessage(List<Path> foreign) {
        return "OpenBLAS: another libopenblas (" + foreign.get(0) + ", soname " + soname(foreign.get(0))
                + ") was loaded into "
                + "this JVM before Ember's. Ember's native OpenBLAS would silently bind to it, and a LAPACK call "
                + "could kill the JVM. Fix: load Ember first (call io.ember.tensor.cpu.OpenBlas.load() at startup, "
                + "before Spark MLlib or other native BLAS users), or point MLlib elsewhere "
                + "(-Ddev.ludovic.netlib.blas.nativeLib=<another BLAS> / -Ddev.ludovic.netlib.lapack.nativeLib=...), "
                + "or set -D" + ALLOW_FOREIGN + "=true to run Ember on that library anyway.";
    }

    /** Distinct file paths in {@code /proc/self/maps}, in order of appearance; empty if unreadable. */
    static Set<String> mappedFiles() {
        Set<String> files = new LinkedHashSet<>();
        if (!Files.isReadable(MAPS)) {
            return files;
        }
        try {
            for (String line : Files.readAllLines(MAPS)) {
                int slash = line.indexOf('/');
                if (slash >= 0 && !line.endsWith("(deleted)")) {
                    files.add(line.substring(slash));
                }
            }
        } catch (IOException | SecurityException e) {
            LOG.fine("cannot read " + MAPS + ": " + e);
        }
        return files;
    }

    /** The DT_SONAME of a 64-bit little-endian ELF file, or null (not ELF, other class, no soname, unreadable). */
    static String soname(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer h = read(ch, 0, 64);
            if (h == null || h.getInt(0) != 0x464c457f || h.get(4) != 2 || h.get(5) != 1) {
                return null;
            }
            long phoff = h.getLong(0x20);
            int phentsize = h.getShort(0x36) & 0xffff;
            int phnum = h.getShort(0x38) & 0xffff;
            ByteBuffer ph = read(ch, phoff, phentsize * phnum);
            if (ph == null) {
                return null;
            }
            long dynOff = -1;
            long dynSize = 0;
            for (int i = 0; i < phnum; i++) {
                int b = i * phentsize;
                if (ph.getInt(b) == 2) { // PT_DYNAMIC
                    dynOff = ph.getLong(b + 8);
                    dynSize = ph.getLong(b + 32);
                }
            }
            if (dynOff < 0 || dynSize <= 0 || dynSize > (1 << 20)) {
                return null;
            }
            ByteBuffer dyn = read(ch, dynOff, (int) dynSize);
            if (dyn == null) {
                return null;
            }
            long strtab = -1;
            long soname = -1;
            for (int b = 0; b + 16 <= dynSize; b += 16) {
                long tag = dyn.getLong(b);
                if (tag == 0) {
                    break;
                } else if (tag == 5) { // DT_STRTAB (an address)
                    strtab = dyn.getLong(b + 8);
                } else if (tag == 14) { // DT_SONAME (offset into strtab)
                    soname = dyn.getLong(b + 8);
                }
            }
            if (strtab < 0 || soname < 0) {
                return null;
            }
            for (int i = 0; i < phnum; i++) { // address -> file offset through the PT_LOAD holding it
                int b = i * phentsize;
                long vaddr = ph.getLong(b + 16);
                long filesz = ph.getLong(b + 32);
                if (ph.getInt(b) == 1 && strtab >= vaddr && strtab < vaddr + filesz) {
                    ByteBuffer s = read(ch, strtab - vaddr + ph.getLong(b + 8) + soname, 256);
                    if (s == null) {
                        return null;
                    }
                    StringBuilder sb = new StringBuilder();
                    while (s.hasRemaining()) {
                        byte c = s.get();
                        if (c == 0) {
                            return sb.toString();
                        }
                        sb.append((char) c);
                    }
                    return null;
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Up to {@code n} bytes at {@code pos}, little-endian, or null if fewer than needed for a header. */
    private static ByteBuffer read(FileChannel ch, long pos, int n) throws IOException {
        if (pos < 0 || n <= 0 || pos >= ch.size()) {
            return null;
        }
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(n, ch.size() - pos)).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
            // keep reading
        }
        b.flip();
        return b.remaining() == 0 ? null : b;
    }
}
