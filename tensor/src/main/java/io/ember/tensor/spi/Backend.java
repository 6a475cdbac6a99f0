package io.ember.tensor.spi;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import io.ember.tensor.Storage;

/**
 * A device implementation: storage and kernels. The CPU backend lives in this module; the CUDA
 * backend ({@code ember-gpu}) is found through {@link java.util.ServiceLoader}, so this module
 * never depends on it.
 *
 * <p>Contract for every kernel: {@link NDArray} validates arguments, computes result shapes and
 * dtypes, converts inputs to the compute dtype, broadcasts them (as stride-0 views) and allocates
 * outputs before calling. Inputs may be any strided view on this backend's device; outputs are
 * freshly allocated contiguous arrays unless the method says otherwise (in-place ops pass a view).
 * A backend that lacks a kernel throws {@link UnsupportedOperationException} naming the op and
 * the device.
 */
public interface Backend {

    Device.Type deviceType();

    /** Whether at least one device of this type can be used in this process. */
    boolean isAvailable();

    int deviceCount();

    /** Why {@link #isAvailable()} is false, in one line ("no CUDA driver: libcuda.so.1 not found", ...). */
    default String unavailableReason() {
        return "no " + deviceType().name().toLowerCase(java.util.Locale.ROOT) + " device found";
    }

    /** A zero-filled storage of {@code numel} elements. */
    Storage allocate(Device device, DType dtype, int numel);

    /** Copies host data into a new storage on {@code device}. */
    Storage fromHost(HostStorage host, Device device);

    /** Copies a storage into a new host storage. */
    HostStorage toHost(Storage storage);

    /** {@code dst[i] = (dst dtype) src[i]}; same shape; dst may be a strided view. */
    void copy(NDArray src, NDArray dst);

    /** Sets every element of the (possibly strided) view {@code dst}. */
    void fill(NDArray dst, double value);

    /** {@code out = op(x)}; out may be x itself (in place). */
    void unary(UnaryOp op, NDArray x, NDArray out, double a, double b);

    /** {@code out = op(x, y)}; x and y have out's shape and dtype; out may alias x (in place). */
    void binary(BinaryOp op, NDArray x, NDArray y, NDArray out);

    /** {@code out = cond ? x : y}; all of out's shape; x, y of out's dtype, cond BOOL. */
    void where(NDArray cond, NDArray x, NDArray y, NDArray out);

    /**
     * Reduces {@code x} over {@code dims} (sorted, distinct, non-empty) into {@code out}, which has
     * x's rank with size 1 at the reduced dims. {@code indices} (INT64, out's shape, may be null)
     * receives the arg index for MAX and MIN over a single dim. {@code p}: VAR's correction, NORM's
     * order. Out dtype: BOOL for ANY/ALL, else x's dtype (the caller converts integer inputs of
     * MEAN, VAR, LOGSUMEXP and NORM to floating first).
     */
    void reduce(ReduceOp op, NDArray x, int[] dims, NDArray out, NDArray indices, double p);

    /**
     * Batched matrix product: a {@code [B, M, K]}, b {@code [B, K, N]}, out {@code [B, M, N]}
     * contiguous (possibly at an offset in its storage), overwritten whatever it held. a and b may be transposed
     * or batch-broadcast (stride 0) views.
     */
    void matmul(NDArray a, NDArray b, NDArray out);

    /** Softmax (or log-softmax) along {@code dim}, numerically stable. */
    void softmax(NDArray x, int dim, boolean log, NDArray out);

    /** {@code out} takes the slices of x at {@code index} (INT64, 1-D) along {@code dim}. */
    void indexSelect(NDArray x, int dim, NDArray index, NDArray out);

    /** {@code dst.select(dim, index[i]) += src.select(dim, i)}, in place on dst (a view). */
    void indexAdd(NDArray dst, int dim, NDArray index, NDArray src);

    /** {@code out[..i..] = x[..index[..i..]..]} along dim; out has index's shape. */
    void gather(NDArray x, int dim, NDArray index, NDArray out);

    /** In place on dst: {@code dst[..index[..i..]..] = src[..i..]} (or {@code +=} when accumulate). */
    void scatter(NDArray dst, int dim, NDArray index, NDArray src, boolean accumulate);

    /** The coordinates of non-zero elements: a new INT64 array {@code [count, rank]}. */
    NDArray nonzero(NDArray x);

    /**
     * 2-D convolution (cross-correlation, like PyTorch). input {@code [N, C, H, W]}, weight
     * {@code [O, C/groups, kH, kW]}, bias {@code [O]} or null, out {@code [N, O, oH, oW]}.
     * {@code params} = {strideH, strideW, padH, padW, dilH, dilW, groups}.
     */
    void conv2d(NDArray input, NDArray weight, NDArray bias, int[] params, NDArray out);

    /** Gradient of conv2d with respect to its input, written to gradInput {@code [N, C, H, W]}. */
    void conv2dBackwardInput(NDArray gradOut, NDArray weight, int[] params, NDArray gradInput);

    /** Gradient of conv2d with respect to its weight, written to gradWeight. */
    void conv2dBackwardWeight(NDArray gradOut, NDArray input, int[] params, NDArray gradWeight);

    /**
     * Max pooling over {@code [N, C, H, W]}; {@code params} = {kH, kW, strideH, strideW, padH, padW,
     * dilH, dilW}; indices (INT64, out's shape) hold the flat {@code h * W + w} position of each max.
     */
    void maxPool2d(NDArray input, int[] params, NDArray out, NDArray indices);

    /** Scatters gradOut into gradInput (zero-filled by the caller) at the saved indices. */
    void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradInput);

    /**
     * Average pooling; {@code params} = {kH, kW, strideH, strideW, padH, padW, countIncludePad (0/1),
     * divisorOverride (0 = none)}.
     */
    void avgPool2d(NDArray input, int[] params, NDArray out);

    /** Gradient of avgPool2d, written to gradInput (zero-filled by the caller). */
    void avgPool2dBackward(NDArray gradOut, int[] params, NDArray gradInput);

    /**
     * The gradient of relu: {@code out = output > 0 ? gradOut : 0}, all three the same shape and dtype, out
     * contiguous. The default composes {@link #binary} and {@link #where}; backends may fuse it.
     */
    default void reluBackward(NDArray gradOut, NDArray output, NDArray out) {
        NDArray mask = NDArray.empty(io.ember.tensor.DType.BOOL, output.shape().toArray()).to(output.device());
        binary(BinaryOp.GT, output, NDArray.zeros(output.dtype()).to(output.device()).expand(output.shape().toArray()),
                mask);
        where(mask, gradOut, NDArray.zeros(gradOut.dtype()).to(gradOut.device()).expand(out.shape().toArray()), out);
    }

    // ---------------------------------------------------------------- device facts (defaults: the host)

    /** A human-readable name of device {@code index} (e.g. "NVIDIA H100 80GB HBM3"). */
    default String deviceName(int index) {
        return deviceType().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Total memory of device {@code index} in bytes. */
    default long totalMemory(int index) {
        return Runtime.getRuntime().maxMemory();
    }

    /** Free memory of device {@code index} in bytes, as the device reports it (not counting cached blocks). */
    default long freeMemory(int index) {
        Runtime r = Runtime.getRuntime();
        return r.maxMemory() - r.totalMemory() + r.freeMemory();
    }

    /** Waits until every queued kernel of the device has finished. */
    default void synchronize(Device device) {
    }

    // ---------------------------------------------------------------- fused optimizer updates (optional)

    /**
     * Fused SGD step over contiguous float32 arrays of one shape, in place on param (and buf):
     * {@code d = (maximize ? -g : g) + wd*p; buf = first ? d : momentum*buf + (1-dampening)*d;
     * d = nesterov ? d + momentum*buf : buf; p -= lr*d}; buf is null without momentum. Returns false when this
     * backend has no fused kernel, and the optimizer composes the update from array ops instead.
     */
    default boolean sgdUpdate(NDArray param, NDArray grad, NDArray buf, boolean first, float lr, float wd,
            float momentum, float dampening, boolean nesterov, boolean maximize) {
        return false;
    }

    /**
     * Fused Adam/AdamW step over contiguous float32 arrays of one shape, in place: {@code p *= decay;
     * g = (maximize ? -g : g) + l2*p; m += (1-beta1)(g-m); v = beta2*v + (1-beta2)*g*g; vmax = max(vmax, v);
     * p -= stepSize * m / (sqrt(vmax or v)/bc2Sqrt + eps)}; vmax is null without amsgrad. Returns false when this
     * backend has no fused kernel.
     */
    default boolean adamUpdate(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq,
            float decay, float l2, float beta1, float beta2, float stepSize, float bc2Sqrt, float eps,
            boolean maximize) {
        return false;
    }
}
