package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Threads.set(1) must reach the OpenBLAS copy that GEMM runs on (bytedeco ships two copies; a
 * setting that reached only the other would leave GEMM on every core and oversubscribe Spark
 * executors). Measured as process CPU time over wall time during large products: one thread
 * cannot use much more than one core's worth. Not a speed assertion: a loaded machine can only
 * lower the ratio.
 */
class OpenBlasThreadsTest {

    private static long cpuTicks() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    @Test
    void setOne_limitsGemmToOneCore() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/stat")), "needs Linux /proc to measure CPU time");
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs at least 2 cores to tell 1 thread from more");
        int before = Threads.get();
        try {
            Threads.set(1);
            assertEquals(1, OpenBlas.threads());
            NDArray a = NDArray.rand(1536, 1536);
            NDArray b = NDArray.rand(1536, 1536);
            a.matmul(b);
            long c0 = cpuTicks();
            long w0 = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                a.matmul(b);
            }
            double wall = (System.nanoTime() - w0) / 1e9;
            double cpu = (cpuTicks() - c0) / 100.0;
            assertTrue(cpu / wall < 1.35, "GEMM used " + cpu / wall + " cores with Threads.set(1)");
        } finally {
            Threads.set(before);
        }
    }
}
