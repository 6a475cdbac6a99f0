package io.ember.gpu.cuda;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUresult;
import jcuda.driver.JCudaDriver;

/**
 * The CUDA driver, through JCuda's driver API: the only class (with {@link Kernel} and {@link Pinned}) that touches
 * JCuda, so that the binding can be replaced (e.g. by the Java FFM API) without changing any caller. Device memory
 * is addressed by plain {@code long} device addresses.
 *
 * <p>Contexts: each device's primary context ({@code cuDevicePrimaryCtxRetain}), made current on a calling thread
 * the first time that thread touches the device ({@link #makeCurrent}). Every call into this class from a thread
 * makes the device current itself, so callers never think about contexts.
 */
public final class Driver {
    /** The outcome of looking for a usable GPU: how many devices, or why none can be used (one line). */
    public record Probe(int deviceCount, String problem, int driverVersion) {
        public boolean available() {
            return deviceCount > 0;
        }
    }

    private static volatile Probe probe;
    private static CUcontext[] contexts;
    private static final ThreadLocal<int[]> CURRENT = ThreadLocal.withInitial(() -> new int[] {-1});
    /** Live allocations by base address: JCuda's memcpy calls take its own pointer objects. */
    private static final Map<Long, DevPtr> ALLOCATIONS = new ConcurrentHashMap<>();

    private Driver() {
    }

    /** A device pointer whose address can be read (JCuda keeps it in a protected field). */
    static final class DevPtr extends CUdeviceptr {
        long address() {
            return getNativePointer();
        }
    }

    /**
     * Looks for a GPU once per process. Never throws and never crashes the JVM: a missing {@code libcuda.so.1}, a
     * driver too old for the PTX, or zero devices all become a {@link Probe} with a one-line problem.
     */
    public static Probe probe() {
        Probe p = probe;
        if (p == null) {
            synchronized (Driver.class) {
                p = probe;
                if (p == null) {
                    p = doProbe();
                    probe = p;
                }
            }
        }
        return p;
    }

    private static Probe doProbe() {
        if (Boolean.getBoolean("ember.cuda.disable") || "0".equals(System.getenv("EMBER_CUDA"))) {
            return new Probe(0, "CUDA turned off (ember.cuda.disable / EMBER_CUDA=0)", 0);
        }
        if (!driverLibraryPresent()) {
            return new Probe(0, "no CUDA driver: libcuda.so.1 not found (no NVIDIA driver installed)", 0);
        }
        try {
            JCudaDriver.setExceptionsEnabled(true);
            JCudaDriver.cuInit(0);
            int[] version = {0};
            JCudaDriver.cuDriverGetVersion(version);
            int[] count = {0};
            JCudaDriver.cuDeviceGetCount(count);
            if (count[0] == 0) {
                return new Probe(0, "the NVIDIA driver reports no CUDA device", version[0]);
            }
            if (version[0] < MIN_DRIVER_VERSION) {
                return new Probe(0, "the NVIDIA driver supports CUDA " + cudaVersion(version[0])
                        + "; Ember's kernels (PTX from CUDA 13) need a driver for CUDA 13.0 or newer (>= 580)",
                        version[0]);
            }
            contexts = new CUcontext[count[0]];
            return new Probe(count[0], null, version[0]);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            return new Probe(0, "no CUDA driver: " + firstLine(e.getMessage()), 0);
        } catch (CudaException e) {
            return new Probe(0, "CUDA driver error: " + firstLine(e.getMessage()), 0);
        } catch (RuntimeException e) {
            return new Probe(0, "CUDA unavailable: " + e.getClass().getSimpleName() + ": " + firstLine(e.getMessage()),
                    0);
        }
    }

    /** The oldest driver (as {@code cuDriverGetVersion} reports it: 1000 * major + 10 * minor) the PTX loads on. */
    public static final int MIN_DRIVER_VERSION = 13000;

    static String cudaVersion(int v) {
        return v / 1000 + "." + (v % 1000) / 10;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /**
     * Whether the driver library can be found, checked before JCuda loads its native library (whose failure to link
     * {@code libcuda.so.1} is an UnsatisfiedLinkError that would otherwise be the first sign).
     */
    private static boolean driverLibraryPresent() {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (!os.contains("linux")) {
            return true; // let JCuda's own loading decide
        }
        String[] dirs = {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib64",
            "/usr/local/nvidia/lib64", "/usr/local/cuda/compat", "/usr/lib/wsl/lib"};
        for (String d : dirs) {
            if (new java.io.File(d, "libcuda.so.1").exists()) {
                return true;
            }
        }
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isEmpty() && new java.io.File(d, "libcuda.so.1").exists()) {
                    return true;
                }
            }
        }
        // the dynamic linker's cache may know other places
        try {
            Process p = new ProcessBuilder("/sbin/ldconfig", "-p").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.contains("libcuda.so.1");
        } catch (java.io.IOException | InterruptedException | RuntimeException e) {
            return false;
        }
    }

    /** Fails clearly unless {@code cuda:device} can be used (a GPU and a driver, and the index in range). */
    public static void requireAvailable(int device) {
        Probe p = probe();
        if (!p.available()) {
            throw new IllegalStateException("cuda:" + device + " is not available: " + p.problem());
        }
        if (device < 0 || device >= p.deviceCount()) {
            throw new IllegalArgumentException("cuda:" + device + " does not exist: " + p.deviceCount()
                    + " CUDA device(s) present");
        }
    }

    /** Makes the device's primary context current on this thread (cheap when it already is). */
    public static void makeCurrent(int device) {
        int[] cur = CURRENT.get();
        if (cur[0] == device) {
            return;
        }
        requireAvailable(device);
        CUcontext ctx;
        synchronized (Driver.class) {
            ctx = contexts[device];
            if (ctx == null) {
                CUdevice dev = new CUdevice();
                JCudaDriver.cuDeviceGet(dev, device);
                ctx = new CUcontext();
                JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev);
                contexts[device] = ctx;
            }
        }
        JCudaDriver.cuCtxSetCurrent(ctx);
        cur[0] = device;
    }

    private static CUdevice cuDevice(int device) {
        requireAvailable(device);
        CUdevice dev = new CUdevice();
        JCudaDriver.cuDeviceGet(dev, device);
        return dev;
    }

    public static String name(int device) {
        byte[] buf = new byte[256];
        JCudaDriver.cuDeviceGetName(buf, buf.length, cuDevice(device));
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, StandardCharsets.US_ASCII);
    }

    public static long totalMemory(int device) {
        long[] total = {0};
        JCudaDriver.cuDeviceTotalMem(total, cuDevice(device));
        return total[0];
    }

    /** {free, total} bytes as the driver reports them now. */
    public static long[] memoryInfo(int device) {
        makeCurrent(device);
        long[] free = {0};
        long[] total = {0};
        JCudaDriver.cuMemGetInfo(free, total);
        return new long[] {free[0], total[0]};
    }

    /** Compute capability as {@code 10 * major + minor} (90 for Hopper, 80 for A100). */
    public static int computeCapability(int device) {
        CUdevice dev = cuDevice(device);
        int[] major = {0};
        int[] minor = {0};
        JCudaDriver.cuDeviceGetAttribute(major, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, dev);
        JCudaDriver.cuDeviceGetAttribute(minor, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, dev);
        return major[0] * 10 + minor[0];
    }

    /** Number of streaming multiprocessors. */
    public static int multiprocessors(int device) {
        int[] n = {0};
        JCudaDriver.cuDeviceGetAttribute(n, CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT,
                cuDevice(device));
        return n[0];
    }

    public static void synchronize(int device) {
        makeCurrent(device);
        JCudaDriver.cuCtxSynchronize();
    }

    /** Allocates device memory; returns its address, or 0 when the device is out of memory. */
    public static long malloc(int device, long bytes) {
        makeCurrent(device);
        DevPtr p = new DevPtr();
        try {
            JCudaDriver.cuMemAlloc(p, bytes);
        } catch (CudaException e) {
            if (e.getMessage() != null && e.getMessage().contains(CUresult.stringFor(CUresult.CUDA_ERROR_OUT_OF_MEMORY))) {
                return 0;
            }
            throw e;
        }
        long a = p.address();
        ALLOCATIONS.put(a, p);
        return a;
    }

    /** Frees memory from {@link #malloc} (its base address). */
    public static void free(int device, long address) {
        DevPtr p = ALLOCATIONS.remove(address);
        if (p == null) {
            throw new IllegalArgumentException("Driver.free: 0x" + Long.toHexString(address)
                    + " is not a live allocation");
        }
        makeCurrent(device);
        JCudaDriver.cuMemFree(p);
    }

    private static CUdeviceptr at(long base, long byteOffset) {
        DevPtr p = ALLOCATIONS.get(base);
        if (p == null) {
            throw new IllegalArgumentException("0x" + Long.toHexString(base) + " is not a live allocation");
        }
        return byteOffset == 0 ? p : p.withByteOffset(byteOffset);
    }

    /** Copies {@code bytes} from pinned host memory into {@code base + byteOffset}; returns when done. */
    public static void copyToDevice(int device, long base, long byteOffset, Pinned src, long bytes) {
        makeCurrent(device);
        JCudaDriver.cuMemcpyHtoD(at(base, byteOffset), src.pointer(), bytes);
    }

    /** Copies {@code bytes} from {@code base + byteOffset} into pinned host memory; returns when done. */
    public static void copyToHost(int device, Pinned dst, long base, long byteOffset, long bytes) {
        makeCurrent(device);
        JCudaDriver.cuMemcpyDtoH(dst.pointer(), at(base, byteOffset), bytes);
    }

    /** Device-to-device copy between two allocations (ordered with the kernels). */
    public static void copyOnDevice(int device, long dstBase, long dstOffset, long srcBase, long srcOffset,
            long bytes) {
        makeCurrent(device);
        JCudaDriver.cuMemcpyDtoD(at(dstBase, dstOffset), at(srcBase, srcOffset), bytes);
    }

    /** Sets {@code bytes} bytes at {@code base + byteOffset} to zero. */
    public static void zero(int device, long base, long byteOffset, long bytes) {
        makeCurrent(device);
        JCudaDriver.cuMemsetD8(at(base, byteOffset), (byte) 0, bytes);
    }

    /** Page-locked host memory of {@code bytes} bytes, for fast transfers. */
    public static Pinned pinned(int device, long bytes) {
        makeCurrent(device);
        Pointer p = new Pointer();
        JCudaDriver.cuMemAllocHost(p, bytes);
        return new Pinned(p, p.getByteBuffer(0, bytes), bytes);
    }

    static void freePinned(Pointer p) {
        JCudaDriver.cuMemFreeHost(p);
    }

    /** Loads PTX text as a module on the device and returns a handle for its kernels. */
    public static Module loadModule(int device, String name, byte[] ptx) {
        makeCurrent(device);
        jcuda.driver.CUmodule m = new jcuda.driver.CUmodule();
        byte[] z = java.util.Arrays.copyOf(ptx, ptx.length + 1); // NUL-terminated image
        try {
            JCudaDriver.cuModuleLoadData(m, z);
        } catch (CudaException e) {
            throw new IllegalStateException("loading kernel module " + name + " on cuda:" + device + " failed: "
                    + firstLine(e.getMessage()) + " (the PTX needs a driver for CUDA 13, >= 580)", e);
        }
        return new Module(device, name, m);
    }

    /** A loaded PTX module. */
    public static final class Module {
        private final int device;
        private final String name;
        private final jcuda.driver.CUmodule module;

        Module(int device, String name, jcuda.driver.CUmodule module) {
            this.device = device;
            this.name = name;
            this.module = module;
        }

        public Kernel kernel(String function) {
            makeCurrent(device);
            jcuda.driver.CUfunction f = new jcuda.driver.CUfunction();
            try {
                JCudaDriver.cuModuleGetFunction(f, module, function);
            } catch (CudaException e) {
                throw new IllegalStateException("kernel " + function + " not found in module " + name + ": "
                        + firstLine(e.getMessage()), e);
            }
            return new Kernel(device, name + "." + function, f);
        }
    }
}
