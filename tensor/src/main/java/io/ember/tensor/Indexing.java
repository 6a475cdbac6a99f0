package io.ember.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Indexing ({@link NDArray#index}, {@link NDArray#indexPut}), gather/scatter, indexSelect/indexAdd
 * and masks: validation, shapes and allocation; kernels are the backend's.
 *
 * <p>Rules of {@code index}: integers, slices and new axes are applied first, as views (so an
 * integer is a plain {@code select}, like PyTorch and unlike NumPy, which counts integers as advanced
 * indices when arrays are present). A BOOL mask over k dims becomes the k index arrays of its
 * {@code nonzero()} coordinates. Index arrays are then broadcast together to a shape B; the result
 * holds B in place of the indexed dims when those dims are adjacent, and B first otherwise (NumPy's
 * rule). So {@code x.index(Index.of(0, 1), Index.of(2, 0))} picks {@code x[0, 2]} and {@code x[1, 0]}.
 * Index values may be negative (counting from the end); gather, scatter, indexSelect and indexAdd
 * take only non-negative positions, like PyTorch. Range checks read the index on the host and are
 * done for CPU arrays; device backends check in their kernels.
 */
final class Indexing {
    private Indexing() {
    }

    /** The view left after the basic components, and the index arrays at their view dims. */
    private record Plan(NDArray view, List<Integer> positions, List<NDArray> arrays) {
    }

    private static Plan plan(String op, NDArray x, Index[] indices) {
        int rank = x.dim();
        int consumed = 0;
        int ellipses = 0;
        for (Index ix : indices) {
            if (ix == null) {
                throw new IllegalArgumentException(op + ": null index component in " + Arrays.toString(indices));
            }
            consumed += ix.consumes();
            if (ix.kind == Index.Kind.ELLIPSIS) {
                ellipses++;
            }
        }
        if (ellipses > 1) {
            throw new IllegalArgumentException(op + ": an index can only have a single ellipsis, got "
                    + Arrays.toString(indices));
        }
        if (consumed > rank) {
            throw new IllegalArgumentException(op + ": too many indices for array of shape " + Arrays.toString(x.shape)
                    + ": " + Arrays.toString(indices) + " index " + consumed + " dims, the array has " + rank);
        }
        List<Index> full = new ArrayList<>();
        for (Index ix : indices) {
            if (ix.kind == Index.Kind.ELLIPSIS) {
                for (int i = consumed; i < rank; i++) {
                    full.add(Index.all());
                }
            } else {
                full.add(ix);
            }
        }
        if (ellipses == 0) {
            for (int i = consumed; i < rank; i++) {
                full.add(Index.all());
            }
        }
        NDArray v = x;
        int pos = 0;
        int srcDim = 0;
        List<Integer> positions = new ArrayList<>();
        List<NDArray> arrays = new ArrayList<>();
        for (Index ix : full) {
            switch (ix.kind) {
                case AT -> {
                    int size = v.shape[pos];
                    int i = ix.start < 0 ? ix.start + size : ix.start;
                    if (i < 0 || i >= size) {
                        throw new IllegalArgumentException(op + ": index " + ix.start + " is out of range for dim "
                                + srcDim + " of size " + size + " (shape " + Arrays.toString(x.shape) + ")");
                    }
                    v = v.select(pos, i);
                    srcDim++;
                }
                case SLICE -> {
                    v = v.slice(pos, ix.start, ix.end, ix.step);
                    pos++;
                    srcDim++;
                }
                case NEW_AXIS -> {
                    v = v.unsqueeze(pos);
                    pos++;
                }
                case ARRAY -> {
                    NDArray a = ix.array;
                    Views.checkSameDevice(op, x, a);
                    if (!ix.isMask()) {
                        int size = v.shape[pos];
                        checkRange(op, a, srcDim, size, true);
                        arrays.add(NDArray.where(a.lt(0), a.add(size), a));
                        positions.add(pos);
                        pos++;
                        srcDim++;
                    } else {
                        int k = a.dim();
                        if (k == 0) {
                            throw new IllegalArgumentException(op + ": a 0-d bool mask is not supported");
                        }
                        int[] covered = Arrays.copyOfRange(v.shape, pos, pos + k);
                        if (!Arrays.equals(covered, a.shape)) {
                            throw new IllegalArgumentException(op + ": mask of shape " + Arrays.toString(a.shape)
                                    + " does not match dims " + srcDim + ".." + (srcDim + k - 1) + " " + Arrays.toString(covered)
                                    + " of array of shape " + Arrays.toString(x.shape));
                        }
                        NDArray nz = a.nonzero();
                        for (int c = 0; c < k; c++) {
                            arrays.add(nz.select(1, c));
                            positions.add(pos + c);
                        }
                        pos += k;
                        srcDim += k;
                    }
                }
                default -> throw new IllegalStateException();
            }
        }
        return new Plan(v, positions, arrays);
    }

    /** Layout of an advanced index over k >= 2 arrays (or one array in indexPut). */
    private record Advanced(int[] bshape, int[] rest, int[] perm, int[] resultShape, int[] toResult, NDArray lin,
            int indexedNumel) {
    }

    private static Advanced advanced(String op, Plan p) {
        NDArray v = p.view();
        int k = p.arrays().size();
        int[] bshape = p.arrays().get(0).shape;
        for (int j = 1; j < k; j++) {
            bshape = Views.broadcast(op, bshape, p.arrays().get(j).shape);
        }
        int rank = v.dim();
        int[] perm = new int[rank];
        int[] rest = new int[rank - k];
        boolean[] indexed = new boolean[rank];
        for (int j = 0; j < k; j++) {
            perm[j] = p.positions().get(j);
            indexed[perm[j]] = true;
        }
        int r = 0;
        for (int d = 0; d < rank; d++) {
            if (!indexed[d]) {
                rest[r] = v.shape[d];
                perm[k + r++] = d;
            }
        }
        NDArray lin = p.arrays().get(0);
        int indexedNumel = v.shape[perm[0]];
        for (int j = 1; j < k; j++) {
            int size = v.shape[perm[j]];
            lin = lin.mul(size).add(p.arrays().get(j));
            indexedNumel *= size;
        }
        lin = flat(lin.expand(bshape));
        int first = perm[0];
        boolean adjacent = perm[k - 1] - first == k - 1;
        int lead = adjacent ? first : 0;
        int nb = bshape.length;
        // result dims: rest[0..lead), B, rest[lead..); toResult permutes [B, rest] into that order
        int[] resultShape = new int[nb + rest.length];
        int[] toResult = new int[nb + rest.length];
        int w = 0;
        for (int i = 0; i < lead; i++) {
            resultShape[w] = rest[i];
            toResult[w++] = nb + i;
        }
        for (int i = 0; i < nb; i++) {
            resultShape[w] = bshape[i];
            toResult[w++] = i;
        }
        for (int i = lead; i < rest.length; i++) {
            resultShape[w] = rest[i];
            toResult[w++] = nb + i;
        }
        return new Advanced(bshape, rest, perm, resultShape, toResult, lin, indexedNumel);
    }

    /** A 1-D version of x (reshape(-1), which a 0-d array cannot take through view). */
    private static NDArray flat(NDArray x) {
        return x.dim() == 0 ? x.unsqueeze(0) : x.reshape(-1);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int[] inverse(int[] perm) {
        int[] inv = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[perm[i]] = i;
        }
        return inv;
    }

    static NDArray index(NDArray x, Index[] indices) {
        Plan p = plan("index", x, indices);
        NDArray v = p.view();
        if (p.arrays().isEmpty()) {
            return v;
        }
        if (p.arrays().size() == 1) {
            NDArray a = p.arrays().get(0);
            int d = p.positions().get(0);
            NDArray r = select(v, d, flat(a));
            int[] ns = concat(concat(Arrays.copyOfRange(v.shape, 0, d), a.shape),
                    Arrays.copyOfRange(v.shape, d + 1, v.dim()));
            return r.view(ns);
        }
        Advanced adv = advanced("index", p);
        NDArray flat = v.permute(adv.perm()).reshape(concat(new int[] {adv.indexedNumel()}, adv.rest()));
        NDArray r = select(flat, 0, adv.lin()).view(concat(adv.bshape(), adv.rest()));
        return r.permute(adv.toResult()).contiguous();
    }

    static NDArray indexPut(NDArray x, Index[] indices, NDArray values, boolean accumulate) {
        Views.checkWritable("indexPut", x);
        Views.checkSameDevice("indexPut", x, values);
        Plan p = plan("indexPut", x, indices);
        NDArray v = p.view();
        if (p.arrays().isEmpty()) {
            Views.broadcastTarget("indexPut", values.shape, v.shape);
            if (accumulate) {
                v.addInPlace(values.to(x.dtype));
            } else {
                v.copyFrom(values);
            }
            return x;
        }
        Advanced adv = advanced("indexPut", p);
        Views.broadcastTarget("indexPut", values.shape, adv.resultShape());
        int nb = adv.lin().numel();
        int[] rows = concat(new int[] {nb}, adv.rest());
        NDArray vals = values.to(x.dtype).expand(adv.resultShape()).permute(inverse(adv.toResult()));
        vals = (vals.dim() == 0 ? vals.unsqueeze(0) : vals).reshape(rows);
        NDArray vp = v.permute(adv.perm());
        int[] flatShape = concat(new int[] {adv.indexedNumel()}, adv.rest());
        int[] st = Views.viewStrides(vp.shape, vp.strides, flatShape);
        NDArray target = st != null ? new NDArray(vp.storage, flatShape, st, vp.offset) : vp.clone().view(flatShape);
        int[] idxShape = new int[rows.length];
        Arrays.fill(idxShape, 1);
        idxShape[0] = nb;
        NDArray idx = adv.lin().reshape(idxShape).expand(rows);
        x.backend().scatter(target, 0, idx, vals, accumulate);
        if (st == null) {
            vp.copyFrom(target.view(vp.shape));
        }
        return x;
    }

    // ------------------------------------------------------------------ validation helpers

    private static void checkIndexType(String op, NDArray index) {
        if (index.dtype != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be int64, got " + index.dtype + " with shape "
                    + Arrays.toString(index.shape));
        }
    }

    private static void checkMask(String op, NDArray mask) {
        if (mask.dtype != DType.BOOL) {
            throw new IllegalArgumentException(op + ": mask must be bool, got " + mask.dtype + " with shape "
                    + Arrays.toString(mask.shape));
        }
    }

    /** Checks index values against a dim's size (host arrays only). */
    private static void checkRange(String op, NDArray index, int dim, int size, boolean allowNegative) {
        if (!index.device().isCpu() || index.numel() == 0) {
            return;
        }
        for (long v : index.toLongArray()) {
            if (v >= size || v < (allowNegative ? -size : 0)) {
                throw new IllegalArgumentException(op + ": index " + v + " is out of range for dim " + dim
                        + " of size " + size);
            }
        }
    }

    /** Checks that index has the rank of x and fits inside x except along dim (and inside src). */
    private static void checkPointShapes(String op, NDArray x, int d, NDArray index, NDArray src) {
        if (index.dim() != x.dim() || (src != null && src.dim() != x.dim())) {
            throw new IllegalArgumentException(op + ": index" + (src != null ? " and source" : "")
                    + " must have the rank of the input; input shape " + Arrays.toString(x.shape) + ", index shape "
                    + Arrays.toString(index.shape) + (src != null ? ", source shape " + Arrays.toString(src.shape) : ""));
        }
        for (int k = 0; k < x.dim(); k++) {
            if ((k != d && index.shape[k] > x.shape[k]) || (src != null && index.shape[k] > src.shape[k])) {
                throw new IllegalArgumentException(op + ": index shape " + Arrays.toString(index.shape)
                        + " exceeds input shape " + Arrays.toString(x.shape)
                        + (src != null ? " or source shape " + Arrays.toString(src.shape) : "") + " at dim " + k);
            }
        }
    }

    // ------------------------------------------------------------------ ops

    /** indexSelect without validation: index INT64 1-D, in range. */
    private static NDArray select(NDArray x, int d, NDArray index) {
        int[] shape = x.shape.clone();
        shape[d] = index.numel();
        NDArray out = NDArray.allocate(x.dtype, x.device(), shape);
        x.backend().indexSelect(x, d, index, out);
        return out;
    }

    /** Checks shared by indexSelect and indexAdd: a non-0-d array, an INT64 index of rank <= 1; returns dim. */
    private static int checkDimIndex(String op, NDArray x, int dim, NDArray index) {
        if (x.dim() == 0) {
            throw new IllegalArgumentException(op + ": cannot index a 0-d array");
        }
        int d = Shape.normalizeDim(op, dim, x.dim());
        checkIndexType(op, index);
        if (index.dim() > 1) {
            throw new IllegalArgumentException(op + ": index must be 1-D, got shape " + Arrays.toString(index.shape));
        }
        Views.checkSameDevice(op, x, index);
        return d;
    }

    static NDArray indexSelect(NDArray x, int dim, NDArray index) {
        String op = "indexSelect";
        int d = checkDimIndex(op, x, dim, index);
        checkRange(op, index, d, x.shape[d], false);
        return select(x, d, flat(index));
    }

    static NDArray gather(NDArray x, int dim, NDArray index) {
        String op = "gather";
        int d = Shape.normalizeDim(op, dim, x.dim());
        checkIndexType(op, index);
        Views.checkSameDevice(op, x, index);
        checkPointShapes(op, x, d, index, null);
        checkRange(op, index, d, x.dim() == 0 ? 1 : x.shape[d], false);
        NDArray out = NDArray.allocate(x.dtype, x.device(), index.shape.clone());
        x.backend().gather(x, d, index, out);
        return out;
    }

    static NDArray scatter(NDArray x, int dim, NDArray index, NDArray src, boolean accumulate) {
        return scatterInPlace(x.clone(), dim, index, src, accumulate);
    }

    static NDArray scatterValue(NDArray x, int dim, NDArray index, double value) {
        checkIndexType("scatter", index);
        return scatter(x, dim, index, Creation.full(x.dtype, value, index.shape, x.device()), false);
    }

    static NDArray scatterInPlace(NDArray x, int dim, NDArray index, NDArray src, boolean accumulate) {
        String op = accumulate ? "scatterAdd" : "scatter";
        int d = Shape.normalizeDim(op, dim, x.dim());
        checkIndexType(op, index);
        Views.checkWritable(op, x);
        Views.checkSameDevice(op, x, index);
        Views.checkSameDevice(op, x, src);
        checkPointShapes(op, x, d, index, src);
        checkRange(op, index, d, x.dim() == 0 ? 1 : x.shape[d], false);
        x.backend().scatter(x, d, index, src.to(x.dtype), accumulate);
        return x;
    }

    static NDArray indexAdd(NDArray x, int dim, NDArray index, NDArray src) {
        String op = "indexAdd";
        int d = checkDimIndex(op, x, dim, index);
        Views.checkWritable(op, x);
        Views.checkSameDevice(op, x, src);
        int[] expected = x.shape.clone();
        expected[d] = index.numel();
        if (!Arrays.equals(expected, src.shape)) {
            throw new IllegalArgumentException(op + ": source shape " + Arrays.toString(src.shape) + " must be "
                    + Arrays.toString(expected) + " (destination shape " + Arrays.toString(x.shape) + " with dim " + d
                    + " sized to the " + index.numel() + " indices)");
        }
        checkRange(op, index, d, x.shape[d], false);
        x.backend().indexAdd(x, d, flat(index), src.to(x.dtype));
        return x;
    }

    static NDArray maskedSelect(NDArray x, NDArray mask) {
        String op = "maskedSelect";
        checkMask(op, mask);
        Views.checkSameDevice(op, x, mask);
        int[] shape = Views.broadcast(op, x.shape, mask.shape);
        NDArray positions = flat(mask.expand(shape)).nonzero().reshape(-1);
        return select(flat(x.expand(shape)), 0, positions);
    }

    static NDArray maskedFill(NDArray x, NDArray mask, double value) {
        String op = "maskedFill";
        checkMask(op, mask);
        Views.checkWritable(op, x);
        Views.checkSameDevice(op, x, mask);
        Views.broadcastTarget(op, mask.shape, x.shape);
        return x.copyFrom(NDArray.where(mask, Elementwise.scalarLike(x, value), x));
    }

    static NDArray nonzero(NDArray x) {
        return x.backend().nonzero(x);
    }
}
