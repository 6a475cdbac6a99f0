package io.ember.gpu;

import io.ember.gpu.cuda.Driver;
import io.ember.gpu.cuda.Kernel;
import io.ember.tensor.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds kernels: module {@code m} is the PTX resource {@code /io/ember/gpu/ptx/m.ptx} (built from
 * {@code gpu/src/main/cuda/m.cu} by {@code gpu/build-ptx.sh}), loaded once per device; functions are looked up once.
 * Also the small helpers every launcher needs.
 */
public final class Kernels {
    /** Threads per block for simple elementwise launches. */
    public static final int THREADS = 256;
    /** The most dims a shape/stride table passed by value holds (see {@code common.cuh}). */
    public static final int MAX_DIMS = 8;

    private static final Map<String, Driver.Module> MODULES = new ConcurrentHashMap<>();
    private static final Map<String, Kernel> KERNELS = new ConcurrentHashMap<>();

    private Kernels() {
    }

    /** The kernel {@code function} of module {@code module} on device {@code device}. */
    public static Kernel get(int device, String module, String function) {
        String key = device + "/" + module + "/" + function;
        Kernel k = KERNELS.get(key);
        if (k == null) {
            Driver.Module m = MODULES.computeIfAbsent(device + "/" + module, x -> Driver.loadModule(device, module,
                    ptx(module)));
            k = m.kernel(function);
            KERNELS.put(key, k);
        }
        return k;
    }

    /** The PTX text of a module, from the classpath. */
    public static byte[] ptx(String module) {
        String path = "/io/ember/gpu/ptx/" + module + ".ptx";
        try (InputStream in = Kernels.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("kernel module " + module + " is missing: no resource " + path
                        + " (run gpu/build-ptx.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The device address of an array's first element (its storage's address plus its offset). */
    public static long ptr(NDArray a) {
        CudaStorage s = storage(a);
        return s.address() + (long) a.offset() * a.dtype().itemSize();
    }

    /** The CUDA storage of an array, or a clear error when it is elsewhere. */
    public static CudaStorage storage(NDArray a) {
        if (!(a.storage() instanceof CudaStorage s)) {
            throw new IllegalArgumentException("expected an array on a CUDA device, got one on " + a.device());
        }
        return s;
    }

    /** The device index of an array on a CUDA device. */
    public static int device(NDArray a) {
        return storage(a).device().index();
    }

    /** Blocks of {@code threads} threads that cover {@code n} items (at least 1). */
    public static int blocks(long n, int threads) {
        long b = (n + threads - 1) / threads;
        return (int) Math.max(1, Math.min(b, Integer.MAX_VALUE));
    }

    /** The dtype suffix kernels are named with: {@code f32}, {@code f64}, {@code i64}, {@code b8}. */
    public static String suffix(io.ember.tensor.DType t) {
        return switch (t) {
            case FLOAT32 -> "f32";
            case FLOAT64 -> "f64";
            case INT64 -> "i64";
            case BOOL -> "b8";
        };
    }
}
