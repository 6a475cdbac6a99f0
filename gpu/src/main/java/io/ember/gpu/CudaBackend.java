package io.ember.gpu;

import io.ember.gpu.cuda.Driver;
import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import io.ember.tensor.Storage;
import io.ember.tensor.spi.Backend;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

/**
 * The CUDA backend, found by {@code io.ember.tensor.spi.Backends} through {@link java.util.ServiceLoader} when
 * {@code ember-gpu} is on the classpath. It owns storage (a caching allocator per device) and transfers, and hands
 * each op to the launcher of its kernel family. Without a driver or a GPU it reports itself unavailable, with the
 * reason, and the CPU keeps working.
 */
public final class CudaBackend implements Backend {
    /** The instance {@link java.util.ServiceLoader} creates is a different object; state lives in statics. */
    static final CudaBackend INSTANCE = new CudaBackend();

    private static CudaAllocator[] allocators;
    private static CudaTransfer[] transfers;

    public CudaBackend() {
    }

    private static synchronized void init() {
        if (allocators == null) {
            int n = Driver.probe().deviceCount();
            allocators = new CudaAllocator[n];
            transfers = new CudaTransfer[n];
            for (int i = 0; i < n; i++) {
                allocators[i] = new CudaAllocator(i);
                transfers[i] = new CudaTransfer(i);
            }
        }
    }

    CudaAllocator allocator(int device) {
        check(device);
        return allocators[device];
    }

    private static void check(int device) {
        Driver.requireAvailable(device);
        init();
    }

    @Override
    public Device.Type deviceType() {
        return Device.Type.CUDA;
    }

    @Override
    public boolean isAvailable() {
        return Driver.probe().available();
    }

    @Override
    public String unavailableReason() {
        String p = Driver.probe().problem();
        return p == null ? "available" : p;
    }

    @Override
    public int deviceCount() {
        return Driver.probe().deviceCount();
    }

    @Override
    public String deviceName(int index) {
        check(index);
        return Driver.name(index);
    }

    @Override
    public long totalMemory(int index) {
        check(index);
        return Driver.totalMemory(index);
    }

    @Override
    public long freeMemory(int index) {
        check(index);
        return Driver.memoryInfo(index)[0];
    }

    @Override
    public void synchronize(Device device) {
        check(device.index());
        Driver.synchronize(device.index());
        CudaIndex.checkErrors(device.index());
    }

    @Override
    public Storage allocate(Device device, DType dtype, int numel) {
        CudaStorage s = new CudaStorage(dtype, device, numel, allocator(device.index()));
        Driver.zero(device.index(), s.base(), 0, s.bytes());
        return s;
    }

    /** Storage whose contents are left as they are (the caller overwrites every element). */
    static CudaStorage allocateUninitialized(Device device, DType dtype, int numel) {
        return new CudaStorage(dtype, device, numel, INSTANCE.allocator(device.index()));
    }

    @Override
    public Storage fromHost(HostStorage host, Device device) {
        CudaStorage s = allocateUninitialized(device, host.dtype(), host.size());
        transfers[device.index()].toDevice(host, s);
        return s;
    }

    @Override
    public HostStorage toHost(Storage storage) {
        CudaStorage s = (CudaStorage) storage;
        check(s.device().index());
        HostStorage h = transfers[s.device().index()].toHost(s);
        CudaIndex.checkErrors(s.device().index()); // an index kernel's out-of-range report, now that we waited
        return h;
    }

    @Override
    public void copy(NDArray src, NDArray dst) {
        CudaElementwise.copy(src, dst);
    }

    @Override
    public void fill(NDArray dst, double value) {
        CudaElementwise.fill(dst, value);
    }

    @Override
    public void unary(UnaryOp op, NDArray x, NDArray out, double a, double b) {
        CudaElementwise.unary(op, x, out, a, b);
    }

    @Override
    public void binary(BinaryOp op, NDArray x, NDArray y, NDArray out) {
        CudaElementwise.binary(op, x, y, out);
    }

    @Override
    public void where(NDArray cond, NDArray x, NDArray y, NDArray out) {
        CudaElementwise.where(cond, x, y, out);
    }

    @Override
    public void reluBackward(NDArray gradOut, NDArray output, NDArray out) {
        CudaElementwise.reluBackward(gradOut, output, out);
    }

    @Override
    public void reduce(ReduceOp op, NDArray x, int[] dims, NDArray out, NDArray indices, double p) {
        CudaReduce.reduce(op, x, dims, out, indices, p);
    }

    @Override
    public void softmax(NDArray x, int dim, boolean log, NDArray out) {
        CudaReduce.softmax(x, dim, log, out);
    }

    @Override
    public void matmul(NDArray a, NDArray b, NDArray out) {
        CudaGemm.matmul(a, b, out);
    }

    @Override
    public void indexSelect(NDArray x, int dim, NDArray index, NDArray out) {
        CudaIndex.indexSelect(x, dim, index, out);
    }

    @Override
    public void indexAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        CudaIndex.indexAdd(dst, dim, index, src);
    }

    @Override
    public void gather(NDArray x, int dim, NDArray index, NDArray out) {
        CudaIndex.gather(x, dim, index, out);
    }

    @Override
    public void scatter(NDArray dst, int dim, NDArray index, NDArray src, boolean accumulate) {
        CudaIndex.scatter(dst, dim, index, src, accumulate);
    }

    @Override
    public NDArray nonzero(NDArray x) {
        return CudaIndex.nonzero(x);
    }

    @Override
    public void conv2d(NDArray input, NDArray weight, NDArray bias, int[] params, NDArray out) {
        CudaConv.conv2d(input, weight, bias, params, out);
    }

    @Override
    public void conv2dBackwardInput(NDArray gradOut, NDArray weight, int[] params, NDArray gradInput) {
        CudaConv.conv2dBackwardInput(gradOut, weight, params, gradInput);
    }

    @Override
    public void conv2dBackwardWeight(NDArray gradOut, NDArray input, int[] params, NDArray gradWeight) {
        CudaConv.conv2dBackwardWeight(gradOut, input, params, gradWeight);
    }

    @Override
    public void maxPool2d(NDArray input, int[] params, NDArray out, NDArray indices) {
        CudaPool.maxPool2d(input, params, out, indices);
    }

    @Override
    public void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradInput) {
        CudaPool.maxPool2dBackward(gradOut, indices, gradInput);
    }

    @Override
    public void avgPool2d(NDArray input, int[] params, NDArray out) {
        CudaPool.avgPool2d(input, params, out);
    }

    @Override
    public void avgPool2dBackward(NDArray gradOut, int[] params, NDArray gradInput) {
        CudaPool.avgPool2dBackward(gradOut, params, gradInput);
    }

    @Override
    public boolean sgdUpdate(NDArray param, NDArray grad, NDArray buf, boolean first, float lr, float wd,
            float momentum, float dampening, boolean nesterov, boolean maximize) {
        CudaOptim.sgd(param, grad, buf, first, lr, wd, momentum, dampening, nesterov, maximize);
        return true;
    }

    @Override
    public boolean adamUpdate(NDArray param, NDArray grad, NDArray expAvg, NDArray expAvgSq, NDArray maxExpAvgSq,
            float decay, float l2, float beta1, float beta2, float stepSize, float bc2Sqrt, float eps,
            boolean maximize) {
        CudaOptim.adam(param, grad, expAvg, expAvgSq, maxExpAvgSq, decay, l2, beta1, beta2, stepSize, bc2Sqrt, eps,
                maximize);
        return true;
    }
}
