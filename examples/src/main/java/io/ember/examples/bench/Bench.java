package io.ember.examples.bench;

import io.ember.tensor.Device;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import io.ember.tensor.cpu.OpenBlas;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark harness of ../shared/PROTOCOL.md (run through {@code examples/bench.sh}). Prints
 * {@code name=value} lines on stdout and nothing else containing '='; progress goes to stderr.
 */
public final class Bench {
    static final String VERSION = "0.1.0-SNAPSHOT";

    interface Workload {
        void run(boolean quick) throws Exception;
    }

    private Bench() {
    }

    static void print(String name, double value) {
        System.out.println(name + "=" + String.format(Locale.ROOT, "%.3f", value));
    }

    public static void main(String[] args) throws Exception {
        String device = env("DEVICE", "cpu");
        boolean quick = "1".equals(System.getenv("QUICK"));
        if (!device.equalsIgnoreCase("cpu")) {
            gpu(device, quick);
            return;
        }
        Map<String, Workload> available = new LinkedHashMap<>();
        available.put("gemm", Bench::gemm);
        available.put("elementwise", Bench::elementwise);
        available.put("mlp", TrainingBench::mlp);
        available.put("infer", TrainingBench::infer);
        available.put("cnn", TrainingBench::cnn);
        available.put("lstm", TrainingBench::lstm);
        available.put("spark", SparkBench::spark);
        List<String> later = List.of();
        String wanted = env("WORKLOADS", "all");
        List<String> names = new ArrayList<>();
        if (wanted.equals("all")) {
            names.addAll(available.keySet());
        } else {
            for (String w : wanted.split(",")) {
                String name = w.trim();
                if (!available.containsKey(name)) {
                    System.err.println(later.contains(name)
                            ? "bench: workload '" + name + "' is not implemented yet"
                            : "bench: unknown workload '" + name + "'; known: " + available.keySet());
                    System.exit(2);
                }
                names.add(name);
            }
        }
        OpenBlas.load();
        System.out.println("ember_version=" + VERSION);
        System.out.println("device=" + device);
        System.out.println("threads=" + Threads.get());
        System.err.println("bench: OpenBLAS kernels " + OpenBlas.coreName() + " (OPENBLAS_CORETYPE="
                + System.getenv("OPENBLAS_CORETYPE") + ")");
        for (String name : names) {
            System.err.println("bench: running " + name + (quick ? " (QUICK)" : ""));
            available.get(name).run(quick);
        }
    }

    /**
     * DEVICE=cuda[:N]: exits non-zero with the one-line reason when that device cannot be used, else runs
     * {@link GpuBench}, the only place the benchmark touches io.ember.gpu classes.
     */
    private static void gpu(String spec, boolean quick) throws Exception {
        Device device;
        try {
            device = Device.parse(spec);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: DEVICE=" + spec + ": " + e.getMessage());
            System.exit(2);
            return;
        }
        if (!Device.cudaAvailable()) {
            System.err.println("bench: DEVICE=" + spec + ": no usable GPU: " + Device.cudaUnavailableReason());
            System.exit(3);
        }
        if (device.index() >= Device.cudaCount()) {
            System.err.println("bench: DEVICE=" + spec + ": no such device (" + Device.cudaCount()
                    + " CUDA device(s) present)");
            System.exit(3);
        }
        GpuBench.run(device, quick, env("WORKLOADS", "all"));
    }

    private static String env(String k, String def) {
        String v = System.getenv(k);
        return v == null || v.isBlank() ? def : v.trim();
    }

    /** Best time of {@code rounds} rounds of {@code reps} calls, in seconds per call. */
    private static double best(int rounds, int reps, Runnable r) {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            for (int k = 0; k < reps; k++) {
                r.run();
            }
            best = Math.min(best, (System.nanoTime() - t0) / 1e9 / reps);
        }
        return best;
    }

    /** gemm_N_gflops (Ember matmul) beside gemm_raw_N_gflops (bytedeco cblas_sgemm on native buffers). */
    static void gemm(boolean quick) {
        int[] sizes = quick ? new int[] {256} : new int[] {256, 1024, 2048};
        Generator g = new Generator(1);
        for (int n : sizes) {
            NDArray a = NDArray.rand(g, n, n);
            NDArray b = NDArray.rand(g, n, n);
            FloatPointer pa = new FloatPointer(a.toFloatArray());
            FloatPointer pb = new FloatPointer(b.toFloatArray());
            FloatPointer pc = new FloatPointer((long) n * n);
            double flops = 2.0 * n * n * n;
            // each timed round lasts ~0.3 s (at ~100 GFLOPS), long enough to even out a noisy shared core
            int reps = quick ? 1 : Math.max(3, (int) (3e10 / flops));
            Runnable ember = () -> a.matmul(b);
            Runnable raw = () -> openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans,
                    openblas.CblasNoTrans, n, n, n, 1f, pa, n, pb, n, 0f, pc, n);
            // warm-up, then best of 5 rounds, the two interleaved so that both see the same machine state
            best(quick ? 1 : 3, reps, ember);
            best(quick ? 1 : 3, reps, raw);
            double te = Double.MAX_VALUE;
            double tr = Double.MAX_VALUE;
            for (int i = 0; i < 5; i++) {
                te = Math.min(te, best(1, reps, ember));
                tr = Math.min(tr, best(1, reps, raw));
            }
            print("gemm_" + n + "_gflops", flops / te / 1e9);
            print("gemm_raw_" + n + "_gflops", flops / tr / 1e9);
            print("gemm_" + n + "_ratio", tr / te);
            pa.deallocate();
            pb.deallocate();
            pc.deallocate();
        }
    }

    /**
     * add_gbps and relu_gbps on 4M floats (bytes read + written per second, results in new arrays)
     * beside loop_gbps and loop_relu_gbps: a plain Java loop doing the same work on one thread.
     */
    static void elementwise(boolean quick) {
        int n = 4 << 20;
        Generator g = new Generator(2);
        NDArray a = NDArray.randn(g, n);
        NDArray b = NDArray.randn(g, n);
        float[] xa = a.toFloatArray();
        float[] xb = b.toFloatArray();
        float[][] sink = new float[1][];
        int rounds = quick ? 2 : 10;
        int reps = quick ? 1 : 20;
        Runnable add = () -> a.add(b);
        Runnable relu = () -> a.relu();
        Runnable loopAdd = () -> {
            float[] c = new float[n];
            for (int i = 0; i < n; i++) {
                c[i] = xa[i] + xb[i];
            }
            sink[0] = c;
        };
        Runnable loopRelu = () -> {
            float[] c = new float[n];
            for (int i = 0; i < n; i++) {
                c[i] = Math.max(xa[i], 0f);
            }
            sink[0] = c;
        };
        for (Runnable r : Arrays.asList(add, relu, loopAdd, loopRelu)) {
            best(2, reps, r);
        }
        double tAdd = Double.MAX_VALUE;
        double tRelu = Double.MAX_VALUE;
        double tLoop = Double.MAX_VALUE;
        double tLoopRelu = Double.MAX_VALUE;
        for (int i = 0; i < rounds; i++) {
            tAdd = Math.min(tAdd, best(1, reps, add));
            tLoop = Math.min(tLoop, best(1, reps, loopAdd));
            tRelu = Math.min(tRelu, best(1, reps, relu));
            tLoopRelu = Math.min(tLoopRelu, best(1, reps, loopRelu));
        }
        double addBytes = 3.0 * 4 * n;
        double reluBytes = 2.0 * 4 * n;
        print("add_gbps", addBytes / tAdd / 1e9);
        print("relu_gbps", reluBytes / tRelu / 1e9);
        print("loop_gbps", addBytes / tLoop / 1e9);
        print("loop_relu_gbps", reluBytes / tLoopRelu / 1e9);
    }
}
