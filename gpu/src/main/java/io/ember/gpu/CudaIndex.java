package io.ember.gpu;

import io.ember.gpu.cuda.Driver;
import io.ember.gpu.cuda.Pinned;
import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.MemoryScope;
import io.ember.tensor.NDArray;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Indexing kernels (module {@code index}, {@code gpu/src/main/cuda/index.cu}): index_select, index_add, gather,
 * scatter (plain or accumulating), nonzero; the semantics of the CPU backend's {@code CpuIndex}.
 *
 * <p>Layouts. index_select with both arrays contiguous (the embedding lookup, the DataLoader's batch gather) copies
 * whole rows as raw 16-, 8-, 4-, 2- or 1-byte units, whichever is the widest that the row length and both addresses
 * allow, whatever the dtype; index_add with both contiguous (the embedding gradient) adds rows. Everything else goes
 * through one general kernel per op that walks the iteration shape with each operand's strides, after dims that
 * are contiguous for every operand have been merged ({@link #coalesce}) — so at most 8 dims remain. Copy kernels
 * move raw bits (named by element size); accumulating ones add with {@code atomicAdd} (float32, float64, int64 as
 * unsigned 64-bit, which wraps like Java's {@code long}; BOOL ORs), so sums of repeated indices are not in the CPU's
 * order and float results may differ from the CPU's in the last bits. A plain scatter with repeated targets keeps one
 * of the written values, unspecified which (the CPU keeps the last; PyTorch leaves it undefined too).
 *
 * <p>Index values out of range. The CPU path checks indices on the host before its kernels; here that would copy
 * every index array to the host and wait for the device at every op. Instead (PyTorch asserts on the device) each
 * kernel checks every value it uses: an out-of-range (or negative) value is never used as an address — reads give 0,
 * writes and additions are skipped — and the first one is recorded in a small per-device error buffer. The error is
 * raised as an {@link IllegalArgumentException} with the CPU's message ({@code "gather: index 7 is out of range for
 * dim 1 of size 5"}) by {@link #checkErrors(int)}, which reads the buffer only when an index kernel ran since the
 * last check; it runs after every {@link #nonzero} (which waits for the device anyway), and the backend should call it
 * wherever it waits for the device (copies to the host, {@code synchronize}), so the error surfaces at the first point
 * where the program looks at device results, like CUDA's own asynchronous errors. The op that recorded the error and
 * everything computed from it hold those zeros / skipped writes.
 */
final class CudaIndex {
    static final String MODULE = "index";
    static final int THREADS = 256;
    /** Cap of grid-stride launches (an H100 holds about 1,056 blocks of 256 threads at once). */
    static final int MAX_BLOCKS = 4096;
    /** Most blocks of the two nonzero passes (their per-block counts are copied to the host). */
    static final int NONZERO_MAX_BLOCKS = 1024;
    /** The ints of the {@code IxLayout} struct: rank, dim, dimSize, aDimStride, idxStride, shape[8], sa[8], sb[8], si[8]. */
    static final int LAYOUT_INTS = 5 + 4 * Kernels.MAX_DIMS;

    static final int OP_INDEX_SELECT = 0;
    static final int OP_INDEX_ADD = 1;
    static final int OP_GATHER = 2;
    static final int OP_SCATTER = 3;
    static final int OP_SCATTER_ADD = 4;
    private static final String[] OP_NAMES = {"indexSelect", "indexAdd", "gather", "scatter", "scatterAdd"};

    private CudaIndex() {
    }

    /** Every kernel function this launcher can request from module {@code index}. */
    static List<String> kernelNames() {
        List<String> k = new ArrayList<>();
        for (int u : new int[] {16, 8, 4, 2, 1}) {
            k.add("index_select_rows_v" + u);
        }
        for (int e : new int[] {1, 4, 8}) {
            k.add("index_select_e" + e);
            k.add("gather_e" + e);
            k.add("scatter_e" + e);
        }
        for (DType t : DType.values()) {
            String s = Kernels.suffix(t);
            k.add("index_add_rows_" + s);
            k.add("index_add_" + s);
            k.add("scatter_add_" + s);
            k.add("nonzero_count_" + s);
            k.add("nonzero_write_" + s);
        }
        return k;
    }

    // ------------------------------------------------------------------------------------------------ launchers

    static void indexSelect(NDArray x, int dim, NDArray index, NDArray out) {
        String op = "indexSelect";
        int n = checkSlice(op, x, dim, index, out, "out");
        if (out.numel() == 0) {
            return;
        }
        int dev = sameDevice(op, x, index, out);
        int code = OP_INDEX_SELECT | dim << 8;
        int idxStride = index.dim() == 0 ? 0 : index.stride(0);
        int item = x.dtype().itemSize();
        if (x.isContiguous() && out.isContiguous()) {
            int[] s = x.shape().toArray();
            int outer = prod(s, 0, dim);
            int inner = prod(s, dim + 1, s.length);
            long rowBytes = (long) inner * item;
            int unit = rowUnit(rowBytes, Kernels.ptr(x), Kernels.ptr(out));
            int rowUnits = (int) (rowBytes / unit);
            long total = (long) outer * n * rowUnits;
            Kernels.get(dev, MODULE, "index_select_rows_v" + unit).launch1d(blocks(total), THREADS, 0,
                    Kernels.ptr(out), Kernels.ptr(x), Kernels.ptr(index), idxStride, n, x.size(dim), rowUnits,
                    (int) total, errorBuffer(dev), code);
        } else {
            int[] layout = sliceLayout(op, x, dim, idxStride, out);
            Kernels.get(dev, MODULE, "index_select_e" + item).launch1d(blocks(out.numel()), THREADS, 0,
                    Kernels.ptr(out), Kernels.ptr(x), Kernels.ptr(index), out.numel(), layout, errorBuffer(dev),
                    code);
        }
        launched(dev);
    }

    static void indexAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        String op = "indexAdd";
        int n = checkSlice(op, dst, dim, index, src, "source");
        if (src.numel() == 0) {
            return;
        }
        int dev = sameDevice(op, dst, index, src);
        int code = OP_INDEX_ADD | dim << 8;
        int idxStride = index.dim() == 0 ? 0 : index.stride(0);
        String sfx = Kernels.suffix(dst.dtype());
        if (dst.isContiguous() && src.isContiguous()) {
            int[] s = dst.shape().toArray();
            int inner = prod(s, dim + 1, s.length);
            Kernels.get(dev, MODULE, "index_add_rows_" + sfx).launch1d(blocks(src.numel()), THREADS, 0,
                    Kernels.ptr(dst), Kernels.ptr(src), Kernels.ptr(index), idxStride, n, dst.size(dim), inner,
                    src.numel(), errorBuffer(dev), code);
        } else {
            int[] layout = sliceLayout(op, dst, dim, idxStride, src);
            Kernels.get(dev, MODULE, "index_add_" + sfx).launch1d(blocks(src.numel()), THREADS, 0,
                    Kernels.ptr(dst), Kernels.ptr(src), Kernels.ptr(index), src.numel(), layout, errorBuffer(dev),
                    code);
        }
        launched(dev);
    }

    static void gather(NDArray x, int dim, NDArray index, NDArray out) {
        String op = "gather";
        checkPoint(op, x, dim, index, out, "out");
        if (!Arrays.equals(out.shape().toArray(), index.shape().toArray())) {
            throw new IllegalArgumentException(op + ": out shape " + out.shape() + " must be the index shape "
                    + index.shape());
        }
        if (index.numel() == 0) {
            return;
        }
        int dev = sameDevice(op, x, index, out);
        int[] layout = pointLayout(op, x, dim, index, out);
        Kernels.get(dev, MODULE, "gather_e" + x.dtype().itemSize()).launch1d(blocks(index.numel()), THREADS, 0,
                Kernels.ptr(out), Kernels.ptr(x), Kernels.ptr(index), index.numel(), layout, errorBuffer(dev),
                OP_GATHER | dim << 8);
        launched(dev);
    }

    static void scatter(NDArray dst, int dim, NDArray index, NDArray src, boolean accumulate) {
        String op = accumulate ? "scatterAdd" : "scatter";
        checkPoint(op, dst, dim, index, src, "source");
        if (index.numel() == 0) {
            return;
        }
        int dev = sameDevice(op, dst, index, src);
        int[] layout = pointLayout(op, dst, dim, index, src);
        String fn = accumulate ? "scatter_add_" + Kernels.suffix(dst.dtype()) : "scatter_e" + dst.dtype().itemSize();
        Kernels.get(dev, MODULE, fn).launch1d(blocks(index.numel()), THREADS, 0, Kernels.ptr(dst), Kernels.ptr(src),
                Kernels.ptr(index), index.numel(), layout, errorBuffer(dev),
                (accumulate ? OP_SCATTER_ADD : OP_SCATTER) | dim << 8);
        launched(dev);
    }

    /**
     * The coordinates of x's non-zero elements, INT64 {@code [count, rank]} in row-major order. Its size depends on
     * the data, so this waits for the device: a count pass, the per-block counts to the host, a write pass.
     */
    static NDArray nonzero(NDArray x) {
        String op = "nonzero";
        int rank = x.dim();
        if (rank > Kernels.MAX_DIMS) {
            throw new IllegalArgumentException(op + ": arrays of rank > " + Kernels.MAX_DIMS
                    + " are not supported on CUDA, got shape " + x.shape());
        }
        int n = x.numel();
        Device device = x.device();
        int dev = Kernels.device(x);
        if (n == 0) {
            return NDArray.fromStorage(CudaBackend.allocateUninitialized(device, DType.INT64, 0), 0, rank);
        }
        int[] grid = nonzeroGrid(n);
        int blocks = grid[0];
        int chunk = grid[1];
        int[] strided = stridedTable(x.shape().toArray(), x.strides());
        int contiguous = x.isContiguous() ? 1 : 0;
        String sfx = Kernels.suffix(x.dtype());
        CudaStorage counts = CudaBackend.allocateUninitialized(device, DType.INT64, blocks);
        try {
            long countsPtr = counts.address();
            Kernels.get(dev, MODULE, "nonzero_count_" + sfx).launch1d(blocks, THREADS, 0, Kernels.ptr(x), n, strided,
                    contiguous, chunk, countsPtr);
            long total = 0;
            for (long c : NDArray.fromStorage(counts, blocks).to(Device.CPU).toLongArray()) {
                total += c;
            }
            if (total * rank > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(op + ": " + total + " non-zero elements of an array of shape "
                        + x.shape() + " give more than " + Integer.MAX_VALUE + " coordinates");
            }
            CudaStorage out = CudaBackend.allocateUninitialized(device, DType.INT64, (int) total * rank);
            if (total > 0 && rank > 0) {
                Kernels.get(dev, MODULE, "nonzero_write_" + sfx).launch1d(blocks, THREADS, 0, Kernels.ptr(x), n,
                        strided, contiguous, chunk, countsPtr, out.address());
            }
            return NDArray.fromStorage(out, (int) total, rank);
        } finally {
            counts.close(); // in stream order after the write pass
            checkErrors(dev); // the device has just been waited for: errors of earlier index kernels cost nothing
        }
    }

    // ------------------------------------------------------------------------------------------- argument checks

    /** Checks of indexSelect / indexAdd; returns the index length. {@code other} is out / source. */
    static int checkSlice(String op, NDArray a, int dim, NDArray index, NDArray other, String otherName) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype());
        }
        if (index.dim() > 1) {
            throw new IllegalArgumentException(op + ": index must be 1-D, got shape " + index.shape());
        }
        if (a.dim() == 0 || dim < 0 || dim >= a.dim()) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for an array of shape "
                    + a.shape());
        }
        if (other.dtype() != a.dtype()) {
            throw new IllegalArgumentException(op + ": " + otherName + " dtype " + other.dtype() + " differs from "
                    + a.dtype());
        }
        int n = index.numel();
        int[] want = a.shape().toArray();
        want[dim] = n;
        if (!Arrays.equals(want, other.shape().toArray())) {
            throw new IllegalArgumentException(op + ": " + otherName + " shape " + other.shape() + " must be "
                    + Arrays.toString(want) + " (shape " + a.shape() + " with dim " + dim + " sized to the " + n
                    + " indices)");
        }
        return n;
    }

    /** Checks of gather / scatter. {@code other} is out / source. */
    static void checkPoint(String op, NDArray a, int dim, NDArray index, NDArray other, String otherName) {
        if (index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype());
        }
        if (other.dtype() != a.dtype()) {
            throw new IllegalArgumentException(op + ": " + otherName + " dtype " + other.dtype() + " differs from "
                    + a.dtype());
        }
        if (index.dim() != a.dim() || other.dim() != a.dim()) {
            throw new IllegalArgumentException(op + ": index and " + otherName + " must have the rank of the input;"
                    + " input shape " + a.shape() + ", index shape " + index.shape() + ", " + otherName + " shape "
                    + other.shape());
        }
        if (a.dim() > 0 && (dim < 0 || dim >= a.dim())) {
            throw new IllegalArgumentException(op + ": dim " + dim + " is out of range for an array of shape "
                    + a.shape());
        }
        for (int k = 0; k < a.dim(); k++) {
            if ((k != dim && index.size(k) > a.size(k)) || index.size(k) > other.size(k)) {
                throw new IllegalArgumentException(op + ": index shape " + index.shape() + " exceeds input shape "
                        + a.shape() + " or " + otherName + " shape " + other.shape() + " at dim " + k);
            }
        }
    }

    private static int sameDevice(String op, NDArray a, NDArray b, NDArray c) {
        int d = Kernels.device(a);
        if (Kernels.device(b) != d || Kernels.device(c) != d) {
            throw new IllegalArgumentException(op + ": arrays are on different devices: " + a.device() + ", "
                    + b.device() + ", " + c.device());
        }
        return d;
    }

    // ---------------------------------------------------------------------------------------- layouts and grids

    /** The shape and strides left after {@link #coalesce}: {@code dim} is -1 when the shape had no dims. */
    record Plan(int[] shape, int dim, int[] sa, int[] sb, int[] si) {
    }

    /**
     * Drops size-1 dims other than {@code dim} and merges neighbours {@code d, d+1} (neither of them {@code dim})
     * whose strides satisfy {@code stride[d] == shape[d+1] * stride[d+1]} for all three operands, so that every
     * position keeps its offsets in each operand. Offsets of the merged shape equal those of the original.
     */
    static Plan coalesce(int[] shape, int dim, int[] sa, int[] sb, int[] si) {
        int r = shape.length;
        int[] sh = new int[r];
        int[] a = new int[r];
        int[] b = new int[r];
        int[] c = new int[r];
        int k = 0;
        int newDim = -1;
        for (int d = 0; d < r; d++) {
            if (d != dim && shape[d] == 1) {
                continue;
            }
            int p = k - 1;
            if (p >= 0 && d != dim && p != newDim && a[p] == (long) shape[d] * sa[d]
                    && b[p] == (long) shape[d] * sb[d] && c[p] == (long) shape[d] * si[d]) {
                sh[p] *= shape[d];
                a[p] = sa[d];
                b[p] = sb[d];
                c[p] = si[d];
                continue;
            }
            if (d == dim) {
                newDim = k;
            }
            sh[k] = shape[d];
            a[k] = sa[d];
            b[k] = sb[d];
            c[k] = si[d];
            k++;
        }
        return new Plan(Arrays.copyOf(sh, k), newDim, Arrays.copyOf(a, k), Arrays.copyOf(b, k), Arrays.copyOf(c, k));
    }

    /** Packs the {@code IxLayout} struct of index.cu. */
    static int[] pack(String op, Plan p, int dimSize, int aDimStride, int idxStride) {
        int rank = p.shape().length;
        if (rank > Kernels.MAX_DIMS) {
            throw new IllegalArgumentException(op + ": arrays with more than " + Kernels.MAX_DIMS
                    + " dims that cannot be merged are not supported on CUDA (shape " + Arrays.toString(p.shape())
                    + " after merging)");
        }
        int m = Kernels.MAX_DIMS;
        int[] l = new int[LAYOUT_INTS];
        l[0] = rank;
        l[1] = p.dim();
        l[2] = dimSize;
        l[3] = aDimStride;
        l[4] = idxStride;
        System.arraycopy(p.shape(), 0, l, 5, rank);
        System.arraycopy(p.sa(), 0, l, 5 + m, rank);
        System.arraycopy(p.sb(), 0, l, 5 + 2 * m, rank);
        System.arraycopy(p.si(), 0, l, 5 + 3 * m, rank);
        return l;
    }

    /** indexSelect / indexAdd: iterate b (out / source); a's dim is indexed through a 1-D index of idxStride. */
    static int[] sliceLayout(String op, NDArray a, int dim, int idxStride, NDArray b) {
        int[] shape = b.shape().toArray();
        Plan p = coalesce(shape, dim, a.strides(), b.strides(), new int[shape.length]);
        return pack(op, p, a.size(dim), a.stride(dim), idxStride);
    }

    /** gather / scatter: iterate the index's shape; a's dim is indexed by the index's values. */
    static int[] pointLayout(String op, NDArray a, int dim, NDArray index, NDArray b) {
        int[] shape = index.shape().toArray();
        boolean scalar = a.dim() == 0;
        Plan p = coalesce(shape, scalar ? -1 : dim, a.strides(), b.strides(), index.strides());
        return pack(op, p, scalar ? 1 : a.size(dim), scalar ? 0 : a.stride(dim), 0);
    }

    /** common.cuh's {@code Strided}: {rank, shape[8], strides[8]}. */
    static int[] stridedTable(int[] shape, int[] strides) {
        int[] t = new int[1 + 2 * Kernels.MAX_DIMS];
        t[0] = shape.length;
        System.arraycopy(shape, 0, t, 1, shape.length);
        System.arraycopy(strides, 0, t, 1 + Kernels.MAX_DIMS, shape.length);
        return t;
    }

    /** The widest unit (16, 8, 4, 2 or 1 bytes) dividing a row's length and both addresses. */
    static int rowUnit(long rowBytes, long addrA, long addrB) {
        for (int u = 16; u > 1; u >>= 1) {
            if (rowBytes % u == 0 && addrA % u == 0 && addrB % u == 0) {
                return u;
            }
        }
        return 1;
    }

    /** {blocks, chunk} of the nonzero passes over n > 0 positions: chunk is a multiple of THREADS. */
    static int[] nonzeroGrid(int n) {
        long perBlock = Math.max(1, ((long) n + NONZERO_MAX_BLOCKS - 1) / NONZERO_MAX_BLOCKS);
        long chunk = (perBlock + THREADS - 1) / THREADS * THREADS;
        int blocks = (int) (((long) n + chunk - 1) / chunk);
        return new int[] {blocks, (int) chunk};
    }

    static int blocks(long n) {
        return Math.min(Kernels.blocks(n, THREADS), MAX_BLOCKS);
    }

    private static int prod(int[] s, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= s[i];
        }
        return p;
    }

    // ----------------------------------------------------------------------------------------- error reporting

    /** The error buffer of one device: 4 int64 {flag, value, dim size, op | dim << 8} and a pinned host copy. */
    private static final class Errors {
        final NDArray buffer;
        final Pinned host;
        volatile boolean pending;

        Errors(int device) {
            buffer = MemoryScope.keep(NDArray.fromStorage(
                    CudaBackend.INSTANCE.allocate(Device.cuda(device), DType.INT64, 4), 4));
            host = Driver.pinned(device, 4 * Long.BYTES);
        }
    }

    private static final Map<Integer, Errors> ERRORS = new ConcurrentHashMap<>();

    private static Errors errors(int device) {
        return ERRORS.computeIfAbsent(device, Errors::new);
    }

    private static long errorBuffer(int device) {
        return Kernels.ptr(errors(device).buffer);
    }

    private static void launched(int device) {
        errors(device).pending = true;
    }

    /**
     * Raises the first out-of-range index value that an index kernel on the device met since the last check, as an
     * {@link IllegalArgumentException} with the CPU's message, and clears it. Reads the device (waiting for it) only
     * when an index kernel ran since the last check; otherwise free.
     */
    static void checkErrors(int device) {
        Errors e = ERRORS.get(device);
        if (e == null || !e.pending) {
            return;
        }
        long[] v = new long[4];
        synchronized (e) {
            if (!e.pending) {
                return;
            }
            e.pending = false;
            CudaStorage s = Kernels.storage(e.buffer);
            Driver.copyToHost(device, e.host, s.base(), 0, 4 * Long.BYTES);
            ByteBuffer b = e.host.buffer();
            for (int i = 0; i < 4; i++) {
                v[i] = b.getLong(i * Long.BYTES);
            }
            if (v[0] != 0) {
                Driver.zero(device, s.base(), 0, 4 * Long.BYTES);
            }
        }
        if (v[0] != 0) {
            throw new IllegalArgumentException(errorMessage(device, v[1], v[2], v[3]));
        }
    }

    /** The message of a recorded error: the CPU's wording, then where it was found. */
    static String errorMessage(int device, long value, long size, long code) {
        int op = (int) (code & 0xff);
        int dim = (int) (code >> 8);
        String name = op >= 0 && op < OP_NAMES.length ? OP_NAMES[op] : "index op " + op;
        return name + ": index " + value + " is out of range for dim " + dim + " of size " + size
                + " (found by the kernel on cuda:" + device + " and reported at the next check: the out-of-range"
                + " positions were read as 0 or skipped)";
    }
}
