package io.ember.gpu;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import io.ember.tensor.NNOps;
import io.ember.tensor.ValuesIndices;
import org.junit.jupiter.api.Test;

/**
 * GPU conv2d (forward, backward input, backward weight) and pooling (max and average, forward and backward) against
 * the CPU backend: strides, padding, dilation, groups, 1x1 kernels, ceil mode, count-include-pad, divisor override,
 * ties and NaN in max pooling, float32 and float64. Skipped without a GPU.
 */
class ConvPoolParityTest {
    /** {N, C, H, W, O, kH, kW, strideH, strideW, padH, padW, dilH, dilW, groups}. */
    private static final int[][] CONVS = {
        {64, 1, 28, 28, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1},   // the PROTOCOL cnn's conv1
        {64, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1},  // ... and conv2
        {3, 4, 9, 7, 6, 3, 2, 2, 1, 1, 0, 1, 2, 2},
        {2, 6, 8, 8, 6, 3, 3, 1, 2, 2, 1, 2, 1, 3},
        {2, 4, 5, 6, 8, 1, 1, 1, 1, 0, 0, 1, 1, 1},       // 1x1: the input is its own column matrix
        {3, 4, 5, 6, 4, 1, 1, 1, 1, 0, 0, 1, 1, 4},       // 1x1 depthwise
        {2, 8, 10, 10, 8, 3, 3, 1, 1, 1, 1, 1, 1, 8},     // depthwise 3x3
        {1, 3, 7, 7, 5, 7, 7, 1, 1, 0, 0, 1, 1, 1},       // kernel as large as the input
        {4, 8, 6, 6, 16, 3, 3, 2, 2, 1, 1, 1, 1, 2},
        {2, 3, 33, 31, 7, 5, 4, 3, 2, 2, 1, 1, 1, 1},
    };

    private static void conv(int[] s, DType t, Device dev, double rtol, double atol) {
        int[] stride = {s[7], s[8]};
        int[] pad = {s[9], s[10]};
        int[] dil = {s[11], s[12]};
        int groups = s[13];
        int[] inShape = {s[0], s[1], s[2], s[3]};
        int[] wShape = {s[4], s[1] / groups, s[5], s[6]};
        NDArray x = GpuTests.rand(1, inShape).to(t);
        NDArray w = GpuTests.rand(2, wShape).to(t);
        NDArray b = GpuTests.rand(3, s[4]).to(t);
        String what = "conv " + java.util.Arrays.toString(s) + " " + t;
        NDArray ref = NNOps.conv2d(x, w, b, stride, pad, dil, groups);
        GpuTests.assertClose(ref, NNOps.conv2d(x.to(dev), w.to(dev), b.to(dev), stride, pad, dil, groups), rtol, atol,
                what + " forward");
        GpuTests.assertClose(NNOps.conv2d(x, w, null, stride, pad, dil, groups),
                NNOps.conv2d(x.to(dev), w.to(dev), null, stride, pad, dil, groups), rtol, atol, what + " no bias");
        NDArray gy = GpuTests.rand(4, ref.shape().toArray()).to(t);
        GpuTests.assertClose(NNOps.conv2dBackwardInput(gy, w, inShape, stride, pad, dil, groups),
                NNOps.conv2dBackwardInput(gy.to(dev), w.to(dev), inShape, stride, pad, dil, groups), rtol, atol,
                what + " backward input");
        // backward weight sums over N * oH * oW positions
        double wtol = atol * Math.sqrt((double) s[0] * ref.size(2) * ref.size(3));
        GpuTests.assertClose(NNOps.conv2dBackwardWeight(gy, x, wShape, stride, pad, dil, groups),
                NNOps.conv2dBackwardWeight(gy.to(dev), x.to(dev), wShape, stride, pad, dil, groups), rtol, wtol,
                what + " backward weight");
    }

    @Test
    void conv2d_float32_forwardAndBackward() {
        Device dev = GpuTests.gpu();
        for (int[] s : CONVS) {
            conv(s, DType.FLOAT32, dev, 1e-4, 2e-5);
        }
    }

    @Test
    void conv2d_float64_forwardAndBackward() {
        Device dev = GpuTests.gpu();
        for (int[] s : CONVS) {
            conv(s, DType.FLOAT64, dev, 1e-12, 1e-12);
        }
    }

    @Test
    void conv2d_tf32_whenAllowed() {
        Device dev = GpuTests.gpu();
        Cuda.setAllowTf32(true);
        try {
            conv(new int[] {64, 32, 14, 14, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1}, DType.FLOAT32, dev, 1e-2, 2e-2);
            conv(new int[] {8, 64, 32, 32, 128, 3, 3, 1, 1, 1, 1, 1, 1, 1}, DType.FLOAT32, dev, 1e-2, 4e-2);
        } finally {
            Cuda.setAllowTf32(false);
        }
    }

    /** Values on a grid of quarters (ties), with NaN at a few places. */
    private static NDArray poolInput(long seed, DType t, int... shape) {
        NDArray x = GpuTests.rand(seed, shape).mul(4).round().mul(0.25).to(t);
        if (x.numel() > 40) {
            x.reshape(-1).set(Double.NaN, 3);
            x.reshape(-1).set(Double.NaN, 40);
        }
        return x;
    }

    private static void maxPool(int[] in, int[] k, int[] st, int[] pad, int[] dil, boolean ceil, DType t, Device dev) {
        String what = "maxPool2d in " + java.util.Arrays.toString(in) + " k " + java.util.Arrays.toString(k) + " s "
                + java.util.Arrays.toString(st) + " p " + java.util.Arrays.toString(pad) + " d "
                + java.util.Arrays.toString(dil) + " ceil " + ceil + " " + t;
        NDArray x = poolInput(5, t, in);
        ValuesIndices ref = NNOps.maxPool2d(x, k, st, pad, dil, ceil);
        ValuesIndices got = NNOps.maxPool2d(x.to(dev), k, st, pad, dil, ceil);
        GpuTests.assertSame(ref.values(), got.values(), what + " values");
        GpuTests.assertSame(ref.indices(), got.indices(), what + " indices");
        NDArray gy = GpuTests.rand(6, ref.values().shape().toArray()).to(t);
        GpuTests.assertClose(NNOps.maxPool2dBackward(gy, ref.indices(), in),
                NNOps.maxPool2dBackward(gy.to(dev), got.indices(), in), 1e-6, 1e-6, what + " backward");
    }

    @Test
    void maxPool2d_forwardAndBackward() {
        Device dev = GpuTests.gpu();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            maxPool(new int[] {64, 32, 28, 28}, new int[] {2, 2}, null, null, null, false, t, dev);
            maxPool(new int[] {2, 3, 9, 7}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, null, true, t, dev);
            maxPool(new int[] {2, 3, 9, 7}, new int[] {2, 2}, new int[] {2, 2}, null, null, true, t, dev);
            maxPool(new int[] {1, 2, 10, 11}, new int[] {3, 2}, new int[] {1, 2}, new int[] {1, 1},
                    new int[] {2, 1}, false, t, dev);
            maxPool(new int[] {2, 2, 13, 13}, new int[] {4, 4}, new int[] {3, 3}, new int[] {2, 2}, null, true, t, dev);
            maxPool(new int[] {1, 1, 5, 5}, new int[] {5, 5}, null, new int[] {2, 2}, null, false, t, dev);
        }
    }

    private static void avgPool(int[] in, int[] k, int[] st, int[] pad, boolean ceil, boolean cip, int div, DType t,
            Device dev) {
        String what = "avgPool2d in " + java.util.Arrays.toString(in) + " k " + java.util.Arrays.toString(k) + " s "
                + java.util.Arrays.toString(st) + " p " + java.util.Arrays.toString(pad) + " ceil " + ceil
                + " includePad " + cip + " divisor " + div + " " + t;
        NDArray x = GpuTests.rand(7, in).to(t);
        NDArray ref = NNOps.avgPool2d(x, k, st, pad, ceil, cip, div);
        // The same sums in the same order, in double: equal to rounding of the final division.
        GpuTests.assertClose(ref, NNOps.avgPool2d(x.to(dev), k, st, pad, ceil, cip, div), 1e-6, 1e-7,
                what + " forward");
        NDArray gy = GpuTests.rand(8, ref.shape().toArray()).to(t);
        GpuTests.assertClose(NNOps.avgPool2dBackward(gy, in, k, st, pad, ceil, cip, div),
                NNOps.avgPool2dBackward(gy.to(dev), in, k, st, pad, ceil, cip, div), 1e-6, 1e-7, what + " backward");
    }

    @Test
    void avgPool2d_forwardAndBackward() {
        Device dev = GpuTests.gpu();
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            avgPool(new int[] {64, 32, 28, 28}, new int[] {2, 2}, null, null, false, true, 0, t, dev);
            avgPool(new int[] {2, 3, 9, 7}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, true, 0, t,
                    dev);
            avgPool(new int[] {2, 3, 9, 7}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, false, 0, t,
                    dev);
            avgPool(new int[] {1, 2, 10, 11}, new int[] {3, 3}, new int[] {3, 2}, new int[] {1, 0}, true, true, 5, t,
                    dev);
            avgPool(new int[] {2, 2, 13, 13}, new int[] {4, 4}, new int[] {3, 3}, new int[] {2, 2}, true, false, 0, t,
                    dev);
            avgPool(new int[] {1, 3, 8, 8}, new int[] {2, 3}, new int[] {1, 1}, null, false, true, 0, t, dev);
        }
    }
}
