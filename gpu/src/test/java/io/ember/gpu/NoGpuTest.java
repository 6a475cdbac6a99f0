package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.gpu.cuda.Driver;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Where no GPU is usable (the default build and CI): the backend is found, says why it cannot be used in one line,
 * and the CPU keeps working. These tests are skipped where a GPU is present.
 */
class NoGpuTest {
    private static void assumeNoGpu() {
        Assumptions.assumeFalse(Cuda.isAvailable(), "skipped: a GPU is present");
    }

    @Test
    void probeAnswersWithOneLineReason() {
        assumeNoGpu();
        Driver.Probe p = Driver.probe();
        assertFalse(p.available());
        assertEquals(0, p.deviceCount());
        assertNotNull(p.problem());
        assertFalse(p.problem().contains("\n"), p.problem());
        assertEquals(p.problem(), Device.cudaUnavailableReason());
        assertEquals(0, Device.cudaCount());
        assertFalse(Device.cudaAvailable());
        assertEquals(Device.CPU, Device.best());
    }

    @Test
    void movingAnArrayToCudaFailsClearlyAndCpuKeepsWorking() {
        assumeNoGpu();
        NDArray x = NDArray.of(new float[] {1, 2, 3}, 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.to(Device.cuda(0)));
        assertTrue(e.getMessage().startsWith("device cuda:0 is not available: "), e.getMessage());
        assertTrue(e.getMessage().contains(Cuda.unavailableReason()), e.getMessage());
        assertThrows(IllegalStateException.class, () -> Device.cuda(0).name());
        assertEquals(12.0, x.add(x).sum().item(), 0.0);
    }

    @Test
    void theBackendIsFoundThroughServiceLoader() {
        List<String> found = java.util.ServiceLoader.load(io.ember.tensor.spi.Backend.class).stream()
                .map(pr -> pr.type().getName()).toList();
        assertTrue(found.contains(CudaBackend.class.getName()), found.toString());
    }

    /** A fresh JVM that asks for CUDA without a driver exits normally with the one-line reason. */
    @Test
    void aFreshJvmWithoutDriverDoesNotCrash() throws Exception {
        assumeNoGpu();
        String javaBin = System.getProperty("java.home") + "/bin/java";
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), Main.class.getName())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child JVM did not finish");
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals("cpu " + Cuda.unavailableReason() + " 6.0", out);
    }

    /** The child program of {@link #aFreshJvmWithoutDriverDoesNotCrash}. */
    static final class Main {
        public static void main(String[] args) {
            Device d = Device.best();
            NDArray x = NDArray.of(new float[] {1, 2, 3}, 3).to(d);
            System.out.println(d + " " + Device.cudaUnavailableReason() + " " + x.sum().item());
        }
    }
}
