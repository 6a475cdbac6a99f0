package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Random;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas;

/**
 * Run in a forked JVM by {@link OpenBlasTrapTest}; one scenario per run (first argument). Prints
 * {@code MAPPED <file>} for every mapped file whose name mentions openblas or blas, and {@code OK} at the end.
 * Every check computes its reference with plain Java loops.
 */
public final class OpenBlasTrapMain {
    private OpenBlasTrapMain() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "emberFirst" -> {
                OpenBlas.load();
                System.out.println("LIBRARY " + OpenBlas.libraryPath());
                mllibDgemm();
                lapackeDgesv();
                emberMatmul();
            }
            case "mllibFirst" -> {
                mllibDgemm();
                try {
                    OpenBlas.load();
                    System.out.println("LOADED " + OpenBlas.libraryPath());
                } catch (IllegalStateException e) {
                    System.out.println("REFUSED " + e.getMessage());
                    try {
                        OpenBlas.load();
                        System.out.println("SECOND LOAD PASSED");
                    } catch (IllegalStateException again) {
                        System.out.println("REFUSED AGAIN");
                    }
                    maps();
                    System.out.println("OK");
                    return;
                }
                emberMatmul();
            }
            case "mllibFirstRawBytedeco" -> { // the trap itself, without Ember's guard
                mllibDgemm();
                Loader.load(openblas.class);
                maps();
                lapackeDgesv();
            }
            default -> throw new IllegalArgumentException("unknown scenario " + args[0]);
        }
        maps();
        System.out.println("OK");
    }

    /** MLlib's own native BLAS (netlib JNIBLAS): C = A B for random 37x23 by 23x41, against a loop. */
    static void mllibDgemm() {
        dev.ludovic.netlib.blas.BLAS blas = org.apache.spark.ml.linalg.BLAS$.MODULE$.nativeBLAS();
        System.out.println("MLLIB " + blas.getClass().getName());
        int m = 37, k = 23, n = 41;
        Random r = new Random(7);
        double[] a = new double[m * k];
        double[] b = new double[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextGaussian();
        }
        double[] c = new double[m * n];
        blas.dgemm("N", "N", m, n, k, 1.0, a, m, b, k, 0.0, c, m); // column-major
        double err = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[i + p * m] * b[p + j * k];
                }
                err = Math.max(err, Math.abs(s - c[i + j * m]));
            }
        }
        check("mllib dgemm", err < 1e-10, err);
    }

    /** bytedeco LAPACKE_dgesv on a diagonally dominant 6x6 system; residual |A x - b| checked by a loop. */
    static void lapackeDgesv() {
        int n = 6;
        Random r = new Random(11);
        double[] a = new double[n * n];
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = r.nextDouble() + (i == j ? n : 0);
            }
            b[i] = r.nextGaussian();
        }
        double[] lu = a.clone();
        double[] x = b.clone();
        int info = openblas.LAPACKE_dgesv(openblas.LAPACK_ROW_MAJOR, n, 1, lu, n, new int[n], x, 1);
        double err = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += a[i * n + j] * x[j];
            }
            err = Math.max(err, Math.abs(s - b[i]));
        }
        check("lapacke dgesv info=" + info, info == 0 && err < 1e-10, err);
    }

    /** Ember NDArray matmul 300x300 (float32, goes through CpuGemm / OpenBLAS) against a loop. */
    static void emberMatmul() {
        int n = 300;
        Random r = new Random(3);
        float[] a = new float[n * n];
        float[] b = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
        }
        float[] c = NDArray.of(a, n, n).matmul(NDArray.of(b, n, n)).toFloatArray();
        double err = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < n; p++) {
                    s += (double) a[i * n + p] * b[p * n + j];
                }
                err = Math.max(err, Math.abs(s - c[i * n + j]));
            }
        }
        check("ember matmul", c.length == n * n && err < 1e-3, err);
    }

    private static void check(String what, boolean ok, double err) {
        System.out.println((ok ? "PASS " : "FAIL ") + what + " maxErr=" + err);
        if (!ok) {
            System.exit(2);
        }
    }

    static void maps() throws Exception {
        Files.readAllLines(Paths.get("/proc/self/maps")).stream()
                .filter(l -> l.indexOf('/') >= 0)
                .map(l -> l.substring(l.indexOf('/')))
                .filter(f -> f.contains("openblas") || f.contains("blas.so") || f.contains("lapack"))
                .distinct()
                .forEach(f -> System.out.println("MAPPED " + f));
    }
}
