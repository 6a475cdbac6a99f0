package io.ember.tensor.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ember's OpenBLAS next to Spark MLlib's native BLAS and Debian's system libopenblas.so.0 (same soname as
 * bytedeco's copy). Each scenario runs {@link OpenBlasTrapMain} in a fresh JVM, since what is loaded
 * first decides the outcome. Scenarios needing Debian's OpenBLAS are skipped where it is not installed
 * ({@code .ci/install-deps.sh} installs it).
 */
class OpenBlasTrapTest {
    private static final String[] DEBIAN_OPENBLAS = {
        "/usr/lib/x86_64-linux-gnu/libopenblas.so.0",
        "/usr/lib/aarch64-linux-gnu/libopenblas.so.0",
        "/usr/lib64/libopenblas.so.0",
        "/usr/lib/libopenblas.so.0",
    };

    record Result(int exit, String out) {
        List<String> mapped() {
            List<String> files = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("MAPPED ")) {
                    files.add(line.substring(7).trim());
                }
            }
            return files;
        }
    }

    private static String systemOpenBlas() {
        for (String p : DEBIAN_OPENBLAS) {
            if (Files.exists(Paths.get(p))) {
                return p;
            }
        }
        return null;
    }

    private static void assumeLinux() {
        assumeTrue(Files.isReadable(Paths.get("/proc/self/maps")), "needs Linux /proc/self/maps");
    }

    private static String assumeSystemOpenBlas() {
        String p = systemOpenBlas();
        assumeTrue(p != null, "Debian's libopenblas.so.0 is not installed (apt-get install libopenblas0-pthread; "
                + ".ci/install-deps.sh does this)");
        return p;
    }

    private static String testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static Result fork(String scenario, String... props) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("ember-openblas-" + scenario);
        Path log = dir.resolve("out.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dember.threads=2");
        cmd.add("-XX:ErrorFile=" + dir.resolve("hs_err_%p.log")); // crash reports stay out of the build tree
        cmd.addAll(List.of(props));
        cmd.add("-cp");
        cmd.add(testClassPath());
        cmd.add(OpenBlasTrapMain.class.getName());
        cmd.add(scenario);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(scenario + ": forked JVM timed out\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static boolean isSystemFile(String f) {
        return f.startsWith("/usr/") || f.startsWith("/lib");
    }

    @Test
    void load_emberFirstThenMllib_allCorrectAndOnlyBytedecoOpenBlasMapped() throws Exception {
        assumeLinux();
        Result r = fork("emberFirst");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("PASS mllib dgemm"), r.out());
        assertTrue(r.out().contains("PASS lapacke dgesv"), r.out());
        assertTrue(r.out().contains("PASS ember matmul"), r.out());
        assertTrue(r.out().contains("MLLIB dev.ludovic.netlib.blas.JNIBLAS"), "MLlib should use native BLAS\n" + r.out());
        assertTrue(r.out().trim().endsWith("OK"), r.out());
        List<String> mapped = r.mapped();
        assertTrue(mapped.stream().anyMatch(f -> f.endsWith("/libopenblas.so.0") && !isSystemFile(f)),
                "bytedeco's libopenblas.so.0 should be mapped: " + mapped);
        assertFalse(mapped.stream().anyMatch(f -> f.contains("openblas") && isSystemFile(f)),
                "no system OpenBLAS may be mapped: " + mapped);
        String lib = r.out().lines().filter(l -> l.startsWith("LIBRARY ")).findFirst().orElse("LIBRARY ?");
        assertTrue(lib.endsWith("/libopenblas.so.0") && !isSystemFile(lib.substring(8)), lib);
    }

    @Test
    void load_mllibFirstWithSystemOpenBlas_failsFastWithClearMessage() throws Exception {
        assumeLinux();
        String system = assumeSystemOpenBlas();
        Result r = fork("mllibFirst", "-Ddev.ludovic.netlib.blas.nativeLibPath=" + system);
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("PASS mllib dgemm"), r.out());
        String refused = r.out().lines().filter(l -> l.startsWith("REFUSED ")).findFirst().orElse(null);
        assertNotNull(refused, "Ember should refuse the foreign libopenblas\n" + r.out());
        String real = Paths.get(system).toRealPath().toString();
        assertTrue(refused.contains(real), "message should name " + real + ": " + refused);
        assertTrue(refused.contains("io.ember.tensor.cpu.OpenBlas.load()"), refused);
        assertTrue(refused.contains("dev.ludovic.netlib.blas.nativeLib"), refused);
        assertTrue(refused.contains("ember.openblas.allowForeign"), refused);
        assertTrue(r.out().contains("REFUSED AGAIN"), "a second load() must refuse too\n" + r.out());
        assertFalse(r.mapped().stream().anyMatch(f -> f.contains("jniopenblas")),
                "Ember must not load bytedeco's JNI library when refusing: " + r.mapped());
    }

    @Test
    void load_mllibFirstWithAllowForeign_warnsAndMatmulIsCorrect() throws Exception {
        assumeLinux();
        String system = assumeSystemOpenBlas();
        Result r = fork("mllibFirst", "-Ddev.ludovic.netlib.blas.nativeLibPath=" + system,
                "-Dember.openblas.allowForeign=true");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("WARNING"), "a warning should be logged\n" + r.out());
        assertTrue(r.out().contains("foreign"), r.out());
        String real = Paths.get(system).toRealPath().toString();
        assertTrue(r.out().contains("LOADED " + real), "libraryPath() should report the foreign file\n" + r.out());
        assertTrue(r.out().contains("PASS ember matmul"), r.out());
        assertTrue(r.out().trim().endsWith("OK"), r.out());
    }

    /** The trap itself, without Ember's guard: proves the scenario above really is dangerous here. */
    @Test
    void rawBytedeco_mllibFirstWithSystemOpenBlas_lapackCallKillsJvm() throws Exception {
        assumeLinux();
        String system = assumeSystemOpenBlas();
        Result r = fork("mllibFirstRawBytedeco", "-Ddev.ludovic.netlib.blas.nativeLibPath=" + system);
        assertNotEquals(0, r.exit(), r.out());
        assertFalse(r.out().contains("PASS lapacke"), r.out());
        assertTrue(r.out().contains("LAPACKE_dgesv"), "expected 'symbol lookup error ... LAPACKE_dgesv'\n" + r.out());
        List<String> mapped = r.mapped();
        assertTrue(mapped.stream().anyMatch(f -> f.contains("openblas") && isSystemFile(f)), mapped.toString());
        assertTrue(mapped.stream().anyMatch(f -> f.endsWith("/libopenblas.so.0") && !isSystemFile(f)),
                "both OpenBLAS copies are mapped: " + mapped);
    }

    /**
     * Why Ember points netlib at its own library: with sharing off, MLlib opens the system libblas.so.3, so a
     * second OpenBLAS (Debian's 0.3.21 interface layer) lands in the process next to bytedeco's 0.3.31, and
     * its symbols can resolve into the other copy. Whether that crashes depends on the CPU's kernels: on this
     * project's development machine it is a SIGSEGV in MLlib's dgemm, on CI's it ran through. So the test
     * asserts what holds everywhere: either the JVM died before MLlib's product passed, or it exited cleanly
     * with correct results and both copies mapped (the condition Ember's sharing removes). Runs where
     * libblas.so.3 is Debian's OpenBLAS.
     */
    @Test
    void load_emberFirstWithoutSharing_mllibMapsSecondOpenBlas() throws Exception {
        assumeLinux();
        assumeSystemOpenBlas();
        Path libblas = Paths.get(systemOpenBlas()).resolveSibling("libblas.so.3");
        assumeTrue(Files.exists(libblas) && libblas.toRealPath().toString().contains("openblas"),
                "libblas.so.3 is not Debian's OpenBLAS here");
        Result r = fork("emberFirst", "-Dember.openblas.shareWithNetlib=false");
        if (r.exit() != 0) {
            assertFalse(r.out().contains("PASS mllib dgemm"), r.out());
            return;
        }
        assertTrue(r.out().contains("PASS mllib dgemm"), r.out());
        assertTrue(r.out().contains("PASS ember matmul"), r.out());
        List<String> mapped = r.mapped();
        assertTrue(mapped.stream().anyMatch(f -> f.contains("openblas") && isSystemFile(f)),
                "without sharing, MLlib should map the system OpenBLAS: " + mapped);
        assertTrue(mapped.stream().anyMatch(f -> f.endsWith("/libopenblas.so.0") && !isSystemFile(f)),
                "bytedeco's copy should be mapped too: " + mapped);
    }

    @Test
    void soname_elfFiles_readsDtSoname() throws Exception {
        assumeLinux();
        String own = OpenBlas.libraryPath();
        assertNotNull(own);
        assertEquals("libopenblas.so.0", OpenBlas.soname(Paths.get(own)));
        String system = systemOpenBlas();
        if (system != null) { // Debian's file is libopenblasp-r0.3.21.so or similar: the soname is not the name
            Path real = Paths.get(system).toRealPath();
            assertEquals("libopenblas.so.0", OpenBlas.soname(real), real.toString());
        }
        Path text = Files.createTempFile("not-elf", ".so");
        try {
            Files.writeString(text, "hello");
            assertNull(OpenBlas.soname(text));
        } finally {
            Files.deleteIfExists(text);
        }
        assertNull(OpenBlas.soname(Paths.get("/nonexistent/libx.so")));
    }

    @Test
    void foreignLibraries_afterOwnLoad_isEmpty() {
        assumeLinux();
        OpenBlas.load();
        assertTrue(OpenBlas.foreignLibraries().isEmpty(), OpenBlas.foreignLibraries().toString());
        assertTrue(OpenBlas.mappedFiles().contains(new File(OpenBlas.libraryPath()).getAbsolutePath())
                || OpenBlas.mappedFiles().stream().anyMatch(f -> f.endsWith("/libopenblas.so.0")),
                OpenBlas.mappedFiles().toString());
    }
}
