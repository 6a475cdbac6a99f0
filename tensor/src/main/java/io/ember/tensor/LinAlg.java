package io.ember.tensor;

import java.util.Arrays;

/** Matrix products with PyTorch's shape rules; the kernel is the backend's batched matmul. */
final class LinAlg {
    private LinAlg() {
    }

    private static DType computeType(String op, NDArray a, NDArray b) {
        Views.checkSameDevice(op, a, b);
        DType t = DType.promote(a.dtype, b.dtype);
        return t == DType.BOOL ? DType.INT64 : t;
    }

    private static IllegalArgumentException mismatch(String op, NDArray a, NDArray b, int ka, int kb) {
        return new IllegalArgumentException(op + ": cannot multiply " + Arrays.toString(a.shape) + " by "
                + Arrays.toString(b.shape) + " (" + ka + " != " + kb + ")");
    }

    /** The kernel call on 3-D operands [B, M, K] x [B, K, N]. */
    private static NDArray batched(NDArray a3, NDArray b3, DType t) {
        NDArray out = NDArray.allocate(t, a3.device(), new int[] {a3.shape[0], a3.shape[1], b3.shape[2]});
        if (a3.shape[2] == 0) {
            return out;
        }
        a3.backend().matmul(a3.to(t), b3.to(t), out);
        return out;
    }

    static NDArray mm(NDArray a, NDArray b) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("mm: expects two 2-D arrays, got " + Arrays.toString(a.shape) + " and "
                    + Arrays.toString(b.shape));
        }
        if (a.shape[1] != b.shape[0]) {
            throw mismatch("mm", a, b, a.shape[1], b.shape[0]);
        }
        DType t = computeType("mm", a, b);
        return batched(a.unsqueeze(0), b.unsqueeze(0), t).squeeze(0);
    }

    static NDArray bmm(NDArray a, NDArray b) {
        if (a.dim() != 3 || b.dim() != 3) {
            throw new IllegalArgumentException("bmm: expects two 3-D arrays, got " + Arrays.toString(a.shape) + " and "
                    + Arrays.toString(b.shape));
        }
        if (a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException("bmm: batch sizes differ: " + Arrays.toString(a.shape) + " and "
                    + Arrays.toString(b.shape));
        }
        if (a.shape[2] != b.shape[1]) {
            throw mismatch("bmm", a, b, a.shape[2], b.shape[1]);
        }
        return batched(a, b, computeType("bmm", a, b));
    }

    static NDArray mv(NDArray m, NDArray v) {
        if (m.dim() != 2 || v.dim() != 1) {
            throw new IllegalArgumentException("mv: expects a 2-D and a 1-D array, got " + Arrays.toString(m.shape)
                    + " and " + Arrays.toString(v.shape));
        }
        if (m.shape[1] != v.shape[0]) {
            throw mismatch("mv", m, v, m.shape[1], v.shape[0]);
        }
        return mm(m, v.unsqueeze(1)).squeeze(1);
    }

    static NDArray dot(NDArray a, NDArray b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("dot: expects two 1-D arrays, got " + Arrays.toString(a.shape)
                    + " and " + Arrays.toString(b.shape));
        }
        if (a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException("dot: arrays have different lengths: " + Arrays.toString(a.shape)
                    + " and " + Arrays.toString(b.shape));
        }
        return mm(a.unsqueeze(0), b.unsqueeze(1)).reshape();
    }

    static NDArray outer(NDArray a, NDArray b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("outer: expects two 1-D arrays, got " + Arrays.toString(a.shape)
                    + " and " + Arrays.toString(b.shape));
        }
        DType t = computeType("outer", a, b);
        return a.to(t).unsqueeze(1).mul(b.to(t).unsqueeze(0));
    }

    static NDArray matmul(NDArray a, NDArray b) {
        int ra = a.dim();
        int rb = b.dim();
        if (ra == 0 || rb == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got "
                    + Arrays.toString(a.shape) + " and " + Arrays.toString(b.shape));
        }
        if (ra == 1 && rb == 1) {
            if (a.shape[0] != b.shape[0]) {
                throw mismatch("matmul", a, b, a.shape[0], b.shape[0]);
            }
            return dot(a, b);
        }
        NDArray a2 = ra == 1 ? a.unsqueeze(0) : a;
        NDArray b2 = rb == 1 ? b.unsqueeze(1) : b;
        int k1 = a2.shape[a2.dim() - 1];
        int k2 = b2.shape[b2.dim() - 2];
        if (k1 != k2) {
            throw mismatch("matmul", a, b, k1, k2);
        }
        DType t = computeType("matmul", a, b);
        int m = a2.shape[a2.dim() - 2];
        int n = b2.shape[b2.dim() - 1];
        NDArray out;
        if (b2.dim() == 2) {
            // [..., M, K] x [K, N]: fold the batch into the rows when that is a view: one GEMM.
            int[] st = Views.viewStrides(a2.shape, a2.strides, new int[] {a2.numel() / Math.max(k1, 1), k1});
            if (st != null && k1 > 0) {
                NDArray flat = new NDArray(a2.storage, new int[] {a2.numel() / k1, k1}, st, a2.offset);
                out = batched(flat.unsqueeze(0), b2.unsqueeze(0), t).squeeze(0);
                int[] os = Arrays.copyOf(a2.shape, a2.dim());
                os[os.length - 1] = n;
                out = out.view(os);
                return squeezeVectors(out, ra, rb);
            }
        }
        int[] ba = Arrays.copyOf(a2.shape, a2.dim() - 2);
        int[] bb = Arrays.copyOf(b2.shape, b2.dim() - 2);
        int[] batch = Views.broadcast("matmul", ba, bb);
        int bsz = Shape.numel(batch);
        NDArray ae = a2.expand(concat(batch, m, k1)).reshape(bsz, m, k1);
        NDArray be = b2.expand(concat(batch, k1, n)).reshape(bsz, k1, n);
        out = batched(ae, be, t).view(concat(batch, m, n));
        return squeezeVectors(out, ra, rb);
    }

    private static NDArray squeezeVectors(NDArray out, int ra, int rb) {
        if (ra == 1) {
            out = out.squeeze(-2);
        }
        if (rb == 1) {
            out = out.squeeze(-1);
        }
        return out;
    }

    private static int[] concat(int[] batch, int x, int y) {
        int[] r = Arrays.copyOf(batch, batch.length + 2);
        r[batch.length] = x;
        r[batch.length + 1] = y;
        return r;
    }
}
