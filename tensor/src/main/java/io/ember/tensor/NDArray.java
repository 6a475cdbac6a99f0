package io.ember.tensor;

import io.ember.tensor.spi.Backend;
import io.ember.tensor.spi.Backends;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

import java.util.Arrays;
import java.util.List;

/**
 * An n-dimensional array: a strided view over a {@link Storage}. This is Ember's raw layer, like a
 * NumPy array or a PyTorch tensor without autograd: it knows shapes, strides, dtypes and devices.
 *
 * <p>Views ({@link #view}, {@link #permute}, {@link #transpose}, {@link #narrow}, {@link #slice},
 * {@link #select}, {@link #expand}, ...) share storage with their source; every other op returns
 * a new array, except the {@code ...InPlace} methods, which write into this array and return it.
 * Binary ops broadcast like NumPy. Dtype promotion is described on {@link DType}.
 *
 * <p>Errors name the op and what was wrong:
 * {@code matmul: cannot multiply [64, 784] by [256, 10] (784 != 256)}.
 */
public final class NDArray {
    final Storage storage;
    final int[] shape;
    final int[] strides;
    final int offset;
    final DType dtype;

    NDArray(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.dtype = storage.dtype();
    }

    // ------------------------------------------------------------------ low-level construction

    /** A contiguous array over a whole storage (for backends, Arrow and I/O code). */
    public static NDArray fromStorage(Storage storage, int... shape) {
        int[] s = shape.clone();
        Shape.check("fromStorage", s);
        if (Shape.numel(s) != storage.size()) {
            throw new IllegalArgumentException("fromStorage: shape " + Arrays.toString(s) + " has " + Shape.numel(s)
                    + " elements but the storage has " + storage.size());
        }
        return new NDArray(storage, s, contiguousStrides(s), 0);
    }

    /** A strided view over a storage (for backends). Bounds are checked. */
    public static NDArray strided(Storage storage, int[] shape, int[] strides, int offset) {
        int[] sh = shape.clone();
        int[] st = strides.clone();
        Shape.check("strided", sh);
        if (sh.length != st.length) {
            throw new IllegalArgumentException("strided: shape " + Arrays.toString(sh) + " and strides "
                    + Arrays.toString(st) + " differ in rank");
        }
        long lo = offset;
        long hi = offset;
        boolean empty = false;
        for (int i = 0; i < sh.length; i++) {
            if (sh[i] == 0) {
                empty = true;
            }
            long ext = (long) (sh[i] - 1) * st[i];
            if (ext < 0) {
                lo += ext;
            } else {
                hi += ext;
            }
        }
        if (!empty && (lo < 0 || hi >= storage.size())) {
            throw new IllegalArgumentException("strided: view " + Arrays.toString(sh) + " with strides "
                    + Arrays.toString(st) + " at offset " + offset + " exceeds a storage of " + storage.size()
                    + " elements");
        }
        return new NDArray(storage, sh, st, offset);
    }

    static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= Math.max(shape[i], 1);
        }
        return st;
    }

    /** A new zero-filled contiguous array on a device. */
    static NDArray allocate(DType dtype, Device device, int[] shape) {
        Shape.check("allocate", shape);
        Storage s = device.isCpu() ? HostStorage.allocate(dtype, Shape.numel(shape))
                : Backends.of(device).allocate(device, dtype, Shape.numel(shape));
        return new NDArray(s, shape, contiguousStrides(shape), 0);
    }

    Backend backend() {
        return storage.device().isCpu() ? Backends.cpu() : Backends.of(storage.device());
    }

    // ------------------------------------------------------------------ metadata

    public Shape shape() {
        return Shape.wrap(shape.clone());
    }

    /** Size of one dim; negative counts from the end. */
    public int size(int dim) {
        return shape[Shape.normalizeDim("size", dim, shape.length)];
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return Shape.numel(shape);
    }

    public DType dtype() {
        return dtype;
    }

    public Device device() {
        return storage.device();
    }

    public Storage storage() {
        return storage;
    }

    public int[] strides() {
        return strides.clone();
    }

    public int stride(int dim) {
        return strides[Shape.normalizeDim("stride", dim, shape.length)];
    }

    public int offset() {
        return offset;
    }

    /** Whether elements are laid out row-major without gaps (size-1 dims ignored). */
    public boolean isContiguous() {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1) {
                if (strides[i] != expected) {
                    return false;
                }
                expected *= shape[i];
            }
        }
        return true;
    }

    /** Whether two arrays share a storage. */
    public boolean sharesStorage(NDArray other) {
        return storage == other.storage;
    }

    // ------------------------------------------------------------------ creation (see Creation)

    public static NDArray zeros(int... shape) {
        return Creation.full(DType.FLOAT32, 0, shape);
    }

    public static NDArray zeros(DType dtype, int... shape) {
        return Creation.full(dtype, 0, shape);
    }

    public static NDArray ones(int... shape) {
        return Creation.full(DType.FLOAT32, 1, shape);
    }

    public static NDArray ones(DType dtype, int... shape) {
        return Creation.full(dtype, 1, shape);
    }

    public static NDArray full(double value, int... shape) {
        return Creation.full(DType.FLOAT32, value, shape);
    }

    public static NDArray full(DType dtype, double value, int... shape) {
        return Creation.full(dtype, value, shape);
    }

    /** Uninitialised in PyTorch; zero-filled here (the JVM zeroes memory anyway). */
    public static NDArray empty(int... shape) {
        return Creation.full(DType.FLOAT32, 0, shape);
    }

    public static NDArray empty(DType dtype, int... shape) {
        return Creation.full(dtype, 0, shape);
    }

    /** Zeros made on a device (no host copy), like {@code torch.zeros(shape, dtype=..., device=...)}. */
    public static NDArray zeros(DType dtype, Device device, int... shape) {
        return Creation.full(dtype, 0, shape, device);
    }

    /** A constant array made on a device (a fill kernel there, no host copy). */
    public static NDArray full(DType dtype, double value, Device device, int... shape) {
        return Creation.full(dtype, value, shape, device);
    }

    public static NDArray zerosLike(NDArray x) {
        return Creation.full(x.dtype, 0, x.shape, x.device());
    }

    public static NDArray onesLike(NDArray x) {
        return Creation.full(x.dtype, 1, x.shape, x.device());
    }

    public static NDArray fullLike(NDArray x, double value) {
        return Creation.full(x.dtype, value, x.shape, x.device());
    }

    /** {@code [0, 1, ..., end - 1]} as INT64. */
    public static NDArray arange(long end) {
        return Creation.arange(0, end, 1);
    }

    /** INT64 values from start (inclusive) to end (exclusive) by step. */
    public static NDArray arange(long start, long end, long step) {
        return Creation.arange(start, end, step);
    }

    /** FLOAT32 values from start (inclusive) to end (exclusive) by step. */
    public static NDArray arange(double start, double end, double step) {
        return Creation.arange(start, end, step);
    }

    /** {@code steps} FLOAT32 values evenly spaced from start to end, both included. */
    public static NDArray linspace(double start, double end, int steps) {
        return Creation.linspace(start, end, steps);
    }

    public static NDArray eye(int n) {
        return Creation.eye(n, n);
    }

    public static NDArray eye(int n, int m) {
        return Creation.eye(n, m);
    }

    /** Wraps a copy of the data with the given shape (1-D when no shape is given). */
    public static NDArray of(float[] data, int... shape) {
        return Creation.of(HostStorage.wrap(data.clone()), shape);
    }

    public static NDArray of(double[] data, int... shape) {
        return Creation.of(HostStorage.wrap(data.clone()), shape);
    }

    public static NDArray of(long[] data, int... shape) {
        return Creation.of(HostStorage.wrap(data.clone()), shape);
    }

    public static NDArray of(boolean[] data, int... shape) {
        return Creation.of(HostStorage.wrap(data.clone()), shape);
    }

    /** A 2-D FLOAT32 array from rows of equal length. */
    public static NDArray of(float[][] rows) {
        return Creation.of2d(rows);
    }

    /** A 0-d FLOAT32 array. */
    public static NDArray scalar(double value) {
        return Creation.full(DType.FLOAT32, value, new int[0]);
    }

    public static NDArray scalar(DType dtype, double value) {
        return Creation.full(dtype, value, new int[0]);
    }

    /** Uniform in [0, 1), FLOAT32, from the global generator. */
    public static NDArray rand(int... shape) {
        return Creation.uniform(Generator.global(), 0, 1, shape);
    }

    public static NDArray rand(Generator g, int... shape) {
        return Creation.uniform(g, 0, 1, shape);
    }

    /** Standard normal, FLOAT32. */
    public static NDArray randn(int... shape) {
        return Creation.normal(Generator.global(), 0, 1, shape);
    }

    public static NDArray randn(Generator g, int... shape) {
        return Creation.normal(g, 0, 1, shape);
    }

    /** INT64 uniform in [low, high). */
    public static NDArray randint(long low, long high, int... shape) {
        return Creation.randint(Generator.global(), low, high, shape);
    }

    public static NDArray randint(Generator g, long low, long high, int... shape) {
        return Creation.randint(g, low, high, shape);
    }

    public static NDArray normal(double mean, double std, int... shape) {
        return Creation.normal(Generator.global(), mean, std, shape);
    }

    public static NDArray normal(Generator g, double mean, double std, int... shape) {
        return Creation.normal(g, mean, std, shape);
    }

    public static NDArray uniform(Generator g, double low, double high, int... shape) {
        return Creation.uniform(g, low, high, shape);
    }

    /** A random permutation of {@code 0..n-1}, INT64. */
    public static NDArray randperm(int n, Generator g) {
        return Creation.randperm(n, g);
    }

    /** Fills this array with uniform values in [low, high) (for nn.init). */
    public NDArray uniformInPlace(Generator g, double low, double high) {
        return copyFrom(Creation.uniform(g, low, high, shape).to(dtype));
    }

    /** Fills this array with normal values (for nn.init). */
    public NDArray normalInPlace(Generator g, double mean, double std) {
        return copyFrom(Creation.normal(g, mean, std, shape).to(dtype));
    }

    // ------------------------------------------------------------------ element access

    private int flatIndex(String op, int[] idx) {
        if (idx.length != shape.length) {
            throw new IllegalArgumentException(op + ": expected " + shape.length + " indices for shape "
                    + Arrays.toString(shape) + ", got " + idx.length);
        }
        int p = offset;
        for (int i = 0; i < idx.length; i++) {
            int k = idx[i] < 0 ? idx[i] + shape[i] : idx[i];
            if (k < 0 || k >= shape[i]) {
                throw new IndexOutOfBoundsException(op + ": index " + idx[i] + " out of range for dim " + i
                        + " of size " + shape[i]);
            }
            p += k * strides[i];
        }
        return p;
    }

    private HostStorage host(String op) {
        if (!(storage instanceof HostStorage h)) {
            throw new IllegalStateException(op + ": array is on " + device() + "; call to(Device.CPU) first");
        }
        return h;
    }

    /** The element at an index, as a double. */
    public double getDouble(int... index) {
        HostStorage h = host("getDouble");
        int p = flatIndex("getDouble", index);
        return switch (dtype) {
            case FLOAT32 -> h.floats()[p];
            case FLOAT64 -> h.doubles()[p];
            case INT64 -> h.longs()[p];
            case BOOL -> h.bools()[p] ? 1 : 0;
        };
    }

    public float getFloat(int... index) {
        return (float) getDouble(index);
    }

    public long getLong(int... index) {
        HostStorage h = host("getLong");
        int p = flatIndex("getLong", index);
        return switch (dtype) {
            case FLOAT32 -> (long) h.floats()[p];
            case FLOAT64 -> (long) h.doubles()[p];
            case INT64 -> h.longs()[p];
            case BOOL -> h.bools()[p] ? 1 : 0;
        };
    }

    public boolean getBoolean(int... index) {
        return getDouble(index) != 0;
    }

    /** Sets one element (converted to this dtype). */
    public NDArray set(double value, int... index) {
        HostStorage h = host("set");
        int p = flatIndex("set", index);
        switch (dtype) {
            case FLOAT32 -> h.floats()[p] = (float) value;
            case FLOAT64 -> h.doubles()[p] = value;
            case INT64 -> h.longs()[p] = (long) value;
            case BOOL -> h.bools()[p] = value != 0;
        }
        return this;
    }

    /** The value of a one-element array. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: only one-element arrays can be converted to a scalar, got shape "
                    + Arrays.toString(shape));
        }
        NDArray c = device().isCpu() ? this : to(Device.CPU);
        return c.reshape().getDouble();
    }

    /** A host storage holding exactly this array's elements, row-major, that no array shares. */
    private HostStorage hostContiguous(DType as) {
        NDArray c = to(Device.CPU).to(as);
        // to() makes a fresh, full, contiguous array whenever it converts; otherwise copy
        return (HostStorage) (c == this ? c.clone() : c).storage;
    }

    /** A row-major copy of the elements as floats. */
    public float[] toFloatArray() {
        return hostContiguous(DType.FLOAT32).floats();
    }

    public double[] toDoubleArray() {
        return hostContiguous(DType.FLOAT64).doubles();
    }

    public long[] toLongArray() {
        return hostContiguous(DType.INT64).longs();
    }

    public boolean[] toBooleanArray() {
        return hostContiguous(DType.BOOL).bools();
    }

    // ------------------------------------------------------------------ views

    /** A view with a new shape (one size may be -1); fails if the strides do not allow it. */
    public NDArray view(int... newShape) {
        int[] ns = inferShape("view", newShape);
        int[] st = Views.viewStrides(shape, strides, ns);
        if (st == null) {
            throw new IllegalArgumentException("view: shape " + Arrays.toString(ns) + " is not compatible with "
                    + "input shape " + Arrays.toString(shape) + " and strides " + Arrays.toString(strides)
                    + " (at least one dimension spans across two contiguous subspaces); use reshape");
        }
        return new NDArray(storage, ns, st, offset);
    }

    /** Like {@link #view}, but copies when a view is impossible. */
    public NDArray reshape(int... newShape) {
        int[] ns = inferShape("reshape", newShape);
        int[] st = Views.viewStrides(shape, strides, ns);
        if (st != null) {
            return new NDArray(storage, ns, st, offset);
        }
        return contiguous().view(ns);
    }

    private int[] inferShape(String op, int[] requested) {
        int[] ns = requested.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < ns.length; i++) {
            if (ns[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException(op + ": only one dimension can be -1, got " + Arrays.toString(ns));
                }
                infer = i;
            } else if (ns[i] < 0) {
                throw new IllegalArgumentException(op + ": invalid size " + ns[i] + " in " + Arrays.toString(ns));
            } else {
                known *= ns[i];
            }
        }
        int n = numel();
        if (infer >= 0) {
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(ns) + " is invalid for input of size "
                        + n + " (shape " + Arrays.toString(shape) + ")");
            }
            ns[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException(op + ": shape " + Arrays.toString(ns) + " is invalid for input of size "
                    + n + " (shape " + Arrays.toString(shape) + ")");
        }
        return ns;
    }

    public NDArray flatten() {
        return reshape(-1);
    }

    /** Flattens dims {@code start..end} (inclusive) into one. */
    public NDArray flatten(int startDim, int endDim) {
        if (shape.length == 0) {
            return reshape(1);
        }
        int s = Shape.normalizeDim("flatten", startDim, shape.length);
        int e = Shape.normalizeDim("flatten", endDim, shape.length);
        if (s > e) {
            throw new IllegalArgumentException("flatten: start dim " + startDim + " comes after end dim " + endDim);
        }
        int[] ns = new int[shape.length - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) {
            ns[k++] = shape[i];
        }
        int m = 1;
        for (int i = s; i <= e; i++) {
            m *= shape[i];
        }
        ns[k++] = m;
        for (int i = e + 1; i < shape.length; i++) {
            ns[k++] = shape[i];
        }
        return reshape(ns);
    }

    /** Reorders dims: {@code permute(0, 2, 1)}. */
    public NDArray permute(int... dims) {
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute: expected " + shape.length + " dims for shape "
                    + Arrays.toString(shape) + ", got " + Arrays.toString(dims));
        }
        int[] ns = new int[dims.length];
        int[] st = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.normalizeDim("permute", dims[i], shape.length);
            if (seen[d]) {
                throw new IllegalArgumentException("permute: dim " + dims[i] + " repeated in " + Arrays.toString(dims));
            }
            seen[d] = true;
            ns[i] = shape[d];
            st[i] = strides[d];
        }
        return new NDArray(storage, ns, st, offset);
    }

    public NDArray transpose(int dim0, int dim1) {
        if (shape.length == 0) {
            return this;
        }
        int a = Shape.normalizeDim("transpose", dim0, shape.length);
        int b = Shape.normalizeDim("transpose", dim1, shape.length);
        int[] ns = shape.clone();
        int[] st = strides.clone();
        ns[a] = shape[b];
        ns[b] = shape[a];
        st[a] = strides[b];
        st[b] = strides[a];
        return new NDArray(storage, ns, st, offset);
    }

    /** Transpose of a matrix (arrays of rank <= 2). */
    public NDArray t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t: expects a tensor of rank <= 2, got shape " + Arrays.toString(shape)
                    + "; use transpose(dim0, dim1)");
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Removes every size-1 dim. */
    public NDArray squeeze() {
        int n = 0;
        for (int s : shape) {
            if (s != 1) {
                n++;
            }
        }
        int[] ns = new int[n];
        int[] st = new int[n];
        int k = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] != 1) {
                ns[k] = shape[i];
                st[k++] = strides[i];
            }
        }
        return new NDArray(storage, ns, st, offset);
    }

    /** Removes dim if its size is 1 (otherwise returns this view unchanged, like PyTorch). */
    public NDArray squeeze(int dim) {
        if (shape.length == 0) {
            Shape.normalizeDim("squeeze", dim, 0);
            return this;
        }
        int d = Shape.normalizeDim("squeeze", dim, shape.length);
        if (shape[d] != 1) {
            return this;
        }
        return new NDArray(storage, Views.remove(shape, d), Views.remove(strides, d), offset);
    }

    /** Inserts a size-1 dim at {@code dim} (which may be {@code dim()} to append). */
    public NDArray unsqueeze(int dim) {
        int d = Shape.normalizeDim("unsqueeze", dim, shape.length + 1);
        int st = d < shape.length ? strides[d] * shape[d] : 1;
        return new NDArray(storage, Views.insert(shape, d, 1), Views.insert(strides, d, st), offset);
    }

    /** Broadcasts size-1 dims to larger sizes without copying; -1 keeps a size. */
    public NDArray expand(int... sizes) {
        if (sizes.length < shape.length) {
            throw new IllegalArgumentException("expand: the number of sizes (" + sizes.length
                    + ") must be >= the rank of shape " + Arrays.toString(shape));
        }
        int lead = sizes.length - shape.length;
        int[] ns = new int[sizes.length];
        int[] st = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            int j = i - lead;
            int want = sizes[i];
            if (j < 0) {
                if (want < 0) {
                    throw new IllegalArgumentException("expand: -1 is not allowed for a new leading dim, got "
                            + Arrays.toString(sizes));
                }
                ns[i] = want;
                st[i] = 0;
            } else if (want == -1 || want == shape[j]) {
                ns[i] = shape[j];
                st[i] = strides[j];
            } else if (shape[j] == 1 && want >= 0) {
                ns[i] = want;
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("expand: cannot expand shape " + Arrays.toString(shape) + " to "
                        + Arrays.toString(sizes) + " (dim " + i + ": " + shape[j] + " -> " + want + ")");
            }
        }
        return new NDArray(storage, ns, st, offset);
    }

    public NDArray broadcastTo(int... newShape) {
        return expand(newShape);
    }

    public NDArray broadcastTo(Shape newShape) {
        return expand(newShape.toArray());
    }

    /** The shape two arrays broadcast to, or an error naming the op. */
    public static Shape broadcastShapes(Shape a, Shape b) {
        return Shape.wrap(Views.broadcast("broadcastShapes", a.toArray(), b.toArray()));
    }

    /** A view of {@code length} elements of dim starting at {@code start}. */
    public NDArray narrow(int dim, int start, int length) {
        int d = Shape.normalizeDim("narrow", dim, shape.length);
        int s = start < 0 ? start + shape[d] : start;
        if (s < 0 || length < 0 || s + length > shape[d]) {
            throw new IllegalArgumentException("narrow: start " + start + " + length " + length
                    + " exceeds dim " + d + " of size " + shape[d] + " (shape " + Arrays.toString(shape) + ")");
        }
        int[] ns = shape.clone();
        ns[d] = length;
        return new NDArray(storage, ns, strides, offset + s * strides[d]);
    }

    /**
     * Python-style slice {@code start:end:step} along dim, as a view. Negative start/end count from
     * the end; out-of-range bounds are clamped; step must be positive.
     */
    public NDArray slice(int dim, int start, int end, int step) {
        int d = Shape.normalizeDim("slice", dim, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int n = shape[d];
        int s = Views.clampIndex(start, n);
        int e = Views.clampIndex(end, n);
        int len = e > s ? (e - s + step - 1) / step : 0;
        int[] ns = shape.clone();
        int[] st = strides.clone();
        ns[d] = len;
        st[d] = strides[d] * step;
        return new NDArray(storage, ns, st, offset + (len > 0 ? s * strides[d] : 0));
    }

    public NDArray slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    /** Removes dim, taking position {@code index} of it (negative counts from the end). */
    public NDArray select(int dim, int index) {
        int d = Shape.normalizeDim("select", dim, shape.length);
        if (shape.length == 0) {
            throw new IllegalArgumentException("select: cannot select from a 0-d array");
        }
        int i = index < 0 ? index + shape[d] : index;
        if (i < 0 || i >= shape[d]) {
            throw new IndexOutOfBoundsException("select: index " + index + " out of range for dim " + d
                    + " of size " + shape[d] + " (shape " + Arrays.toString(shape) + ")");
        }
        return new NDArray(storage, Views.remove(shape, d), Views.remove(strides, d), offset + i * strides[d]);
    }

    /** This array if contiguous, else a contiguous copy. */
    public NDArray contiguous() {
        return isContiguous() ? this : clone();
    }

    /** A contiguous copy with its own storage. */
    @Override
    public NDArray clone() {
        NDArray out = allocate(dtype, device(), shape.clone());
        backend().copy(this, out);
        return out;
    }

    /** Copies src (broadcast to this shape, converted to this dtype) into this array; returns this. */
    public NDArray copyFrom(NDArray src) {
        Views.checkWritable("copyFrom", this);
        NDArray s = src.device().equals(device()) ? src : src.to(device());
        backend().copy(s.expand(Views.broadcastTarget("copyFrom", s.shape, shape)), this);
        return this;
    }

    /** This array converted to a dtype (itself when it already has it). */
    public NDArray to(DType target) {
        if (target == dtype) {
            return this;
        }
        NDArray out = allocate(target, device(), shape.clone());
        backend().copy(this, out);
        return out;
    }

    /** This array on a device (itself when already there). */
    public NDArray to(Device target) {
        if (target.equals(device())) {
            return this;
        }
        NDArray c = contiguous();
        if (c.offset != 0 || c.storage.size() != c.numel()) {
            c = c.clone();
        }
        HostStorage h = c.device().isCpu() ? (HostStorage) c.storage : c.backend().toHost(c.storage);
        Storage s = target.isCpu() ? h : Backends.of(target).fromHost(h, target);
        return new NDArray(s, shape.clone(), contiguousStrides(shape), 0);
    }

    // ------------------------------------------------------------------ elementwise (see Elementwise)

    public NDArray add(NDArray other) {
        return Elementwise.binary(BinaryOp.ADD, this, other);
    }

    /** {@code this + alpha * other}. */
    public NDArray add(NDArray other, double alpha) {
        return alpha == 1 ? add(other) : add(other.mul(alpha));
    }

    public NDArray add(double value) {
        return Elementwise.binaryScalar(BinaryOp.ADD, this, value, false);
    }

    public NDArray sub(NDArray other) {
        return Elementwise.binary(BinaryOp.SUB, this, other);
    }

    public NDArray sub(double value) {
        return Elementwise.binaryScalar(BinaryOp.SUB, this, value, false);
    }

    /** {@code value - this}. */
    public NDArray rsub(double value) {
        return Elementwise.binaryScalar(BinaryOp.SUB, this, value, true);
    }

    public NDArray mul(NDArray other) {
        return Elementwise.binary(BinaryOp.MUL, this, other);
    }

    public NDArray mul(double value) {
        return Elementwise.binaryScalar(BinaryOp.MUL, this, value, false);
    }

    /** True division: integer inputs give FLOAT32. */
    public NDArray div(NDArray other) {
        return Elementwise.binary(BinaryOp.DIV, this, other);
    }

    public NDArray div(double value) {
        return Elementwise.binaryScalar(BinaryOp.DIV, this, value, false);
    }

    /** {@code value / this}. */
    public NDArray rdiv(double value) {
        return Elementwise.binaryScalar(BinaryOp.DIV, this, value, true);
    }

    public NDArray pow(NDArray exponent) {
        return Elementwise.binary(BinaryOp.POW, this, exponent);
    }

    public NDArray pow(double exponent) {
        if (exponent == 2) {
            return Elementwise.unary(UnaryOp.SQUARE, this, 0, 0);
        }
        if (!dtype.isFloating() && exponent == Math.rint(exponent) && exponent >= 0) {
            return Elementwise.binaryScalar(BinaryOp.POW, this, exponent, false);
        }
        return Elementwise.unary(UnaryOp.POW_SCALAR, this, exponent, 0);
    }

    /** {@code base ^ this}. */
    public NDArray rpow(double base) {
        return Elementwise.unary(UnaryOp.RPOW_SCALAR, this, base, 0);
    }

    public NDArray remainder(NDArray other) {
        return Elementwise.binary(BinaryOp.REMAINDER, this, other);
    }

    public NDArray remainder(double value) {
        return Elementwise.binaryScalar(BinaryOp.REMAINDER, this, value, false);
    }

    public NDArray atan2(NDArray other) {
        return Elementwise.binary(BinaryOp.ATAN2, this, other);
    }

    public NDArray minimum(NDArray other) {
        return Elementwise.binary(BinaryOp.MINIMUM, this, other);
    }

    public NDArray maximum(NDArray other) {
        return Elementwise.binary(BinaryOp.MAXIMUM, this, other);
    }

    public NDArray neg() {
        return Elementwise.unary(UnaryOp.NEG, this, 0, 0);
    }

    public NDArray abs() {
        return Elementwise.unary(UnaryOp.ABS, this, 0, 0);
    }

    public NDArray sign() {
        return Elementwise.unary(UnaryOp.SIGN, this, 0, 0);
    }

    public NDArray square() {
        return Elementwise.unary(UnaryOp.SQUARE, this, 0, 0);
    }

    public NDArray exp() {
        return Elementwise.unary(UnaryOp.EXP, this, 0, 0);
    }

    public NDArray expm1() {
        return Elementwise.unary(UnaryOp.EXPM1, this, 0, 0);
    }

    public NDArray log() {
        return Elementwise.unary(UnaryOp.LOG, this, 0, 0);
    }

    public NDArray log1p() {
        return Elementwise.unary(UnaryOp.LOG1P, this, 0, 0);
    }

    public NDArray sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, this, 0, 0);
    }

    public NDArray rsqrt() {
        return Elementwise.unary(UnaryOp.RSQRT, this, 0, 0);
    }

    public NDArray reciprocal() {
        return Elementwise.unary(UnaryOp.RECIPROCAL, this, 0, 0);
    }

    public NDArray sin() {
        return Elementwise.unary(UnaryOp.SIN, this, 0, 0);
    }

    public NDArray cos() {
        return Elementwise.unary(UnaryOp.COS, this, 0, 0);
    }

    public NDArray tanh() {
        return Elementwise.unary(UnaryOp.TANH, this, 0, 0);
    }

    public NDArray sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, this, 0, 0);
    }

    public NDArray relu() {
        return Elementwise.unary(UnaryOp.RELU, this, 0, 0);
    }

    /** Exact GELU, {@code x * Phi(x)}. */
    public NDArray gelu() {
        return Elementwise.unary(UnaryOp.GELU, this, 0, 0);
    }

    /** GELU with the tanh approximation ({@code approximate="tanh"} in PyTorch). */
    public NDArray geluTanh() {
        return Elementwise.unary(UnaryOp.GELU_TANH, this, 0, 0);
    }

    /** The error function, elementwise. */
    public NDArray erf() {
        return Elementwise.unary(UnaryOp.ERF, this, 0, 0);
    }

    public NDArray silu() {
        return Elementwise.unary(UnaryOp.SILU, this, 0, 0);
    }

    public NDArray leakyRelu(double negativeSlope) {
        return Elementwise.unary(UnaryOp.LEAKY_RELU, this, negativeSlope, 0);
    }

    public NDArray elu(double alpha) {
        return Elementwise.unary(UnaryOp.ELU, this, alpha, 0);
    }

    public NDArray floor() {
        return Elementwise.unary(UnaryOp.FLOOR, this, 0, 0);
    }

    public NDArray ceil() {
        return Elementwise.unary(UnaryOp.CEIL, this, 0, 0);
    }

    /** Rounds half to even, like PyTorch. */
    public NDArray round() {
        return Elementwise.unary(UnaryOp.ROUND, this, 0, 0);
    }

    /** Clamps into [min, max]; pass NaN for a missing bound. */
    public NDArray clamp(double min, double max) {
        return Elementwise.clamp(this, min, max);
    }

    public NDArray clampMin(double min) {
        return clamp(min, Double.NaN);
    }

    public NDArray clampMax(double max) {
        return clamp(Double.NaN, max);
    }

    public NDArray eq(NDArray other) {
        return Elementwise.binary(BinaryOp.EQ, this, other);
    }

    public NDArray eq(double value) {
        return Elementwise.binaryScalar(BinaryOp.EQ, this, value, false);
    }

    public NDArray ne(NDArray other) {
        return Elementwise.binary(BinaryOp.NE, this, other);
    }

    public NDArray ne(double value) {
        return Elementwise.binaryScalar(BinaryOp.NE, this, value, false);
    }

    public NDArray lt(NDArray other) {
        return Elementwise.binary(BinaryOp.LT, this, other);
    }

    public NDArray lt(double value) {
        return Elementwise.binaryScalar(BinaryOp.LT, this, value, false);
    }

    public NDArray le(NDArray other) {
        return Elementwise.binary(BinaryOp.LE, this, other);
    }

    public NDArray le(double value) {
        return Elementwise.binaryScalar(BinaryOp.LE, this, value, false);
    }

    public NDArray gt(NDArray other) {
        return Elementwise.binary(BinaryOp.GT, this, other);
    }

    public NDArray gt(double value) {
        return Elementwise.binaryScalar(BinaryOp.GT, this, value, false);
    }

    public NDArray ge(NDArray other) {
        return Elementwise.binary(BinaryOp.GE, this, other);
    }

    public NDArray ge(double value) {
        return Elementwise.binaryScalar(BinaryOp.GE, this, value, false);
    }

    public NDArray logicalAnd(NDArray other) {
        return Elementwise.binary(BinaryOp.LOGICAL_AND, this, other);
    }

    public NDArray logicalOr(NDArray other) {
        return Elementwise.binary(BinaryOp.LOGICAL_OR, this, other);
    }

    public NDArray logicalXor(NDArray other) {
        return Elementwise.binary(BinaryOp.LOGICAL_XOR, this, other);
    }

    public NDArray logicalNot() {
        return Elementwise.unary(UnaryOp.LOGICAL_NOT, this, 0, 0);
    }

    public NDArray isNan() {
        return Elementwise.unary(UnaryOp.ISNAN, this, 0, 0);
    }

    public NDArray isFinite() {
        return Elementwise.unary(UnaryOp.ISFINITE, this, 0, 0);
    }

    /** {@code cond ? x : y}, broadcasting all three. */
    public static NDArray where(NDArray cond, NDArray x, NDArray y) {
        return Elementwise.where(cond, x, y);
    }

    // ------------------------------------------------------------------ in place (optimizer updates)

    public NDArray addInPlace(NDArray other) {
        return Elementwise.binaryInPlace(BinaryOp.ADD, this, other);
    }

    /** {@code this += alpha * other}. */
    public NDArray addInPlace(NDArray other, double alpha) {
        return Elementwise.binaryInPlace(BinaryOp.ADD, this, alpha == 1 ? other : other.mul(alpha));
    }

    public NDArray addInPlace(double value) {
        return Elementwise.binaryInPlace(BinaryOp.ADD, this, Elementwise.scalarLike(this, value));
    }

    public NDArray subInPlace(NDArray other) {
        return Elementwise.binaryInPlace(BinaryOp.SUB, this, other);
    }

    public NDArray subInPlace(double value) {
        return Elementwise.binaryInPlace(BinaryOp.SUB, this, Elementwise.scalarLike(this, value));
    }

    public NDArray mulInPlace(NDArray other) {
        return Elementwise.binaryInPlace(BinaryOp.MUL, this, other);
    }

    public NDArray mulInPlace(double value) {
        return Elementwise.binaryInPlace(BinaryOp.MUL, this, Elementwise.scalarLike(this, value));
    }

    public NDArray divInPlace(NDArray other) {
        return Elementwise.binaryInPlace(BinaryOp.DIV, this, other);
    }

    public NDArray divInPlace(double value) {
        return Elementwise.binaryInPlace(BinaryOp.DIV, this, Elementwise.scalarLike(this, value));
    }

    public NDArray maximumInPlace(NDArray other) {
        return Elementwise.binaryInPlace(BinaryOp.MAXIMUM, this, other);
    }

    public NDArray minimumInPlace(NDArray other) {
        return Elementwise.binaryInPlace(BinaryOp.MINIMUM, this, other);
    }

    /** {@code this += value * t1 * t2}. */
    public NDArray addcmulInPlace(NDArray t1, NDArray t2, double value) {
        return addInPlace(t1.mul(t2), value);
    }

    /** {@code this += value * t1 / t2}. */
    public NDArray addcdivInPlace(NDArray t1, NDArray t2, double value) {
        return addInPlace(t1.div(t2), value);
    }

    /** {@code this += weight * (end - this)}. */
    public NDArray lerpInPlace(NDArray end, double weight) {
        return addInPlace(end.sub(this), weight);
    }

    public NDArray sqrtInPlace() {
        return Elementwise.unaryInPlace(UnaryOp.SQRT, this, 0, 0);
    }

    public NDArray negInPlace() {
        return Elementwise.unaryInPlace(UnaryOp.NEG, this, 0, 0);
    }

    public NDArray reluInPlace() {
        return Elementwise.unaryInPlace(UnaryOp.RELU, this, 0, 0);
    }

    public NDArray expInPlace() {
        return Elementwise.unaryInPlace(UnaryOp.EXP, this, 0, 0);
    }

    public NDArray clampInPlace(double min, double max) {
        return Elementwise.unaryInPlace(UnaryOp.CLAMP, this, min, max);
    }

    public NDArray powInPlace(double exponent) {
        return Elementwise.unaryInPlace(UnaryOp.POW_SCALAR, this, exponent, 0);
    }

    /** Sets every element; returns this. */
    public NDArray fillInPlace(double value) {
        Views.checkWritable("fillInPlace", this);
        backend().fill(this, value);
        return this;
    }

    public NDArray zeroInPlace() {
        return fillInPlace(0);
    }

    // ------------------------------------------------------------------ reductions (see Reductions)

    /** Sum of all elements (0-d). Integer and bool inputs sum as INT64. */
    public NDArray sum() {
        return Reductions.reduce(ReduceOp.SUM, this, null, false, 0);
    }

    public NDArray sum(int dim) {
        return Reductions.reduce(ReduceOp.SUM, this, new int[] {dim}, false, 0);
    }

    public NDArray sum(int dim, boolean keepdim) {
        return Reductions.reduce(ReduceOp.SUM, this, new int[] {dim}, keepdim, 0);
    }

    /** Sum over several dims (an empty array means all dims). */
    public NDArray sum(int[] dims, boolean keepdim) {
        return Reductions.reduce(ReduceOp.SUM, this, dims, keepdim, 0);
    }

    public NDArray mean() {
        return Reductions.reduce(ReduceOp.MEAN, this, null, false, 0);
    }

    public NDArray mean(int dim, boolean keepdim) {
        return Reductions.reduce(ReduceOp.MEAN, this, new int[] {dim}, keepdim, 0);
    }

    public NDArray mean(int[] dims, boolean keepdim) {
        return Reductions.reduce(ReduceOp.MEAN, this, dims, keepdim, 0);
    }

    public NDArray prod() {
        return Reductions.reduce(ReduceOp.PROD, this, null, false, 0);
    }

    public NDArray prod(int dim, boolean keepdim) {
        return Reductions.reduce(ReduceOp.PROD, this, new int[] {dim}, keepdim, 0);
    }

    /** Largest element (0-d). */
    public NDArray max() {
        return Reductions.reduce(ReduceOp.MAX, this, null, false, 0);
    }

    /** Largest values along dim and their indices (first occurrence). */
    public ValuesIndices max(int dim, boolean keepdim) {
        return Reductions.withIndices(ReduceOp.MAX, this, dim, keepdim);
    }

    /** Largest values over several dims. */
    public NDArray amax(int[] dims, boolean keepdim) {
        return Reductions.reduce(ReduceOp.MAX, this, dims, keepdim, 0);
    }

    public NDArray min() {
        return Reductions.reduce(ReduceOp.MIN, this, null, false, 0);
    }

    public ValuesIndices min(int dim, boolean keepdim) {
        return Reductions.withIndices(ReduceOp.MIN, this, dim, keepdim);
    }

    public NDArray amin(int[] dims, boolean keepdim) {
        return Reductions.reduce(ReduceOp.MIN, this, dims, keepdim, 0);
    }

    /** Index of the largest element in the flattened array (0-d INT64). */
    public NDArray argmax() {
        return Reductions.withIndices(ReduceOp.MAX, this.reshape(-1), 0, false).indices();
    }

    public NDArray argmax(int dim, boolean keepdim) {
        return Reductions.withIndices(ReduceOp.MAX, this, dim, keepdim).indices();
    }

    public NDArray argmin() {
        return Reductions.withIndices(ReduceOp.MIN, this.reshape(-1), 0, false).indices();
    }

    public NDArray argmin(int dim, boolean keepdim) {
        return Reductions.withIndices(ReduceOp.MIN, this, dim, keepdim).indices();
    }

    /** Variance of all elements; {@code unbiased} divides by n - 1. */
    public NDArray var(boolean unbiased) {
        return Reductions.reduce(ReduceOp.VAR, this, null, false, unbiased ? 1 : 0);
    }

    public NDArray var(int[] dims, boolean unbiased, boolean keepdim) {
        return Reductions.reduce(ReduceOp.VAR, this, dims, keepdim, unbiased ? 1 : 0);
    }

    public NDArray std(boolean unbiased) {
        return var(unbiased).sqrt();
    }

    public NDArray std(int[] dims, boolean unbiased, boolean keepdim) {
        return var(dims, unbiased, keepdim).sqrt();
    }

    /** {@code log(sum(exp(x)))} over dims, computed stably. */
    public NDArray logSumExp(int[] dims, boolean keepdim) {
        return Reductions.reduce(ReduceOp.LOGSUMEXP, this, dims, keepdim, 0);
    }

    public NDArray logSumExp(int dim, boolean keepdim) {
        return logSumExp(new int[] {dim}, keepdim);
    }

    /** The 2-norm of all elements. */
    public NDArray norm() {
        return Reductions.reduce(ReduceOp.NORM, this, null, false, 2);
    }

    public NDArray norm(double p) {
        return Reductions.reduce(ReduceOp.NORM, this, null, false, p);
    }

    public NDArray norm(double p, int[] dims, boolean keepdim) {
        return Reductions.reduce(ReduceOp.NORM, this, dims, keepdim, p);
    }

    public NDArray any() {
        return Reductions.reduce(ReduceOp.ANY, this, null, false, 0);
    }

    public NDArray any(int dim, boolean keepdim) {
        return Reductions.reduce(ReduceOp.ANY, this, new int[] {dim}, keepdim, 0);
    }

    public NDArray all() {
        return Reductions.reduce(ReduceOp.ALL, this, null, false, 0);
    }

    public NDArray all(int dim, boolean keepdim) {
        return Reductions.reduce(ReduceOp.ALL, this, new int[] {dim}, keepdim, 0);
    }

    /** Softmax along dim (numerically stable). */
    public NDArray softmax(int dim) {
        return Reductions.softmax(this, dim, false);
    }

    public NDArray logSoftmax(int dim) {
        return Reductions.softmax(this, dim, true);
    }

    // ------------------------------------------------------------------ linear algebra (see LinAlg)

    /** Matrix product with PyTorch's rules for 1-D, 2-D and batched (broadcast) operands. */
    public NDArray matmul(NDArray other) {
        return LinAlg.matmul(this, other);
    }

    /** 2-D matrix product. */
    public NDArray mm(NDArray other) {
        return LinAlg.mm(this, other);
    }

    /** Batched product of {@code [B, M, K]} and {@code [B, K, N]}. */
    public NDArray bmm(NDArray other) {
        return LinAlg.bmm(this, other);
    }

    /** Matrix-vector product. */
    public NDArray mv(NDArray vec) {
        return LinAlg.mv(this, vec);
    }

    /** Dot product of two 1-D arrays (0-d). */
    public NDArray dot(NDArray other) {
        return LinAlg.dot(this, other);
    }

    /** Outer product of two 1-D arrays. */
    public NDArray outer(NDArray other) {
        return LinAlg.outer(this, other);
    }

    // ------------------------------------------------------------------ indexing (see Indexing)

    /**
     * NumPy/PyTorch-style indexing: {@code x.index(Index.slice(0, 10, 2), Index.at(3))}. Integers,
     * slices, {@link Index#newAxis()} and {@link Index#ellipsis()} give a view; integer or bool
     * arrays ({@link Index#of}) give a copy.
     */
    public NDArray index(Index... indices) {
        return Indexing.index(this, indices);
    }

    /** Writes values (broadcast) into the positions {@link #index} selects; returns this. */
    public NDArray indexPut(Index[] indices, NDArray values) {
        return Indexing.indexPut(this, indices, values, false);
    }

    /**
     * Like {@link #indexPut(Index[], NDArray)}; with {@code accumulate} the values are added, and positions that
     * an advanced index names more than once receive the sum of their values.
     */
    public NDArray indexPut(Index[] indices, NDArray values, boolean accumulate) {
        return Indexing.indexPut(this, indices, values, accumulate);
    }

    public NDArray indexSelect(int dim, NDArray index) {
        return Indexing.indexSelect(this, dim, index);
    }

    public NDArray gather(int dim, NDArray index) {
        return Indexing.gather(this, dim, index);
    }

    /** A copy of this with {@code src} written at index along dim. */
    public NDArray scatter(int dim, NDArray index, NDArray src) {
        return Indexing.scatter(this, dim, index, src, false);
    }

    public NDArray scatter(int dim, NDArray index, double value) {
        return Indexing.scatterValue(this, dim, index, value);
    }

    /** A copy of this with {@code src} added at index along dim. */
    public NDArray scatterAdd(int dim, NDArray index, NDArray src) {
        return Indexing.scatter(this, dim, index, src, true);
    }

    public NDArray scatterAddInPlace(int dim, NDArray index, NDArray src) {
        return Indexing.scatterInPlace(this, dim, index, src, true);
    }

    /** A copy of this with slices of {@code src} added at positions index along dim. */
    public NDArray indexAdd(int dim, NDArray index, NDArray src) {
        return Indexing.indexAdd(this.clone(), dim, index, src);
    }

    public NDArray indexAddInPlace(int dim, NDArray index, NDArray src) {
        return Indexing.indexAdd(this, dim, index, src);
    }

    /** The elements where mask (broadcast) is true, as a 1-D array. */
    public NDArray maskedSelect(NDArray mask) {
        return Indexing.maskedSelect(this, mask);
    }

    public NDArray maskedFill(NDArray mask, double value) {
        return Indexing.maskedFill(this.clone(), mask, value);
    }

    public NDArray maskedFillInPlace(NDArray mask, double value) {
        return Indexing.maskedFill(this, mask, value);
    }

    /** Coordinates of non-zero elements, INT64 {@code [count, dim()]}. */
    public NDArray nonzero() {
        return Indexing.nonzero(this);
    }

    // ------------------------------------------------------------------ joining (see Joining)

    public static NDArray cat(List<NDArray> arrays, int dim) {
        return Joining.cat(arrays, dim);
    }

    public static NDArray cat(int dim, NDArray... arrays) {
        return Joining.cat(Arrays.asList(arrays), dim);
    }

    public static NDArray stack(List<NDArray> arrays, int dim) {
        return Joining.stack(arrays, dim);
    }

    public static NDArray stack(int dim, NDArray... arrays) {
        return Joining.stack(Arrays.asList(arrays), dim);
    }

    /** Views of {@code splitSize} along dim (the last may be smaller). */
    public List<NDArray> split(int splitSize, int dim) {
        return Joining.split(this, splitSize, dim);
    }

    /** Views with the given sizes along dim; sizes must add up to the dim's size. */
    public List<NDArray> split(int[] sizes, int dim) {
        return Joining.split(this, sizes, dim);
    }

    /** {@code chunks} views along dim, like {@code torch.chunk}. */
    public List<NDArray> chunk(int chunks, int dim) {
        return Joining.chunk(this, chunks, dim);
    }

    /** The slices along dim, each without that dim. */
    public List<NDArray> unbind(int dim) {
        return Joining.unbind(this, dim);
    }

    // ------------------------------------------------------------------ printing and comparison

    /** Prints like PyTorch: {@code tensor([[1., 2.], [3., 4.]], dtype=float32)}, summarized when large. */
    @Override
    public String toString() {
        return Printer.format(this);
    }

    /**
     * Value equality ({@code torch.equal}): same shape, dtype and elements (NaN != NaN). Arrays are
     * mutable: do not keep them as keys in hashed collections across writes.
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof NDArray other && Compare.equal(this, other);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + dtype.hashCode();
    }

    /** {@code |this - other| <= atol + rtol * |other|} elementwise (rtol 1e-5, atol 1e-8, like PyTorch). */
    public boolean allClose(NDArray other) {
        return Compare.allClose(this, other, 1e-5, 1e-8, false);
    }

    public boolean allClose(NDArray other, double rtol, double atol) {
        return Compare.allClose(this, other, rtol, atol, false);
    }

    public boolean allClose(NDArray other, double rtol, double atol, boolean equalNan) {
        return Compare.allClose(this, other, rtol, atol, equalNan);
    }
}
