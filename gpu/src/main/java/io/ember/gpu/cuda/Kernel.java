package io.ember.gpu.cuda;

import jcuda.Pointer;
import jcuda.driver.CUfunction;
import jcuda.driver.JCudaDriver;

/**
 * One {@code __global__} function of a loaded module. {@link #launch} takes the kernel's arguments in order as Java
 * values: {@code Long} (a device address or a 64-bit integer), {@code Integer}, {@code Float}, {@code Double}, or an
 * {@code int[]} / {@code long[]} passed by value as a struct of that many ints / longs (for shape and stride
 * tables). Launches go to the device's default stream, so they run in issue order with each other and with
 * {@link Driver}'s copies.
 */
public final class Kernel {
    private final int device;
    private final String name;
    private final CUfunction function;

    Kernel(int device, String name, CUfunction function) {
        this.device = device;
        this.name = name;
        this.function = function;
    }

    public String name() {
        return name;
    }

    /** A 1-D launch: {@code blocks} blocks of {@code threads} threads. */
    public void launch1d(int blocks, int threads, int sharedBytes, Object... args) {
        launch(blocks, 1, 1, threads, 1, 1, sharedBytes, args);
    }

    public void launch(int gridX, int gridY, int gridZ, int blockX, int blockY, int blockZ, int sharedBytes,
            Object... args) {
        if (gridX <= 0 || gridY <= 0 || gridZ <= 0) {
            return; // nothing to do (an empty array)
        }
        Driver.makeCurrent(device);
        Pointer[] ps = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Long l) {
                ps[i] = Pointer.to(new long[] {l});
            } else if (a instanceof Integer n) {
                ps[i] = Pointer.to(new int[] {n});
            } else if (a instanceof Float f) {
                ps[i] = Pointer.to(new float[] {f});
            } else if (a instanceof Double d) {
                ps[i] = Pointer.to(new double[] {d});
            } else if (a instanceof int[] v) {
                ps[i] = Pointer.to(v);
            } else if (a instanceof long[] v) {
                ps[i] = Pointer.to(v);
            } else {
                throw new IllegalArgumentException("kernel " + name + ": argument " + i + " has unsupported type "
                        + (a == null ? "null" : a.getClass().getName()));
            }
        }
        try {
            JCudaDriver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ, sharedBytes, null,
                    Pointer.to(ps), null);
        } catch (jcuda.CudaException e) {
            throw new IllegalStateException("kernel " + name + " failed to launch (grid " + gridX + "x" + gridY + "x"
                    + gridZ + ", block " + blockX + "x" + blockY + "x" + blockZ + ", " + sharedBytes
                    + " B shared): " + e.getMessage(), e);
        }
    }
}
