package io.ember.tensor.cpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Logger;

/**
 * Zero-copy GEMM on heap arrays: a small JNI library built with the project
 * ({@code tensor/src/main/native}) pins the arrays with {@code GetPrimitiveArrayCritical} and calls
 * the {@code cblas_sgemm}/{@code cblas_dgemm} of the OpenBLAS Ember loaded. Without it (another
 * platform, no gcc at build time, or {@code -Dember.gemm.zeroCopy=false}) {@link CpuGemm} copies the
 * operands into native buffers instead.
 *
 * <p>Trade-off: while an array is pinned the JVM defers garbage collection, so a very long product
 * delays GC for its duration (netlib-java, which MLlib used for years, made the same choice).
 */
final class NativeGemm {
    private static final Logger LOG = Logger.getLogger(NativeGemm.class.getName());
    static final String PROPERTY = "ember.gemm.zeroCopy";
    private static final String RESOURCE = "native/linux-x86_64/libemberblas.so";
    private static volatile Boolean available;
    private static volatile String reason = "not loaded yet";

    private NativeGemm() {
    }

    /** Whether the zero-copy path is in use (loads it on first call). */
    static boolean available() {
        Boolean a = available;
        if (a == null) {
            synchronized (NativeGemm.class) {
                if (available == null) {
                    available = load();
                }
                a = available;
            }
        }
        return a;
    }

    /** Why the zero-copy path is or is not in use. */
    static String status() {
        available();
        return reason;
    }

    private static boolean load() {
        if (!loadLibrary()) {
            return false;
        }
        OpenBlas.load();
        String lib = OpenBlas.libraryPath();
        if (lib == null) {
            reason = "OpenBLAS library path unknown";
            return false;
        }
        if (!bind(lib)) {
            reason = "could not bind cblas_sgemm in " + lib;
            return false;
        }
        setThreads(io.ember.tensor.Threads.get());
        reason = "zero-copy GEMM on " + lib;
        return true;
    }

    private static Boolean libraryLoaded;
    /** Its own lock: OpenBlas.load (holding OpenBlas's lock) calls loadLibrary, and load() calls OpenBlas.load. */
    private static final Object LIBRARY_LOCK = new Object();

    /**
     * Loads the shim library itself (it needs no OpenBLAS until {@link #bind}); false, with {@link #status()}
     * saying why, where it is absent or disabled.
     */
    static boolean loadLibrary() {
        synchronized (LIBRARY_LOCK) {
            return loadLibraryLocked();
        }
    }

    private static boolean loadLibraryLocked() {
        if (libraryLoaded != null) {
            return libraryLoaded;
        }
        libraryLoaded = false;
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY))) {
            reason = "disabled by -D" + PROPERTY + "=false";
            return false;
        }
        if (!"Linux".equals(System.getProperty("os.name")) || !"amd64".equals(System.getProperty("os.arch"))) {
            reason = "no shim for " + System.getProperty("os.name") + "/" + System.getProperty("os.arch");
            return false;
        }
        try (InputStream in = NativeGemm.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                reason = "the shim was not built (no gcc at build time?)";
                LOG.info("Ember: zero-copy GEMM shim not found; GEMM copies operands into native buffers");
                return false;
            }
            Path tmp = Files.createTempFile("emberblas", ".so");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            tmp.toFile().deleteOnExit();
            System.load(tmp.toAbsolutePath().toString());
            libraryLoaded = true;
            return true;
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            reason = "shim failed to load: " + e;
            LOG.warning("Ember: zero-copy GEMM shim failed to load (" + e + "); GEMM copies operands instead");
            return false;
        }
    }

    /** True once loaded and bound; never triggers loading. */
    static boolean loaded() {
        return Boolean.TRUE.equals(available);
    }

    private static native boolean bind(String openblasPath);

    /** Sets the thread count of the OpenBLAS this shim is bound to. */
    static native void setThreads(int n);

    static native int getThreads();

    /** The kernel family the bound OpenBLAS chose ("Haswell", "SkylakeX", ...), or null; after binding. */
    static native String coreName();

    static native void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, int aStride, float[] b, int bOff, int ldb, int bStride,
            float beta, float[] c, int cOff, int ldc, int cStride, int batch);

    static native void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
            double[] a, int aOff, int lda, int aStride, double[] b, int bOff, int ldb, int bStride,
            double beta, double[] c, int cOff, int ldc, int cStride, int batch);
}
