package io.ember.tensor.cpu;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import io.ember.tensor.TestArrays;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The zero-copy GEMM shim and the copying fallback give the same products as a loop. */
class NativeGemmTest {

    private static boolean linuxX64() {
        return "Linux".equals(System.getProperty("os.name")) && "amd64".equals(System.getProperty("os.arch"));
    }

    @Test
    void available_onLinuxX64WhereTheBuildHadGcc() {
        assumeTrue(linuxX64(), "the shim is built for Linux x86_64 only");
        assumeTrue(NativeGemm.class.getResource("native/linux-x86_64/libemberblas.so") != null,
                "the build had no gcc: the shim was not built");
        assertTrue(NativeGemm.available(), NativeGemm.status());
    }

    /** Reference: a double loop over values read one by one. */
    private static double[] reference(NDArray a, NDArray b) {
        int batch = a.size(0);
        int m = a.size(1);
        int k = a.size(2);
        int n = b.size(2);
        double[] r = new double[batch * m * n];
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a.getDouble(q, i, p) * b.getDouble(q, p, j);
                    }
                    r[(q * m + i) * n + j] = s;
                }
            }
        }
        return r;
    }

    private static void check(NDArray a, NDArray b, double tol) {
        double[] ref = reference(a, b);
        for (boolean copy : new boolean[] {false, true}) {
            CpuGemm.forceCopy = copy;
            try {
                double[] got = a.bmm(b).toDoubleArray();
                for (int i = 0; i < ref.length; i++) {
                    assertEquals(ref[i], got[i], tol * (1 + Math.abs(ref[i])), "copy=" + copy + " element " + i);
                }
            } finally {
                CpuGemm.forceCopy = false;
            }
        }
    }

    @Test
    void bmm_transposedAndBatchBroadcastViews_matchLoopOnBothPaths() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = t == DType.FLOAT32 ? 1e-4 : 1e-12;
            NDArray a = TestArrays.random(1, t, 3, 40, 50);
            NDArray b = TestArrays.random(2, t, 3, 50, 30);
            check(a, b, tol);
            check(TestArrays.random(3, t, 3, 50, 40).transpose(1, 2), TestArrays.random(4, t, 3, 30, 50).transpose(1, 2),
                    tol);
            check(a.narrow(1, 5, 30), TestArrays.random(5, t, 1, 50, 30).expand(3, 50, 30), tol);
        }
    }

    @Test
    void sgemm_operandPastTheArray_rejectedBeforeNativeCall() {
        float[] a = new float[12];
        float[] b = new float[12];
        float[] c = new float[9];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpuGemm.sgemm(false, false, 3, 3, 4, 1f, a, 2, 4, b, 0, 3, 0f, c, 0, 3));
        assertTrue(e.getMessage().startsWith("sgemm A: operand spans [2, 14)"), e.getMessage());
    }
}
