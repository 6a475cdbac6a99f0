package io.ember.tensor.cpu;

import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import io.ember.tensor.spi.ReduceOp;

import java.util.ArrayList;
import java.util.List;

/**
 * Reduction and softmax kernels for any strided input.
 *
 * <p>A reduction is split into the kept dims (one output element each) and the reduced dims, which
 * are viewed as a small strided sub-space (size-1 dims dropped, sorted by stride, adjacent dims
 * merged) walked in runs. Many outputs: outputs are split over threads by {@link Loop}. Fewer
 * outputs than threads (e.g. a full reduction): each output's reduced range is split into chunks
 * whose partial results are combined in order. Floating values accumulate in double; integer and
 * bool values in long. VAR and LOGSUMEXP take two passes (mean or max first) for accuracy.
 */
final class CpuReduce {
    private CpuReduce() {
    }

    /** One pass over reduced elements. */
    private enum Kind { SUM, PROD, MAX, MIN, SQDEV, SUMEXP, ABSSUM, POWSUM, MAXABS, MINABS, NONZERO }

    /** Typed access to an array's storage. */
    private static final class Src {
        final float[] f;
        final double[] d;
        final long[] l;
        final boolean[] b;

        Src(NDArray x) {
            HostStorage h = (HostStorage) x.storage();
            f = x.dtype() == io.ember.tensor.DType.FLOAT32 ? h.floats() : null;
            d = x.dtype() == io.ember.tensor.DType.FLOAT64 ? h.doubles() : null;
            l = x.dtype() == io.ember.tensor.DType.INT64 ? h.longs() : null;
            b = x.dtype() == io.ember.tensor.DType.BOOL ? h.bools() : null;
        }

        boolean floating() {
            return f != null || d != null;
        }

        double get(int p) {
            return f != null ? f[p] : d != null ? d[p] : l != null ? l[p] : (b[p] ? 1 : 0);
        }

        long getLong(int p) {
            return l != null ? l[p] : f != null ? (long) f[p] : d != null ? (long) d[p] : (b[p] ? 1 : 0);
        }

        void set(int p, double v, long lv, boolean useLong) {
            if (f != null) {
                f[p] = (float) v;
            } else if (d != null) {
                d[p] = v;
            } else if (l != null) {
                l[p] = useLong ? lv : (long) v;
            } else {
                b[p] = useLong ? lv != 0 : v != 0;
            }
        }
    }

    /** The reduced sub-space: sizes and strides, outermost first. */
    private record Geo(int[] size, int[] stride) {
    }

    /** Partial result of one pass: {@code a} (double), {@code la} (long), arg index for MAX/MIN. */
    private static final class Acc {
        final Kind kind;
        final double shift;
        final double p;
        final boolean floating;
        double a;
        long la;
        long idx = -1;
        boolean has;

        Acc(Kind kind, double shift, double p, boolean floating) {
            this.kind = kind;
            this.shift = shift;
            this.p = p;
            this.floating = floating;
            a = kind == Kind.PROD ? 1 : kind == Kind.MINABS ? Double.POSITIVE_INFINITY : 0;
            la = kind == Kind.PROD ? 1 : 0;
        }

        void run(Src s, int off, int n, int st, long pos) {
            if (floating) {
                runDouble(s, off, n, st, pos);
            } else {
                runLong(s, off, n, st, pos);
            }
        }

        private void runDouble(Src s, int off, int n, int st, long pos) {
            double t = a;
            switch (kind) {
                case SUM -> {
                    if (s.f != null) {
                        float[] f = s.f;
                        for (int i = 0, q = off; i < n; i++, q += st) {
                            t += f[q];
                        }
                    } else {
                        double[] d = s.d;
                        for (int i = 0, q = off; i < n; i++, q += st) {
                            t += d[q];
                        }
                    }
                }
                case PROD -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        t *= s.get(q);
                    }
                }
                case MAX, MIN -> {
                    boolean max = kind == Kind.MAX;
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        double v = s.get(q);
                        if (!has || (max ? v > t : v < t) || (v != v && t == t)) {
                            t = v;
                            idx = pos + i;
                            has = true;
                        }
                    }
                }
                case SQDEV -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        double v = s.get(q) - shift;
                        t += v * v;
                    }
                }
                case SUMEXP -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        t += Math.exp(s.get(q) - shift);
                    }
                }
                case ABSSUM -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        t += Math.abs(s.get(q));
                    }
                }
                case POWSUM -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        t += Math.pow(Math.abs(s.get(q)), p);
                    }
                }
                case MAXABS -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        double v = Math.abs(s.get(q));
                        if (v > t || v != v) {
                            t = v;
                        }
                    }
                }
                case MINABS -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        double v = Math.abs(s.get(q));
                        if (v < t || v != v) {
                            t = v;
                        }
                    }
                }
                case NONZERO -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        if (s.get(q) != 0) {
                            t++;
                        }
                    }
                }
            }
            a = t;
        }

        private void runLong(Src s, int off, int n, int st, long pos) {
            long t = la;
            switch (kind) {
                case SUM -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        t += s.getLong(q);
                    }
                }
                case PROD -> {
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        t *= s.getLong(q);
                    }
                }
                case MAX, MIN -> {
                    boolean max = kind == Kind.MAX;
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        long v = s.getLong(q);
                        if (!has || (max ? v > t : v < t)) {
                            t = v;
                            idx = pos + i;
                            has = true;
                        }
                    }
                }
                case NONZERO -> {
                    double c = a;
                    for (int i = 0, q = off; i < n; i++, q += st) {
                        if (s.getLong(q) != 0) {
                            c++;
                        }
                    }
                    a = c;
                }
                default -> throw new IllegalStateException("reduce: " + kind + " needs a floating input");
            }
            la = t;
        }

        /** Combines the partial result of a later chunk into this one. */
        void merge(Acc o) {
            switch (kind) {
                case PROD -> {
                    a *= o.a;
                    la *= o.la;
                }
                case MAX, MIN -> {
                    if (!o.has) {
                        return;
                    }
                    boolean max = kind == Kind.MAX;
                    boolean take = !has || (floating
                            ? (max ? o.a > a : o.a < a) || (o.a != o.a && a == a)
                            : (max ? o.la > la : o.la < la));
                    if (take) {
                        a = o.a;
                        la = o.la;
                        idx = o.idx;
                        has = true;
                    }
                }
                case MAXABS -> a = (o.a > a || o.a != o.a) ? o.a : a;
                case MINABS -> a = (o.a < a || o.a != o.a) ? o.a : a;
                default -> {
                    a += o.a;
                    la += o.la;
                }
            }
        }
    }

    static void reduce(ReduceOp op, NDArray x, int[] dims, NDArray out, NDArray indices, double p) {
        int outCount = out.numel();
        if (outCount == 0) {
            return;
        }
        int rank = x.dim();
        int[] shape = Host.shape(x);
        boolean[] reduced = new boolean[rank];
        int m = 1;
        for (int d : dims) {
            reduced[d] = true;
            m *= shape[d];
        }
        Src dst = new Src(out);
        boolean useLong = !new Src(x).floating() && op != ReduceOp.ANY && op != ReduceOp.ALL;
        if (m == 0) {
            double empty = switch (op) {
                case SUM, NORM, ANY -> 0;
                case PROD, ALL -> 1;
                case LOGSUMEXP -> Double.NEGATIVE_INFINITY;
                case MEAN, VAR -> Double.NaN;
                case MAX, MIN -> throw new IllegalArgumentException(op + ": cannot reduce over an empty slice");
            };
            for (int o = 0; o < outCount; o++) {
                dst.set(o, empty, (long) empty, useLong);
            }
            return;
        }
        Src src = new Src(x);
        Geo g = geometry(x, reduced, indices == null);
        long[] idxOut = indices == null ? null : Host.l(indices);
        final int mm = m;
        int[] vshape = shape.clone();
        for (int d = 0; d < rank; d++) {
            if (reduced[d]) {
                vshape[d] = 1;
            }
        }
        int threads = Threads.get();
        if (outCount < threads && (long) m * outCount > 2L * Loop.GRAIN) {
            // Few outputs: split each output's reduced range over the threads.
            int[] xst = x.strides();
            for (int o = 0; o < outCount; o++) {
                int base = x.offset();
                int rem = o;
                for (int d = rank - 1; d >= 0; d--) {
                    base += (rem % vshape[d]) * xst[d];
                    rem /= vshape[d];
                }
                one(op, src, g, base, mm, p, true, dst, o, idxOut, useLong);
            }
            return;
        }
        NDArray xv = NDArray.strided(x.storage(), vshape, x.strides(), x.offset());
        boolean columns = (op == ReduceOp.SUM || op == ReduceOp.MEAN) && src.floating() && g.size.length > 0;
        Loop.forEach(vshape, new NDArray[] {out, xv}, Math.max(1, Loop.GRAIN / m), (off, n, st) -> {
            if (columns && n > 1 && Math.abs(st[1]) < Math.abs(g.stride[g.size.length - 1])) {
                sumColumns(src, g, off[1], n, st[1], dst, off[0], st[0], op == ReduceOp.MEAN ? mm : 1);
                return;
            }
            for (int i = 0; i < n; i++) {
                one(op, src, g, off[1] + i * st[1], mm, p, false, dst, off[0] + i * st[0], idxOut, useLong);
            }
        });
    }

    /**
     * SUM or MEAN of a row of n outputs whose inputs lie closer together (x stride xst) than the
     * reduced elements: the reduced positions go outermost, so the row is read contiguously.
     */
    private static void sumColumns(Src s, Geo g, int xo, int n, int xst, Src dst, int oo, int ost, int div) {
        double[] acc = new double[n];
        int k = g.size.length;
        int[] idx = new int[k];
        int m = 1;
        for (int d : g.size) {
            m *= d;
        }
        int r = xo;
        for (int c = 0; c < m; c++) {
            if (s.f != null) {
                float[] f = s.f;
                for (int i = 0, q = r; i < n; i++, q += xst) {
                    acc[i] += f[q];
                }
            } else {
                double[] dd = s.d;
                for (int i = 0, q = r; i < n; i++, q += xst) {
                    acc[i] += dd[q];
                }
            }
            for (int d = k - 1; d >= 0; d--) {
                if (++idx[d] < g.size[d]) {
                    r += g.stride[d];
                    break;
                }
                idx[d] = 0;
                r -= (g.size[d] - 1) * g.stride[d];
            }
        }
        for (int i = 0, o = oo; i < n; i++, o += ost) {
            dst.set(o, acc[i] / div, 0, false);
        }
    }

    /** Reduces the m elements at {@code base} into {@code dst[o]} (and {@code idxOut[o]}). */
    private static void one(ReduceOp op, Src s, Geo g, int base, int m, double p, boolean par, Src dst, int o,
            long[] idxOut, boolean useLong) {
        double v = 0;
        long lv = 0;
        switch (op) {
            case SUM, MEAN, PROD, MAX, MIN -> {
                Kind k = op == ReduceOp.PROD ? Kind.PROD : op == ReduceOp.MAX ? Kind.MAX
                        : op == ReduceOp.MIN ? Kind.MIN : Kind.SUM;
                Acc acc = pass(k, 0, p, s, g, base, m, par);
                v = op == ReduceOp.MEAN ? acc.a / m : acc.a;
                lv = acc.la;
                if (idxOut != null) {
                    idxOut[o] = acc.idx;
                }
            }
            case VAR -> {
                double mean = pass(Kind.SUM, 0, p, s, g, base, m, par).a / m;
                v = pass(Kind.SQDEV, mean, p, s, g, base, m, par).a / Math.max(0, m - p);
            }
            case LOGSUMEXP -> {
                double mx = pass(Kind.MAX, 0, p, s, g, base, m, par).a;
                v = Double.isInfinite(mx) || Double.isNaN(mx) ? mx
                        : mx + Math.log(pass(Kind.SUMEXP, mx, p, s, g, base, m, par).a);
            }
            case NORM -> {
                if (p == Double.POSITIVE_INFINITY) {
                    v = pass(Kind.MAXABS, 0, p, s, g, base, m, par).a;
                } else if (p == Double.NEGATIVE_INFINITY) {
                    v = pass(Kind.MINABS, 0, p, s, g, base, m, par).a;
                } else if (p == 0) {
                    v = pass(Kind.NONZERO, 0, p, s, g, base, m, par).a;
                } else if (p == 1) {
                    v = pass(Kind.ABSSUM, 0, p, s, g, base, m, par).a;
                } else if (p == 2) {
                    v = Math.sqrt(pass(Kind.SQDEV, 0, p, s, g, base, m, par).a);
                } else {
                    v = Math.pow(pass(Kind.POWSUM, 0, p, s, g, base, m, par).a, 1 / p);
                }
            }
            case ANY -> v = pass(Kind.NONZERO, 0, p, s, g, base, m, par).a > 0 ? 1 : 0;
            case ALL -> v = pass(Kind.NONZERO, 0, p, s, g, base, m, par).a == m ? 1 : 0;
        }
        dst.set(o, v, lv, useLong);
    }

    /** One pass over the m reduced elements at base, split into ordered chunks when {@code par}. */
    private static Acc pass(Kind k, double shift, double p, Src s, Geo g, int base, int m, boolean par) {
        boolean fl = s.floating();
        if (!par || m < 2 * Loop.GRAIN || Threads.get() <= 1) {
            Acc acc = new Acc(k, shift, p, fl);
            scan(acc, s, g, base, 0, m);
            return acc;
        }
        int chunks = (int) Math.min(Threads.get(), (m + (long) Loop.GRAIN - 1) / Loop.GRAIN);
        Acc[] parts = new Acc[chunks];
        Parallel.forRange(chunks, 1, (lo, hi) -> {
            for (int c = lo; c < hi; c++) {
                Acc acc = new Acc(k, shift, p, fl);
                scan(acc, s, g, base, (int) ((long) m * c / chunks), (int) ((long) m * (c + 1) / chunks));
                parts[c] = acc;
            }
        });
        for (int c = 1; c < chunks; c++) {
            parts[0].merge(parts[c]);
        }
        return parts[0];
    }

    /** Feeds reduced elements [lo, hi) (row-major over the sub-space) to acc, run by run. */
    private static void scan(Acc acc, Src s, Geo g, int base, int lo, int hi) {
        int k = g.size.length;
        if (k == 0) {
            if (lo < hi) {
                acc.run(s, base, 1, 0, 0);
            }
            return;
        }
        int inner = g.size[k - 1];
        int ist = g.stride[k - 1];
        int[] idx = new int[k];
        int off = base;
        int rem = lo;
        for (int d = k - 1; d >= 0; d--) {
            idx[d] = rem % g.size[d];
            rem /= g.size[d];
            off += idx[d] * g.stride[d];
        }
        int pos = lo;
        while (pos < hi) {
            int n = Math.min(inner - idx[k - 1], hi - pos);
            acc.run(s, off, n, ist, pos);
            pos += n;
            idx[k - 1] += n;
            off += n * ist;
            if (idx[k - 1] == inner && pos < hi) {
                idx[k - 1] = 0;
                off -= inner * ist;
                for (int d = k - 2; d >= 0; d--) {
                    if (++idx[d] < g.size[d]) {
                        off += g.stride[d];
                        break;
                    }
                    idx[d] = 0;
                    off -= (g.size[d] - 1) * g.stride[d];
                }
            }
        }
    }

    /**
     * The reduced dims without size-1 dims; unless the element order matters (arg indices), sorted
     * by decreasing |stride| so the innermost run is the densest, with adjacent dims merged.
     */
    private static Geo geometry(NDArray x, boolean[] reduced, boolean reorder) {
        List<int[]> dims = new ArrayList<>();
        for (int d = 0; d < reduced.length; d++) {
            if (reduced[d] && x.size(d) != 1) {
                dims.add(new int[] {x.size(d), x.stride(d)});
            }
        }
        if (reorder) {
            dims.sort((u, v) -> Integer.compare(Math.abs(v[1]), Math.abs(u[1])));
            List<int[]> merged = new ArrayList<>();
            for (int[] dv : dims) {
                int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && (long) last[1] == (long) dv[1] * dv[0]) {
                    last[0] *= dv[0];
                    last[1] = dv[1];
                } else {
                    merged.add(dv.clone());
                }
            }
            dims = merged;
        }
        int[] size = new int[dims.size()];
        int[] stride = new int[dims.size()];
        for (int i = 0; i < size.length; i++) {
            size[i] = dims.get(i)[0];
            stride[i] = dims.get(i)[1];
        }
        return new Geo(size, stride);
    }

    /**
     * Softmax along dim, per slice: max, then exp(x - max) and its sum, then scaling (or, for log,
     * {@code x - max - log(sum)}). A slice whose max is infinite (all -inf, or containing +inf) gives
     * NaN, like PyTorch.
     */
    static void softmax(NDArray x, int dim, boolean log, NDArray out) {
        if (x.numel() == 0) {
            return;
        }
        if (x.dim() == 0) {
            x = NDArray.strided(x.storage(), new int[] {1}, new int[] {1}, x.offset());
            out = NDArray.strided(out.storage(), new int[] {1}, new int[] {1}, out.offset());
            dim = 0;
        }
        int[] vshape = Host.shape(x);
        int n = vshape[dim];
        vshape[dim] = 1;
        int xs = x.stride(dim);
        int os = out.stride(dim);
        NDArray xv = NDArray.strided(x.storage(), vshape, x.strides(), x.offset());
        NDArray ov = NDArray.strided(out.storage(), vshape, out.strides(), out.offset());
        Src sx = new Src(x);
        Src so = new Src(out);
        Loop.forEach(vshape, new NDArray[] {ov, xv}, Math.max(1, Loop.GRAIN / 8 / n), (off, cnt, st) -> {
            for (int i = 0; i < cnt; i++) {
                softmaxSlice(sx, off[1] + i * st[1], xs, so, off[0] + i * st[0], os, n, log);
            }
        });
    }

    private static void softmaxSlice(Src x, int xo, int xs, Src out, int oo, int os, int n, boolean log) {
        if (x.f != null) {
            softmaxSliceF(x.f, xo, xs, out.f, oo, os, n, log);
            return;
        }
        double[] xd = x.d;
        double[] od = out.d;
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0, q = xo; j < n; j++, q += xs) {
            double v = xd[q];
            if (v > mx || v != v) {
                mx = v;
            }
            if (v != v) {
                break;
            }
        }
        double sum = 0;
        for (int j = 0, q = xo, r = oo; j < n; j++, q += xs, r += os) {
            double e = Math.exp(xd[q] - mx);
            sum += e;
            od[r] = e;
        }
        if (log) {
            double lse = mx + Math.log(sum);
            for (int j = 0, q = xo, r = oo; j < n; j++, q += xs, r += os) {
                od[r] = xd[q] - lse;
            }
        } else {
            double inv = 1 / sum;
            for (int j = 0, r = oo; j < n; j++, r += os) {
                od[r] *= inv;
            }
        }
    }

    private static void softmaxSliceF(float[] xf, int xo, int xs, float[] of, int oo, int os, int n, boolean log) {
        double mx = Double.NEGATIVE_INFINITY;
        for (int j = 0, q = xo; j < n; j++, q += xs) {
            double v = xf[q];
            if (v > mx || v != v) {
                mx = v;
            }
            if (v != v) {
                break;
            }
        }
        double sum = 0;
        if (log) {
            for (int j = 0, q = xo; j < n; j++, q += xs) {
                sum += Math.exp(xf[q] - mx);
            }
            double lse = mx + Math.log(sum);
            for (int j = 0, q = xo, r = oo; j < n; j++, q += xs, r += os) {
                of[r] = (float) (xf[q] - lse);
            }
        } else {
            for (int j = 0, q = xo, r = oo; j < n; j++, q += xs, r += os) {
                double e = Math.exp(xf[q] - mx);
                sum += e;
                of[r] = (float) e;
            }
            double inv = 1 / sum;
            for (int j = 0, r = oo; j < n; j++, r += os) {
                of[r] = (float) (of[r] * inv);
            }
        }
    }
}
