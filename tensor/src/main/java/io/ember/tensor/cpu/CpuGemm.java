package io.ember.tensor.cpu;

import io.ember.tensor.NDArray;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;

/**
 * Matrix products through OpenBLAS. Host arrays live on the Java heap. The fast path is
 * {@link NativeGemm}: OpenBLAS reads and writes the pinned heap arrays directly. Without it, each
 * thread keeps native scratch buffers that grow as needed, A and B are bulk-copied in and C out
 * (JavaCPP's own array overloads would copy into fresh native memory on every call and copy C back,
 * which costs up to 40% at n = 1024; the scratch copies cost 5-25%). Transposed views are passed
 * to OpenBLAS as transposes, not copied into a new layout. Products smaller than
 * {@link #SMALL_FLOPS} run in plain Java, where the JNI round trip would dominate.
 */
public final class CpuGemm {
    static final long SMALL_FLOPS = 1L << 15;

    /** Tests set this to exercise the copying path where the zero-copy shim is present. */
    static volatile boolean forceCopy;

    private CpuGemm() {
    }

    private static final class Scratch {
        FloatPointer fa;
        FloatPointer fb;
        FloatPointer fc;
        DoublePointer da;
        DoublePointer db;
        DoublePointer dc;

        static FloatPointer grow(FloatPointer p, long n) {
            if (p != null && p.capacity() >= n) {
                return p;
            }
            if (p != null) {
                p.deallocate();
            }
            return new FloatPointer(Math.max(n, 1024));
        }

        static DoublePointer grow(DoublePointer p, long n) {
            if (p != null && p.capacity() >= n) {
                return p;
            }
            if (p != null) {
                p.deallocate();
            }
            return new DoublePointer(Math.max(n, 1024));
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** How one operand's 2-D slices are passed: transpose flag and leading dimension. */
    private record Layout(boolean trans, int ld) {
    }

    private static Layout layout(int rows, int cols, int rs, int cs) {
        if ((cols == 1 || cs == 1) && (rows == 1 || rs >= Math.max(1, cols))) {
            return new Layout(false, rows == 1 ? Math.max(1, cols) : rs);
        }
        if ((rows == 1 || rs == 1) && (cols == 1 || cs >= Math.max(1, rows))) {
            return new Layout(true, cols == 1 ? Math.max(1, rows) : cs);
        }
        return null;
    }

    /** The storage index one past the last element a view reaches. */
    private static int extent(NDArray x) {
        long e = 1;
        for (int d = 0; d < x.dim(); d++) {
            e += (long) (x.size(d) - 1) * x.stride(d);
        }
        return (int) e;
    }

    /** a [B, M, K] x b [B, K, N] -> out [B, M, N] (contiguous). */
    static void matmul(NDArray a, NDArray b, NDArray out) {
        int batch = a.size(0);
        int m = a.size(1);
        int k = a.size(2);
        int n = b.size(2);
        if ((long) m * n * k * batch <= SMALL_FLOPS || a.dtype() == io.ember.tensor.DType.INT64) {
            naive(a, b, out);
            return;
        }
        Layout la = layout(m, k, a.stride(1), a.stride(2));
        if (la == null) {
            a = a.contiguous();
            la = layout(m, k, a.stride(1), a.stride(2));
        }
        Layout lb = layout(k, n, b.stride(1), b.stride(2));
        if (lb == null) {
            b = b.contiguous();
            lb = layout(k, n, b.stride(1), b.stride(2));
        }
        OpenBlas.load();
        if (NativeGemm.available() && !forceCopy) {
            checkExtent("matmul", a.offset(), extent(a), a.storage().size());
            checkExtent("matmul", b.offset(), extent(b), b.storage().size());
            checkExtent("matmul", out.offset(), m * n * batch, out.storage().size());
            if (a.dtype() == io.ember.tensor.DType.FLOAT32) {
                NativeGemm.sgemm(la.trans(), lb.trans(), m, n, k, 1f, Host.f(a), a.offset(), la.ld(), a.stride(0),
                        Host.f(b), b.offset(), lb.ld(), b.stride(0), 0f, Host.f(out), out.offset(), Math.max(1, n),
                        m * n, batch);
            } else {
                NativeGemm.dgemm(la.trans(), lb.trans(), m, n, k, 1.0, Host.d(a), a.offset(), la.ld(), a.stride(0),
                        Host.d(b), b.offset(), lb.ld(), b.stride(0), 0.0, Host.d(out), out.offset(), Math.max(1, n),
                        m * n, batch);
            }
            return;
        }
        Scratch s = SCRATCH.get();
        int ea = extent(a);
        int eb = extent(b);
        int mn = m * n;
        int ta = la.trans() ? openblas.CblasTrans : openblas.CblasNoTrans;
        int tb = lb.trans() ? openblas.CblasTrans : openblas.CblasNoTrans;
        if (a.dtype() == io.ember.tensor.DType.FLOAT32) {
            s.fa = Scratch.grow(s.fa, ea);
            s.fb = Scratch.grow(s.fb, eb);
            s.fc = Scratch.grow(s.fc, (long) mn * batch);
            s.fa.position(0).put(Host.f(a), a.offset(), ea);
            s.fb.position(0).put(Host.f(b), b.offset(), eb);
            for (int i = 0; i < batch; i++) {
                s.fa.position((long) i * a.stride(0));
                s.fb.position((long) i * b.stride(0));
                s.fc.position((long) i * mn);
                openblas.cblas_sgemm(openblas.CblasRowMajor, ta, tb, m, n, k, 1f, s.fa, la.ld(), s.fb, lb.ld(),
                        0f, s.fc, Math.max(1, n));
            }
            s.fc.position(0).get(Host.f(out), out.offset(), mn * batch);
            s.fa.position(0);
            s.fb.position(0);
        } else {
            s.da = Scratch.grow(s.da, ea);
            s.db = Scratch.grow(s.db, eb);
            s.dc = Scratch.grow(s.dc, (long) mn * batch);
            s.da.position(0).put(Host.d(a), a.offset(), ea);
            s.db.position(0).put(Host.d(b), b.offset(), eb);
            for (int i = 0; i < batch; i++) {
                s.da.position((long) i * a.stride(0));
                s.db.position((long) i * b.stride(0));
                s.dc.position((long) i * mn);
                openblas.cblas_dgemm(openblas.CblasRowMajor, ta, tb, m, n, k, 1.0, s.da, la.ld(), s.db, lb.ld(),
                        0.0, s.dc, Math.max(1, n));
            }
            s.dc.position(0).get(Host.d(out), out.offset(), mn * batch);
            s.da.position(0);
            s.db.position(0);
        }
    }

    /** Row-major {@code C = alpha * op(A) op(B) + beta * C} on heap arrays, for other kernels (conv). */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        OpenBlas.load();
        int needA = transA ? (k - 1) * lda + m : (m - 1) * lda + k;
        int needB = transB ? (n - 1) * ldb + k : (k - 1) * ldb + n;
        checkExtent("sgemm A", aOff, needA, a.length);
        checkExtent("sgemm B", bOff, needB, b.length);
        checkExtent("sgemm C", cOff, (m - 1) * ldc + n, c.length);
        if (NativeGemm.available() && !forceCopy) {
            NativeGemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, 0, b, bOff, ldb, 0, beta, c, cOff, ldc, 0, 1);
            return;
        }
        Scratch s = SCRATCH.get();
        int ea = transA ? (k - 1) * lda + m : (m - 1) * lda + k;
        int eb = transB ? (n - 1) * ldb + k : (k - 1) * ldb + n;
        int ec = (m - 1) * ldc + n;
        s.fa = Scratch.grow(s.fa, ea);
        s.fb = Scratch.grow(s.fb, eb);
        s.fc = Scratch.grow(s.fc, ec);
        s.fa.position(0).put(a, aOff, ea);
        s.fb.position(0).put(b, bOff, eb);
        if (beta != 0) {
            s.fc.position(0).put(c, cOff, ec);
        }
        openblas.cblas_sgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, s.fa, lda, s.fb, ldb, beta,
                s.fc, ldc);
        if (ldc == n) {
            s.fc.position(0).get(c, cOff, ec);
        } else {
            for (int i = 0; i < m; i++) {
                s.fc.position((long) i * ldc).get(c, cOff + i * ldc, n);
            }
            s.fc.position(0);
        }
    }

    /** Native code must never run past an array: checked before every OpenBLAS call. */
    private static void checkExtent(String what, int offset, int extent, int length) {
        if (offset < 0 || extent < 0 || (long) offset + extent > length) {
            throw new IllegalArgumentException(what + ": operand spans [" + offset + ", " + ((long) offset + extent)
                    + ") of an array of " + length + " elements");
        }
    }

    /** Plain loops for small products and INT64, any input strides; overwrites the contiguous {@code out}. */
    private static void naive(NDArray a, NDArray b, NDArray out) {
        int batch = a.size(0);
        int m = a.size(1);
        int k = a.size(2);
        int n = b.size(2);
        int as0 = a.stride(0);
        int as1 = a.stride(1);
        int as2 = a.stride(2);
        int bs0 = b.stride(0);
        int bs1 = b.stride(1);
        int bs2 = b.stride(2);
        int ao = a.offset();
        int bo = b.offset();
        int oo = out.offset();
        switch (a.dtype()) {
            case FLOAT32 -> {
                float[] x = Host.f(a);
                float[] y = Host.f(b);
                float[] o = Host.f(out);
                for (int q = 0; q < batch; q++) {
                    for (int i = 0; i < m; i++) {
                        int orow = oo + (q * m + i) * n;
                        java.util.Arrays.fill(o, orow, orow + n, 0f);
                        for (int p = 0; p < k; p++) {
                            float v = x[ao + q * as0 + i * as1 + p * as2];
                            int yb = bo + q * bs0 + p * bs1;
                            for (int j = 0; j < n; j++) {
                                o[orow + j] += v * y[yb + j * bs2];
                            }
                        }
                    }
                }
            }
            case FLOAT64 -> {
                double[] x = Host.d(a);
                double[] y = Host.d(b);
                double[] o = Host.d(out);
                for (int q = 0; q < batch; q++) {
                    for (int i = 0; i < m; i++) {
                        int orow = oo + (q * m + i) * n;
                        java.util.Arrays.fill(o, orow, orow + n, 0.0);
                        for (int p = 0; p < k; p++) {
                            double v = x[ao + q * as0 + i * as1 + p * as2];
                            int yb = bo + q * bs0 + p * bs1;
                            for (int j = 0; j < n; j++) {
                                o[orow + j] += v * y[yb + j * bs2];
                            }
                        }
                    }
                }
            }
            case INT64 -> {
                long[] x = Host.l(a);
                long[] y = Host.l(b);
                long[] o = Host.l(out);
                for (int q = 0; q < batch; q++) {
                    for (int i = 0; i < m; i++) {
                        int orow = oo + (q * m + i) * n;
                        java.util.Arrays.fill(o, orow, orow + n, 0L);
                        for (int p = 0; p < k; p++) {
                            long v = x[ao + q * as0 + i * as1 + p * as2];
                            int yb = bo + q * bs0 + p * bs1;
                            for (int j = 0; j < n; j++) {
                                o[orow + j] += v * y[yb + j * bs2];
                            }
                        }
                    }
                }
            }
            default -> throw new UnsupportedOperationException("matmul: not defined for " + a.dtype());
        }
    }
}
