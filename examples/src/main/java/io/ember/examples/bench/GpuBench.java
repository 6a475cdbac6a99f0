package io.ember.examples.bench;

import io.ember.gpu.Cuda;
import io.ember.tensor.Device;
import io.ember.tensor.Generator;
import io.ember.tensor.MemoryScope;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code DEVICE=cuda examples/bench.sh}: the GPU workloads of ../shared/PROTOCOL.md, the same work as
 * {@code examples/bench/torch_gpu_bench.py} does with PyTorch on the same GPU. Only {@link Bench#main} reaches this
 * class, and only for a CUDA device that is available, so the CPU benchmark never loads an {@code io.ember.gpu}
 * class.
 *
 * <p>Figures: {@code gemm_<N>_gflops} (float32, TF32 off) and {@code gemm_tf32_<N>_gflops} (TF32 on) at N in
 * {1024, 4096, 8192}; the mlp, infer, cnn and lstm figures under the CPU benchmark's names, with the model and each
 * batch on the device; and the caching allocator's figures around the mlp run: {@code gpu_mem_reserved_e1_mb} and
 * {@code gpu_mem_reserved_e3_mb} (after the first and third epochs: equal when memory is flat), then
 * {@code gpu_mem_allocated_mb}, {@code gpu_mem_reserved_mb} and {@code gpu_mem_peak_mb} after the run. The training
 * workloads run in float32 with TF32 off unless {@code TF32=1}.
 */
final class GpuBench {
    private GpuBench() {
    }

    static void run(Device device, boolean quick, String wanted) throws Exception {
        Map<String, Bench.Workload> available = new LinkedHashMap<>();
        available.put("gemm", q -> gemm(device, q));
        available.put("mlp", q -> TrainingBench.mlp(q, device, epoch -> memory(device, "gpu_mem_reserved_e" + epoch)));
        available.put("infer", q -> TrainingBench.infer(q, device));
        available.put("cnn", q -> TrainingBench.cnn(q, device));
        available.put("lstm", q -> TrainingBench.lstm(q, device));
        List<String> names = new ArrayList<>();
        if (wanted.equals("all")) {
            names.addAll(available.keySet());
        } else {
            for (String w : wanted.split(",")) {
                String name = w.trim();
                if (!available.containsKey(name)) {
                    System.err.println("bench: workload '" + name + "' does not run on " + device + "; known there: "
                            + available.keySet());
                    System.exit(2);
                }
                names.add(name);
            }
        }
        boolean tf32 = "1".equals(System.getenv("TF32"));
        System.out.println("ember_version=" + Bench.VERSION);
        System.out.println("device=" + device);
        System.out.println("gpu_name=" + device.name());
        System.out.println("threads=" + Threads.get());
        System.err.printf("bench: %s (%s), %.1f GiB; training with TF32 %s%n", device, device.name(),
                device.totalMemory() / (double) (1L << 30), tf32 ? "on" : "off");
        for (String name : names) {
            System.err.println("bench: running " + name + " on " + device + (quick ? " (QUICK)" : ""));
            Cuda.setAllowTf32(tf32);
            available.get(name).run(quick);
            if (name.equals("mlp")) {
                System.gc(); // storages that no scope released (none expected) go back before the figures
                device.synchronize();
                Cuda.MemoryStats m = Cuda.memoryStats(device.index());
                Bench.print("gpu_mem_allocated_mb", m.allocatedBytes() / 1048576.0);
                Bench.print("gpu_mem_reserved_mb", m.reservedBytes() / 1048576.0);
                Bench.print("gpu_mem_peak_mb", m.peakAllocatedBytes() / 1048576.0);
            }
        }
        Cuda.setAllowTf32(false);
    }

    private static void memory(Device device, String name) {
        Bench.print(name + "_mb", Cuda.reservedBytes(device.index()) / 1048576.0);
    }

    /**
     * Seconds per call of {@code a.matmul(b)}, best of 5 rounds. Warm-up: one call (loads and JIT-compiles the
     * kernel), then 3 timed calls that set the round length: as many calls as take about 0.2 s (3 to 5000), between
     * two synchronizations. Each product is released right away (its scope), so the allocator hands the same block
     * back every call. torch_gpu_bench.py times torch.mm by the same rule.
     */
    static double time(Device device, NDArray a, NDArray b, boolean quick) {
        Runnable mm = () -> {
            try (MemoryScope s = MemoryScope.open()) {
                a.matmul(b);
            }
        };
        mm.run();
        double probe = round(device, mm, 3);
        int reps = quick ? 2 : (int) Math.max(3, Math.min(5000, Math.ceil(0.2 / probe)));
        double best = Double.MAX_VALUE;
        for (int r = 0; r < 5; r++) {
            best = Math.min(best, round(device, mm, reps));
        }
        return best;
    }

    /** Seconds per call of {@code reps} calls, from a synchronized device to a synchronized device. */
    private static double round(Device device, Runnable r, int reps) {
        device.synchronize();
        long t0 = System.nanoTime();
        for (int k = 0; k < reps; k++) {
            r.run();
        }
        device.synchronize();
        return (System.nanoTime() - t0) / 1e9 / reps;
    }

    /** gemm_N_gflops with TF32 off, then gemm_tf32_N_gflops with it on, float32 operands on the device. */
    static void gemm(Device device, boolean quick) {
        int[] sizes = quick ? new int[] {1024} : new int[] {1024, 4096, 8192};
        Generator g = new Generator(1);
        for (int n : sizes) {
            try (MemoryScope operands = MemoryScope.open()) {
                NDArray a = NDArray.rand(g, n, n).to(device);
                NDArray b = NDArray.rand(g, n, n).to(device);
                double flops = 2.0 * n * n * n;
                Cuda.setAllowTf32(false);
                Bench.print("gemm_" + n + "_gflops", flops / time(device, a, b, quick) / 1e9);
                Cuda.setAllowTf32(true);
                Bench.print("gemm_tf32_" + n + "_gflops", flops / time(device, a, b, quick) / 1e9);
                Cuda.setAllowTf32(false);
            }
        }
    }
}
