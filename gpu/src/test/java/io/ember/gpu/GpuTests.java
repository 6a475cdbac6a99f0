package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import org.junit.jupiter.api.Assumptions;

/**
 * Shared by the GPU tests: skip (saying why) where no GPU is usable, and compare a GPU result with the CPU
 * backend's result for the same op, which is the independent reference (the CPU kernels are tested against naive
 * loops and finite differences in their own modules).
 */
public final class GpuTests {
    private GpuTests() {
    }

    /** cuda:0, or skips the calling test with the reason no GPU can be used. */
    public static Device gpu() {
        Assumptions.assumeTrue(Cuda.isAvailable(), () -> "skipped: no usable GPU (" + Cuda.unavailableReason() + ")");
        return Device.cuda(0);
    }

    /**
     * A non-contiguous view holding the same values as {@code a} (rank >= 1): a transposed copy transposed back for
     * rank >= 2, every other element of a doubled array for rank 1. Parity tests run on both layouts.
     */
    public static NDArray strided(NDArray a) {
        if (a.dim() >= 2) {
            int r = a.dim();
            NDArray t = a.transpose(r - 2, r - 1).contiguous();
            return t.transpose(r - 2, r - 1);
        }
        int n = a.size(0);
        NDArray big = NDArray.zeros(a.dtype(), 2 * n).to(a.device());
        NDArray view = big.slice(0, 0, 2 * n, 2);
        view.copyFrom(a);
        return view;
    }

    /** Asserts that a GPU array equals a CPU reference elementwise within {@code atol + rtol * |ref|}. */
    public static void assertClose(NDArray ref, NDArray gpu, double rtol, double atol, String what) {
        assertArrayEquals(ref.shape().toArray(), gpu.shape().toArray(), what + ": shape");
        assertEquals(ref.dtype(), gpu.dtype(), what + ": dtype");
        double[] r = ref.to(Device.CPU).toDoubleArray();
        double[] g = gpu.to(Device.CPU).toDoubleArray();
        for (int i = 0; i < r.length; i++) {
            double e = r[i];
            double a = g[i];
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            if (e == a) {
                continue; // also equal infinities
            }
            if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
                fail(what + ": element " + i + " of " + r.length + " is " + a + " on the GPU and " + e
                        + " on the CPU (rtol " + rtol + ", atol " + atol + ")");
            }
        }
    }

    /** Exact equality (integer, bool, and ops whose float results must match bit for bit). */
    public static void assertSame(NDArray ref, NDArray gpu, String what) {
        assertClose(ref, gpu, 0, 0, what);
    }

    /** A random float32 array of the shape on the CPU, values in [-1, 1), from a fixed seed. */
    public static NDArray rand(long seed, int... shape) {
        io.ember.tensor.Generator g = new io.ember.tensor.Generator(seed);
        return NDArray.rand(g, shape).mul(2).sub(1);
    }
}
