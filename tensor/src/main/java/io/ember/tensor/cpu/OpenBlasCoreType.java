package io.ember.tensor.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Chooses OpenBLAS's kernel family where its own CPU detection falls short. OpenBLAS 0.3.31 does not know AMD's
 * newer families (Zen 5 is family 26) and runs its AVX2 kernels there; on this project's AMD EPYC (family 26, full
 * AVX-512) its SkylakeX kernels run sgemm about 1.75x faster. So on an AMD CPU of family 25 or later with the
 * AVX-512 subsets those kernels use, Ember sets {@code OPENBLAS_CORETYPE=SkylakeX} in its own process before
 * OpenBLAS loads. A value the user set wins, and {@code -Dember.openblas.coretype=NAME} forces a family
 * ({@code none} turns this off).
 */
final class OpenBlasCoreType {
    static final String PROPERTY = "ember.openblas.coretype";
    static final String ENV = "OPENBLAS_CORETYPE";
    private static final Logger LOG = Logger.getLogger(OpenBlasCoreType.class.getName());
    private static final String[] AVX512 = {"avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"};

    private OpenBlasCoreType() {
    }

    /**
     * The value to give OPENBLAS_CORETYPE, or null to leave OpenBLAS's detection alone.
     *
     * @param cpuinfo the text of /proc/cpuinfo (null if unreadable)
     * @param env the current OPENBLAS_CORETYPE (null if unset)
     * @param property the {@code ember.openblas.coretype} property (null if unset)
     */
    static String choose(String cpuinfo, String env, String property) {
        if (env != null && !env.isBlank()) {
            return null;
        }
        if (property != null && !property.isBlank()) {
            return property.trim().equalsIgnoreCase("none") ? null : property.trim();
        }
        if (cpuinfo == null) {
            return null;
        }
        String vendor = field(cpuinfo, "vendor_id");
        String family = field(cpuinfo, "cpu family");
        String flags = field(cpuinfo, "flags");
        if (!"AuthenticAMD".equals(vendor) || family == null || flags == null) {
            return null;
        }
        int fam;
        try {
            fam = Integer.parseInt(family);
        } catch (NumberFormatException e) {
            return null;
        }
        Set<String> have = new HashSet<>(Arrays.asList(flags.split("\\s+")));
        return fam >= 25 && have.containsAll(Arrays.asList(AVX512)) ? "SkylakeX" : null;
    }

    private static String field(String cpuinfo, String name) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** Applies {@link #choose} to this process before OpenBLAS loads; needs the GEMM shim for setenv. */
    static void apply() {
        String cpuinfo;
        try {
            cpuinfo = Files.readString(Path.of("/proc/cpuinfo"));
        } catch (IOException | RuntimeException e) {
            cpuinfo = null;
        }
        String value = choose(cpuinfo, System.getenv(ENV), System.getProperty(PROPERTY));
        if (value == null) {
            return;
        }
        if (NativeGemm.loadLibrary() && NativeGemm.setenvIfAbsent(ENV, value)) {
            LOG.fine(() -> "Ember: " + ENV + "=" + value + " for OpenBLAS on this CPU");
        } else {
            LOG.info("Ember: OpenBLAS may not pick its best kernels on this CPU; set " + ENV + "=" + value
                    + " in the environment (the GEMM shim that would set it is not available)");
        }
    }

    /** The kernel family OpenBLAS is running ("Haswell", "SkylakeX", ...), or null where unknown. */
    static String current() {
        return NativeGemm.available() ? NativeGemm.coreName() : null;
    }
}
