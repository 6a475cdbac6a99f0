package io.ember.tensor.cpu;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import io.ember.tensor.Storage;
import io.ember.tensor.spi.Backend;
import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.ReduceOp;
import io.ember.tensor.spi.UnaryOp;

/** The CPU backend: Java loops over heap arrays, parallel above a size threshold; GEMM through OpenBLAS. */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {
    }

    /** Called by {@link io.ember.tensor.Threads#set}. */
    public static void threadsChanged(int n) {
        OpenBlas.setThreads(n);
    }

    @Override
    public Device.Type deviceType() {
        return Device.Type.CPU;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public int deviceCount() {
        return 1;
    }

    @Override
    public Storage allocate(Device device, DType dtype, int numel) {
        return HostStorage.allocate(dtype, numel);
    }

    @Override
    public Storage fromHost(HostStorage host, Device device) {
        return host;
    }

    @Override
    public HostStorage toHost(Storage storage) {
        return (HostStorage) storage;
    }

    @Override
    public void copy(NDArray src, NDArray dst) {
        CpuCopy.copy(src, dst);
    }

    @Override
    public void fill(NDArray dst, double value) {
        CpuCopy.fill(dst, value);
    }

    @Override
    public void unary(UnaryOp op, NDArray x, NDArray out, double a, double b) {
        CpuUnary.run(op, x, out, a, b);
    }

    @Override
    public void binary(BinaryOp op, NDArray x, NDArray y, NDArray out) {
        CpuBinary.run(op, x, y, out);
    }

    @Override
    public void where(NDArray cond, NDArray x, NDArray y, NDArray out) {
        CpuCopy.where(cond, x, y, out);
    }

    @Override
    public void reluBackward(NDArray gradOut, NDArray output, NDArray out) {
        if (!CpuCopy.reluBackward(gradOut, output, out)) {
            Backend.super.reluBackward(gradOut, output, out);
        }
    }

    @Override
    public void reduce(ReduceOp op, NDArray x, int[] dims, NDArray out, NDArray indices, double p) {
        CpuReduce.reduce(op, x, dims, out, indices, p);
    }

    @Override
    public void matmul(NDArray a, NDArray b, NDArray out) {
        CpuGemm.matmul(a, b, out);
    }

    @Override
    public void softmax(NDArray x, int dim, boolean log, NDArray out) {
        CpuReduce.softmax(x, dim, log, out);
    }

    @Override
    public void indexSelect(NDArray x, int dim, NDArray index, NDArray out) {
        CpuIndex.indexSelect(x, dim, index, out);
    }

    @Override
    public void indexAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        CpuIndex.indexAdd(dst, dim, index, src);
    }

    @Override
    public void gather(NDArray x, int dim, NDArray index, NDArray out) {
        CpuIndex.gather(x, dim, index, out);
    }

    @Override
    public void scatter(NDArray dst, int dim, NDArray index, NDArray src, boolean accumulate) {
        CpuIndex.scatter(dst, dim, index, src, accumulate);
    }

    @Override
    public NDArray nonzero(NDArray x) {
        return CpuIndex.nonzero(x);
    }

    @Override
    public void conv2d(NDArray input, NDArray weight, NDArray bias, int[] params, NDArray out) {
        CpuConv.conv2d(input, weight, bias, params, out);
    }

    @Override
    public void conv2dBackwardInput(NDArray gradOut, NDArray weight, int[] params, NDArray gradInput) {
        CpuConv.backwardInput(gradOut, weight, params, gradInput);
    }

    @Override
    public void conv2dBackwardWeight(NDArray gradOut, NDArray input, int[] params, NDArray gradWeight) {
        CpuConv.backwardWeight(gradOut, input, params, gradWeight);
    }

    @Override
    public void maxPool2d(NDArray input, int[] params, NDArray out, NDArray indices) {
        CpuPool.maxPool2d(input, params, out, indices);
    }

    @Override
    public void maxPool2dBackward(NDArray gradOut, NDArray indices, NDArray gradInput) {
        CpuPool.maxPool2dBackward(gradOut, indices, gradInput);
    }

    @Override
    public void avgPool2d(NDArray input, int[] params, NDArray out) {
        CpuPool.avgPool2d(input, params, out);
    }

    @Override
    public void avgPool2dBackward(NDArray gradOut, int[] params, NDArray gradInput) {
        CpuPool.avgPool2dBackward(gradOut, params, gradInput);
    }
}
