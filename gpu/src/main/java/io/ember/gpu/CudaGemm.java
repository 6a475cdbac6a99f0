package io.ember.gpu;

import io.ember.gpu.cuda.Driver;
import io.ember.gpu.cuda.Kernel;
import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.MemoryScope;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Matrix products: a tiled SGEMM of our own (module {@code gemm}), a TF32 tensor-core path when
 * {@link Cuda#allowTf32()} and the GPU is sm_80 or newer (module {@code gemm_tf32}), and float64 / int64 kernels
 * (module {@code gemm_wide}); {@code gpu/src/main/cuda/gemm.cuh} describes the operands. Transposed operands are
 * read in place (a kernel per layout), batch-broadcast operands through stride 0. Small products that would leave
 * most of the GPU idle are split along K; the last block of a tile adds the partial tiles in a fixed order, so
 * results do not depend on timing. {@link CudaConv} calls {@link #run} on raw device addresses.
 */
final class CudaGemm {
    /** Streaming multiprocessors assumed when choosing tiles (an H100 SXM has 132). */
    static final int SMS = 132;
    static final int MAX_SPLITS = 64;
    /** Split-K tile counters kept per device (an int each); a split launch never has more tiles than this. */
    static final int COUNTERS = 4096;
    /** The most elements a split-K workspace may take. */
    static final long WORKSPACE_LIMIT = 1L << 24;
    static final int MAX_GRID_Y = 65535;

    /** Kernel families: tile shape, threads, whether they split K and have 16-byte-vector variants. */
    enum Config {
        L("sgemm_l", "gemm", 128, 128, 8, 256, false, true, 0.75),
        M("sgemm_m", "gemm", 64, 64, 16, 256, true, true, 0.6),
        S("sgemm_s", "gemm", 32, 32, 32, 64, true, false, 0),
        TL("tgemm_l", "gemm_tf32", 128, 128, 16, 256, false, true, 0.75),
        TM("tgemm_m", "gemm_tf32", 64, 64, 16, 128, false, true, 0.6),
        D("dgemm", "gemm_wide", 64, 64, 16, 256, true, false, 0),
        I("lgemm", "gemm_wide", 64, 64, 16, 256, true, false, 0);

        final String prefix;
        final String module;
        final int bm;
        final int bn;
        final int bk;
        final int threads;
        final boolean split;
        final boolean vec;
        /** The least fraction of a launch's tile area inside the matrix for this config to be chosen. */
        final double minEfficiency;

        Config(String prefix, String module, int bm, int bn, int bk, int threads, boolean split, boolean vec,
                double minEfficiency) {
            this.prefix = prefix;
            this.module = module;
            this.bm = bm;
            this.bn = bn;
            this.bk = bk;
            this.threads = threads;
            this.split = split;
            this.vec = vec;
            this.minEfficiency = minEfficiency;
        }

        long tilesM(long m) {
            return (m + bm - 1) / bm;
        }

        long tilesN(long n) {
            return (n + bn - 1) / bn;
        }
    }

    /** The choice for one product: kernel family, K splits and the K range of each split. */
    record Plan(Config config, int splits, long kchunk) {
    }

    /**
     * One product {@code C_z (+)= op(A_z) op(B_z) (+ bias_z)} over batch indices {@code z = z1 * z2 + zi}, on raw
     * device addresses; strides in elements. {@code aTrans}: A(i, p) at {@code p * lda + i} (else
     * {@code i * lda + p}); {@code bTrans}: B(p, j) at {@code j * ldb + p} (else {@code p * ldb + j}); C(i, j) at
     * {@code i * ldc + j}.
     */
    static final class Call {
        DType dtype;
        long m;
        long n;
        long k;
        long a;
        long lda;
        boolean aTrans;
        long b;
        long ldb;
        boolean bTrans;
        long c;
        long ldc;
        long z1 = 1;
        long z2 = 1;
        long sa1;
        long sa2;
        long sb1;
        long sb2;
        long sc1;
        long sc2;
        long bias;
        long sbias1;
        long sbias2;
        boolean accumulate;

        long batch() {
            return z1 * z2;
        }
    }

    /** The fields of {@code GemmArgs} in gemm.cuh, in order; {@link #pack} writes a long[] of this layout. */
    static final List<String> ARG_FIELDS = List.of("a", "b", "c", "bias", "ws", "counters", "m", "n", "k", "lda",
            "ldb", "ldc", "z2", "sa1", "sa2", "sb1", "sb2", "sc1", "sc2", "sbias1", "sbias2", "zbase", "tiles_m",
            "tiles_n", "splits", "kchunk", "accumulate", "cvec");

    private static final Map<Integer, Integer> CAPABILITY = new ConcurrentHashMap<>();
    private static final CudaStorage[] COUNTER_BUFFERS = new CudaStorage[64];

    private CudaGemm() {
    }

    // ------------------------------------------------------------------ host-side decisions (no GPU needed)

    /**
     * Chooses the kernel family and K splits for an M x N x K product over {@code batch} matrices: the largest
     * tiles that still give every SM a block and waste little of their area on the edges; below that the small
     * tiles, split along K until about two blocks per SM run (each split keeping at least two K slices).
     */
    static Plan plan(DType t, boolean tf32, long m, long n, long k, long batch) {
        Config[] ladder = switch (t) {
            case FLOAT32 -> tf32 ? new Config[] {Config.TL, Config.TM, Config.M, Config.S}
                    : new Config[] {Config.L, Config.M, Config.S};
            case FLOAT64 -> new Config[] {Config.D};
            case INT64 -> new Config[] {Config.I};
            case BOOL -> throw new IllegalArgumentException("matmul: not defined for " + t);
        };
        Config cfg = ladder[ladder.length - 1];
        for (int i = 0; i < ladder.length - 1; i++) {
            Config c = ladder[i];
            long tm = c.tilesM(m);
            long tn = c.tilesN(n);
            double eff = (double) m * n / ((double) tm * c.bm * tn * c.bn);
            if (tm * tn * batch >= SMS && eff >= c.minEfficiency) {
                cfg = c;
                break;
            }
        }
        int splits = 1;
        long blocks = cfg.tilesM(m) * cfg.tilesN(n) * batch;
        if (cfg.split && blocks < SMS && blocks <= COUNTERS) {
            long want = (2L * SMS + blocks - 1) / blocks;
            long s = Math.min(want, k / (2L * cfg.bk));
            s = Math.min(s, MAX_SPLITS);
            s = Math.min(s, MAX_GRID_Y / batch);
            s = Math.min(s, WORKSPACE_LIMIT / Math.max(1, batch * m * n));
            splits = (int) Math.max(1, s);
        }
        if (splits == 1) {
            return new Plan(cfg, 1, k);
        }
        long kchunk = ((k + splits - 1) / splits + cfg.bk - 1) / cfg.bk * cfg.bk;
        return new Plan(cfg, (int) ((k + kchunk - 1) / kchunk), kchunk);
    }

    /** The kernel name for a family, operand layouts and vector loads. */
    static String kernelName(Config c, boolean aTrans, boolean bTrans, boolean vec) {
        return c.prefix + "_" + (aTrans ? "t" : "n") + (bTrans ? "t" : "n") + (vec && c.vec ? "_v" : "");
    }

    /** Every kernel the launchers can request, as {module, name}. */
    static List<String[]> kernelNames() {
        List<String[]> names = new ArrayList<>();
        for (Config c : Config.values()) {
            for (int v = 0; v < (c.vec ? 2 : 1); v++) {
                for (int l = 0; l < 4; l++) {
                    names.add(new String[] {c.module, kernelName(c, (l & 2) != 0, (l & 1) != 0, v == 1)});
                }
            }
        }
        return names;
    }

    /**
     * How one matrix operand [rows, cols] with strides (rs, cs) is read: {0, ld} when its columns are contiguous
     * (element (i, j) at {@code i * ld + j}), {1, ld} when its rows are (at {@code j * ld + i}), null when neither
     * (it must be copied). A dimension of size 1 takes any stride.
     */
    static long[] layout(int rows, int cols, int rs, int cs) {
        if (cs == 1 || cols == 1) {
            return new long[] {0, rows == 1 ? 0 : rs};
        }
        if (rs == 1 || rows == 1) {
            return new long[] {1, cols == 1 ? 0 : cs};
        }
        return null;
    }

    /** Whether an operand's rows and batch offsets are 16-byte aligned (float32 elements). */
    static boolean aligned16(long address, long ld, long s1, long s2) {
        return address % 16 == 0 && ld % 4 == 0 && s1 % 4 == 0 && s2 % 4 == 0;
    }

    /** The kernel arguments (the {@code GemmArgs} struct) for the launch of batch indices from {@code zbase}. */
    static long[] pack(Call c, Plan p, long zbase, long ws, long counters, boolean cvec) {
        return new long[] {c.a, c.b, c.c, c.bias, ws, counters, c.m, c.n, c.k, c.lda, c.ldb, c.ldc, c.z2, c.sa1,
            c.sa2, c.sb1, c.sb2, c.sc1, c.sc2, c.sbias1, c.sbias2, zbase, p.config().tilesM(c.m),
            p.config().tilesN(c.n), p.splits(), p.kchunk(), c.accumulate ? 1 : 0, cvec ? 1 : 0};
    }

    // ------------------------------------------------------------------ launchers

    /** Whether float32 products on the device may use TF32 tensor cores. */
    static boolean tf32(int device) {
        return Cuda.allowTf32() && CAPABILITY.computeIfAbsent(device, Driver::computeCapability) >= 80;
    }

    /** Zeroed int counters for split-K tiles (kernels leave them zero), one buffer per device. */
    private static synchronized long counters(int device) {
        if (device >= COUNTER_BUFFERS.length) {
            throw new IllegalArgumentException("matmul: cuda:" + device + " is beyond the supported device count");
        }
        CudaStorage s = COUNTER_BUFFERS[device];
        if (s == null) {
            s = (CudaStorage) CudaBackend.INSTANCE.allocate(Device.cuda(device), DType.FLOAT32, COUNTERS);
            MemoryScope.keep(NDArray.fromStorage(s, COUNTERS)); // lives as long as the process, in no scope
            COUNTER_BUFFERS[device] = s;
        }
        return s.address();
    }

    /** Launches one product (see {@link Call}); everything is queued on the device's stream, nothing waits. */
    static void run(int device, Call c) {
        if (c.m == 0 || c.n == 0 || c.batch() == 0) {
            return;
        }
        if (c.k <= 0) {
            throw new IllegalArgumentException("matmul: the inner dimension must be positive, got " + c.k);
        }
        if (c.bias != 0 && c.dtype != DType.FLOAT32 && c.dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("matmul: a bias needs float operands, got " + c.dtype);
        }
        Plan p = plan(c.dtype, c.dtype == DType.FLOAT32 && tf32(device), c.m, c.n, c.k, c.batch());
        boolean vec = p.config().vec && aligned16(c.a, c.lda, c.sa1, c.sa2) && aligned16(c.b, c.ldb, c.sb1, c.sb2);
        boolean cvec = c.dtype == DType.FLOAT32 && aligned16(c.c, c.ldc, c.sc1, c.sc2);
        Kernel kernel = Kernels.get(device, p.config().module, kernelName(p.config(), c.aTrans, c.bTrans, vec));
        long tiles = p.config().tilesM(c.m) * p.config().tilesN(c.n);
        if (tiles > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("matmul: [" + c.m + ", " + c.n + "] has too many tiles");
        }
        CudaStorage ws = null;
        long counters = 0;
        if (p.splits() > 1) {
            ws = CudaBackend.allocateUninitialized(Device.cuda(device), c.dtype,
                    Math.toIntExact(p.splits() * c.batch() * c.m * c.n));
            counters = counters(device);
        }
        try {
            long perLaunch = MAX_GRID_Y / p.splits();
            for (long z0 = 0; z0 < c.batch(); z0 += perLaunch) {
                long zc = Math.min(perLaunch, c.batch() - z0);
                kernel.launch((int) tiles, (int) (zc * p.splits()), 1, p.config().threads, 1, 1, 0,
                        pack(c, p, z0, ws == null ? 0 : ws.address(), counters, cvec));
            }
        } finally {
            if (ws != null) {
                ws.close(); // stream-ordered: the kernel above still runs before any reuse
            }
        }
    }

    static void matmul(NDArray a, NDArray b, NDArray out) {
        check(a, b, out);
        int batch = a.size(0);
        int m = a.size(1);
        int k = a.size(2);
        int n = b.size(2);
        int device = Kernels.device(out);
        if ((long) batch * m * n == 0) {
            return;
        }
        if (k == 0) {
            long item = out.dtype().itemSize();
            Driver.zero(device, Kernels.storage(out).address(), out.offset() * item, (long) out.numel() * item);
            return;
        }
        NDArray ac = layout(m, k, a.stride(1), a.stride(2)) == null ? a.contiguous() : a;
        NDArray bc = layout(k, n, b.stride(1), b.stride(2)) == null ? b.contiguous() : b;
        try {
            long[] la = layout(m, k, ac.stride(1), ac.stride(2));
            long[] lb = layout(k, n, bc.stride(1), bc.stride(2));
            Call c = new Call();
            c.dtype = out.dtype();
            c.m = m;
            c.n = n;
            c.k = k;
            c.a = Kernels.ptr(ac);
            c.aTrans = la[0] == 1;
            c.lda = la[1];
            c.b = Kernels.ptr(bc);
            c.bTrans = lb[0] == 1;
            c.ldb = lb[1];
            c.c = Kernels.ptr(out);
            c.ldc = n;
            c.z1 = batch;
            c.sa1 = batch == 1 ? 0 : ac.stride(0);
            c.sb1 = batch == 1 ? 0 : bc.stride(0);
            c.sc1 = (long) m * n;
            run(device, c);
        } finally {
            if (ac != a) {
                ac.storage().close();
            }
            if (bc != b) {
                bc.storage().close();
            }
        }
    }

    /** The contract of {@code Backend.matmul}, checked with messages naming what was expected. */
    static void check(NDArray a, NDArray b, NDArray out) {
        if (a.dim() != 3 || b.dim() != 3 || out.dim() != 3) {
            throw new IllegalArgumentException("matmul: expected 3-D a [B, M, K], b [B, K, N] and out [B, M, N], got "
                    + Arrays.toString(a.shape().toArray()) + ", " + Arrays.toString(b.shape().toArray()) + " and "
                    + Arrays.toString(out.shape().toArray()));
        }
        if (a.size(0) != b.size(0) || a.size(2) != b.size(1) || out.size(0) != a.size(0) || out.size(1) != a.size(1)
                || out.size(2) != b.size(2)) {
            throw new IllegalArgumentException("matmul: shapes do not match: a " + Arrays.toString(a.shape().toArray())
                    + ", b " + Arrays.toString(b.shape().toArray()) + ", out "
                    + Arrays.toString(out.shape().toArray()));
        }
        if (a.dtype() != out.dtype() || b.dtype() != out.dtype()) {
            throw new IllegalArgumentException("matmul: expected a, b and out of one dtype, got " + a.dtype() + ", "
                    + b.dtype() + " and " + out.dtype());
        }
        if (out.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("matmul: not defined for " + out.dtype());
        }
        if (!out.isContiguous()) {
            throw new IllegalArgumentException("matmul: out must be contiguous");
        }
    }
}
