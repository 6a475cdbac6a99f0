package io.ember.tensor.cpu;

import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;

/**
 * Index kernels: indexSelect, indexAdd, gather, scatter, nonzero. Every operand may be a strided
 * view. Each kernel splits its iteration shape into an outer part (dims before {@code dim}), the
 * indexed dim, and an inner part (dims after); the memory offsets of every outer and inner position
 * are tabulated once per operand, so the hot loop is a table lookup plus one multiply. When both
 * inner blocks are dense rows, rows move with {@link System#arraycopy} or a tight add loop (the
 * embedding and cross-entropy backward paths).
 */
final class CpuIndex {
    private CpuIndex() {
    }

    /** Element operation from a source position to a destination position. */
    private interface ElemOp {
        void apply(int s, int d);
    }

    /** Row operation over n elements with unit stride on both sides. */
    private interface RowOp {
        void apply(int s, int d, int n);
    }

    /**
     * Offsets (relative to the array's own offset) of every position of {@code shape[from..to)}
     * taken with {@code strides}, in row-major order.
     */
    static int[] offsets(int[] shape, int[] strides, int from, int to) {
        int n = 1;
        for (int d = from; d < to; d++) {
            n *= shape[d];
        }
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        int[] idx = new int[to - from];
        int cur = 0;
        for (int k = 0; k < n; k++) {
            out[k] = cur;
            for (int d = to - 1; d >= from; d--) {
                int j = d - from;
                if (++idx[j] < shape[d]) {
                    cur += strides[d];
                    break;
                }
                cur -= (shape[d] - 1) * strides[d];
                idx[j] = 0;
            }
        }
        return out;
    }

    private static boolean dense(int[] offs) {
        for (int k = 0; k < offs.length; k++) {
            if (offs[k] != k) {
                return false;
            }
        }
        return true;
    }

    private static ElemOp elemOp(NDArray src, NDArray dst, boolean add) {
        Object s = ((HostStorage) src.storage()).array();
        Object d = ((HostStorage) dst.storage()).array();
        return switch (dst.dtype()) {
            case FLOAT32 -> {
                float[] a = (float[]) s;
                float[] b = (float[]) d;
                yield add ? (i, j) -> b[j] += a[i] : (i, j) -> b[j] = a[i];
            }
            case FLOAT64 -> {
                double[] a = (double[]) s;
                double[] b = (double[]) d;
                yield add ? (i, j) -> b[j] += a[i] : (i, j) -> b[j] = a[i];
            }
            case INT64 -> {
                long[] a = (long[]) s;
                long[] b = (long[]) d;
                yield add ? (i, j) -> b[j] += a[i] : (i, j) -> b[j] = a[i];
            }
            case BOOL -> {
                boolean[] a = (boolean[]) s;
                boolean[] b = (boolean[]) d;
                yield add ? (i, j) -> b[j] |= a[i] : (i, j) -> b[j] = a[i];
            }
        };
    }

    private static RowOp rowOp(NDArray src, NDArray dst, boolean add) {
        Object s = ((HostStorage) src.storage()).array();
        Object d = ((HostStorage) dst.storage()).array();
        if (!add) {
            return (i, j, n) -> System.arraycopy(s, i, d, j, n);
        }
        return switch (dst.dtype()) {
            case FLOAT32 -> {
                float[] a = (float[]) s;
                float[] b = (float[]) d;
                yield (i, j, n) -> {
                    for (int k = 0; k < n; k++) {
                        b[j + k] += a[i + k];
                    }
                };
            }
            case FLOAT64 -> {
                double[] a = (double[]) s;
                double[] b = (double[]) d;
                yield (i, j, n) -> {
                    for (int k = 0; k < n; k++) {
                        b[j + k] += a[i + k];
                    }
                };
            }
            case INT64 -> {
                long[] a = (long[]) s;
                long[] b = (long[]) d;
                yield (i, j, n) -> {
                    for (int k = 0; k < n; k++) {
                        b[j + k] += a[i + k];
                    }
                };
            }
            case BOOL -> {
                boolean[] a = (boolean[]) s;
                boolean[] b = (boolean[]) d;
                yield (i, j, n) -> {
                    for (int k = 0; k < n; k++) {
                        b[j + k] |= a[i + k];
                    }
                };
            }
        };
    }

    private static long[] indexValues(NDArray index) {
        long[] raw = Host.l(index);
        int n = index.numel();
        long[] v = new long[n];
        int st = index.dim() == 0 ? 0 : index.stride(0);
        for (int i = 0, p = index.offset(); i < n; i++, p += st) {
            v[i] = raw[p];
        }
        return v;
    }

    /**
     * Shared loop of indexSelect (copy, gathering slices of {@code a}) and indexAdd (accumulate,
     * into slices of {@code a}): for outer o, position j of the index, inner k, pairs
     * {@code a[o, idx[j], k]} with {@code b[o, j, k]}.
     */
    private static void sliceLoop(NDArray a, int dim, NDArray index, NDArray b, boolean intoA) {
        int[] aShape = Host.shape(a);
        int[] bShape = Host.shape(b);
        long[] idx = indexValues(index);
        int[] outerA = offsets(aShape, a.strides(), 0, dim);
        int[] outerB = offsets(bShape, b.strides(), 0, dim);
        int[] innerA = offsets(aShape, a.strides(), dim + 1, aShape.length);
        int[] innerB = offsets(bShape, b.strides(), dim + 1, bShape.length);
        int strideA = a.stride(dim);
        int strideB = b.stride(dim);
        int baseA = a.offset();
        int baseB = b.offset();
        int n = idx.length;
        int inner = innerA.length;
        boolean rows = dense(innerA) && dense(innerB);
        ElemOp elem = intoA ? elemOp(b, a, true) : elemOp(a, b, false);
        RowOp row = intoA ? rowOp(b, a, true) : rowOp(a, b, false);
        long work = (long) outerA.length * n * inner;
        if (outerA.length == 0 || n == 0 || inner == 0) {
            return;
        }
        // indexAdd may hit one destination slice from several j, so it splits over outer or inner
        // positions only; indexSelect writes each (o, j) slice once and can split over both.
        Parallel.Range byOuter = (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                for (int j = 0; j < n; j++) {
                    int pa = baseA + outerA[o] + (int) idx[j] * strideA;
                    int pb = baseB + outerB[o] + j * strideB;
                    if (rows) {
                        if (intoA) {
                            row.apply(pb, pa, inner);
                        } else {
                            row.apply(pa, pb, inner);
                        }
                    } else {
                        for (int k = 0; k < inner; k++) {
                            if (intoA) {
                                elem.apply(pb + innerB[k], pa + innerA[k]);
                            } else {
                                elem.apply(pa + innerA[k], pb + innerB[k]);
                            }
                        }
                    }
                }
            }
        };
        if (outerA.length > 1 || work < Loop.GRAIN) {
            int grain = (int) Math.max(1, Loop.GRAIN / Math.max(1L, (long) n * inner));
            Parallel.forRange(outerA.length, grain, byOuter);
        } else if (!intoA) {
            Parallel.forRange(n, Math.max(1, Loop.GRAIN / inner), (lo, hi) -> {
                for (int j = lo; j < hi; j++) {
                    int pa = baseA + outerA[0] + (int) idx[j] * strideA;
                    int pb = baseB + outerB[0] + j * strideB;
                    if (rows) {
                        row.apply(pa, pb, inner);
                    } else {
                        for (int k = 0; k < inner; k++) {
                            elem.apply(pa + innerA[k], pb + innerB[k]);
                        }
                    }
                }
            });
        } else {
            // one outer position (e.g. embedding backward along dim 0): split the columns
            Parallel.forRange(inner, Math.max(1, Loop.GRAIN / n), (lo, hi) -> {
                for (int j = 0; j < n; j++) {
                    int pa = baseA + outerA[0] + (int) idx[j] * strideA;
                    int pb = baseB + outerB[0] + j * strideB;
                    if (rows) {
                        row.apply(pb + lo, pa + lo, hi - lo);
                    } else {
                        for (int k = lo; k < hi; k++) {
                            elem.apply(pb + innerB[k], pa + innerA[k]);
                        }
                    }
                }
            });
        }
    }

    static void indexSelect(NDArray x, int dim, NDArray index, NDArray out) {
        sliceLoop(x, dim, index, out, false);
    }

    static void indexAdd(NDArray dst, int dim, NDArray index, NDArray src) {
        sliceLoop(dst, dim, index, src, true);
    }

    /**
     * Shared loop of gather and scatter over index's shape: pairs {@code a[o, index[o, j, k], k]}
     * with {@code b[o, j, k]}; {@code intoA} writes a (scatter), else b (gather).
     */
    private static void pointLoop(NDArray a, int dim, NDArray index, NDArray b, boolean intoA, boolean add) {
        int[] shape = Host.shape(index);
        int rank = shape.length;
        if (index.numel() == 0) {
            return;
        }
        if (rank == 0) {
            long[] iv = Host.l(index);
            ElemOp op = intoA ? elemOp(b, a, add) : elemOp(a, b, false);
            int pa = a.offset() + (int) iv[index.offset()] * (a.dim() == 0 ? 0 : a.stride(0));
            if (intoA) {
                op.apply(b.offset(), pa);
            } else {
                op.apply(pa, b.offset());
            }
            return;
        }
        int[] outerA = offsets(shape, a.strides(), 0, dim);
        int[] outerB = offsets(shape, b.strides(), 0, dim);
        int[] outerI = offsets(shape, index.strides(), 0, dim);
        int[] innerA = offsets(shape, a.strides(), dim + 1, rank);
        int[] innerB = offsets(shape, b.strides(), dim + 1, rank);
        int[] innerI = offsets(shape, index.strides(), dim + 1, rank);
        long[] iv = Host.l(index);
        int sa = a.stride(dim);
        int sb = b.stride(dim);
        int si = index.stride(dim);
        int n = shape[dim];
        int inner = innerA.length;
        int baseA = a.offset();
        int baseB = b.offset();
        int baseI = index.offset();
        ElemOp op = intoA ? elemOp(b, a, add) : elemOp(a, b, false);
        // Writes of scatter for different (o, k) never collide, so both loops split safely.
        int grain = Math.max(1, Loop.GRAIN / Math.max(1, n * inner));
        Parallel.forRange(outerA.length, grain, (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                for (int j = 0; j < n; j++) {
                    int pa0 = baseA + outerA[o];
                    int pb0 = baseB + outerB[o] + j * sb;
                    int pi0 = baseI + outerI[o] + j * si;
                    for (int k = 0; k < inner; k++) {
                        int pa = pa0 + innerA[k] + (int) iv[pi0 + innerI[k]] * sa;
                        int pb = pb0 + innerB[k];
                        if (intoA) {
                            op.apply(pb, pa);
                        } else {
                            op.apply(pa, pb);
                        }
                    }
                }
            }
        });
    }

    static void gather(NDArray x, int dim, NDArray index, NDArray out) {
        pointLoop(x, dim, index, out, false, false);
    }

    static void scatter(NDArray dst, int dim, NDArray index, NDArray src, boolean accumulate) {
        pointLoop(dst, dim, index, src, true, accumulate);
    }

    static NDArray nonzero(NDArray x) {
        int[] shape = Host.shape(x);
        int rank = shape.length;
        int[] offs = offsets(shape, x.strides(), 0, rank);
        int base = x.offset();
        Object arr = ((HostStorage) x.storage()).array();
        boolean[] nz = new boolean[offs.length];
        int count = 0;
        for (int k = 0; k < offs.length; k++) {
            int p = base + offs[k];
            boolean v = switch (x.dtype()) {
                case FLOAT32 -> ((float[]) arr)[p] != 0;
                case FLOAT64 -> ((double[]) arr)[p] != 0;
                case INT64 -> ((long[]) arr)[p] != 0;
                case BOOL -> ((boolean[]) arr)[p];
            };
            nz[k] = v;
            if (v) {
                count++;
            }
        }
        long[] out = new long[count * rank];
        int[] idx = new int[rank];
        int w = 0;
        for (int k = 0; k < offs.length; k++) {
            if (nz[k]) {
                for (int d = 0; d < rank; d++) {
                    out[w++] = idx[d];
                }
            }
            for (int d = rank - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return NDArray.fromStorage(HostStorage.wrap(out), count, rank);
    }
}
