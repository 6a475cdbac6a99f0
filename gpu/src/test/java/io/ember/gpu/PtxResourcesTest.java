package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The committed PTX matches the CUDA sources: every {@code .cu} module has its {@code .ptx} resource, every
 * {@code extern "C" __global__} kernel in a source is an entry of its PTX, the PTX targets what the README promises,
 * and (where nvcc is installed) rebuilding gives byte-identical PTX.
 */
class PtxResourcesTest {
    private static final Path SRC = Path.of("src/main/cuda");
    private static final Pattern KERNEL = Pattern.compile(
            "extern\\s+\"C\"\\s+__global__\\s+(?:__launch_bounds__\\s*\\([^)]*\\)\\s+)?void\\s+(\\w+)\\s*\\(");

    private static List<Path> sources() throws Exception {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(SRC)) {
            s.filter(p -> p.toString().endsWith(".cu")).sorted().forEach(out::add);
        }
        return out;
    }

    @Test
    void everyKernelOfEverySourceIsAnEntryOfItsPtx() throws Exception {
        List<Path> cus = sources();
        assertFalse(cus.isEmpty(), "no CUDA sources under " + SRC.toAbsolutePath());
        for (Path cu : cus) {
            String module = cu.getFileName().toString().replace(".cu", "");
            String ptx = new String(Kernels.ptx(module), StandardCharsets.US_ASCII);
            assertTrue(ptx.contains(".version 9.0") && ptx.contains(".target sm_80"),
                    module + ".ptx must be CUDA 13 PTX (ISA 9.0) for compute_80, as the README says");
            String text = Files.readString(cu);
            Matcher m = KERNEL.matcher(text);
            int n = 0;
            while (m.find()) {
                int eol = text.indexOf('\n', m.start());
                String line = text.substring(m.start(), eol < 0 ? text.length() : eol).stripTrailing();
                if (line.endsWith("\\") || m.group(1).contains("##")) {
                    n++; // a kernel template inside a macro: its launcher's kernelNames() test checks the instances
                    continue;
                }
                n++;
                assertTrue(ptx.contains(".entry " + m.group(1) + "("), module + ".ptx lacks kernel " + m.group(1)
                        + " (run gpu/build-ptx.sh)");
            }
            assertTrue(ptx.contains(".visible .entry "), module + ".ptx has no kernel entry");
        }
    }

    @Test
    void rebuildingWithNvccGivesTheCommittedPtx() throws Exception {
        String nvcc = System.getenv().getOrDefault("NVCC", "");
        boolean found = !nvcc.isEmpty() && new File(nvcc).canExecute();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= new File(dir, "nvcc").canExecute();
        }
        Assumptions.assumeTrue(found, "skipped: nvcc is not installed (CI); gpu/build-ptx.sh --check needs it");
        Process p = new ProcessBuilder("bash", "build-ptx.sh", "--check").redirectErrorStream(true).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "build-ptx.sh --check did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
    }
}
