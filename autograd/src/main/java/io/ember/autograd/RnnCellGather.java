package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * Row gather between padded [T, B, *] and packed [N, *] layouts: output row r is input row {@code src[r]}, or the
 * fill value where {@code src[r] < 0}. Each input row feeds at most one output row; backward scatters the rows back.
 */
final class RnnCellGather extends Node {
    private final NDArray index;
    private final int inRows;

    private RnnCellGather(NDArray index, int inRows) {
        this.index = index;
        this.inRows = inRows;
    }

    @Override
    public String name() {
        return "PackBackward";
    }

    /** x's first {@code rowDims} dims are the rows; the output has shape {@code outRowShape + x's other dims}. */
    static Tensor apply(Tensor x, int rowDims, int[] src, int[] outRowShape, double fill) {
        int[] xs = x.sizes();
        int inRows = 1;
        for (int i = 0; i < rowDims; i++) {
            inRows *= xs[i];
        }
        int feat = inRows == 0 ? 0 : x.numel() / inRows;
        long[] idx = new long[src.length];
        boolean anyFill = false;
        for (int r = 0; r < src.length; r++) {
            idx[r] = src[r] < 0 ? inRows : src[r];
            anyFill |= src[r] < 0;
        }
        NDArray x2 = x.data().reshape(inRows, feat);
        if (anyFill) {
            x2 = NDArray.cat(0, x2, NDArray.full(x.dtype(), fill, 1, feat).to(x.device()));
        }
        NDArray index = NDArray.of(idx, idx.length).to(x.device());
        int[] outShape = new int[outRowShape.length + xs.length - rowDims];
        System.arraycopy(outRowShape, 0, outShape, 0, outRowShape.length);
        System.arraycopy(xs, rowDims, outShape, outRowShape.length, xs.length - rowDims);
        NDArray out = x2.indexSelect(0, index).reshape(outShape);
        if (!Graph.needed(x)) {
            return Graph.plain("pack", out);
        }
        return Graph.record(new RnnCellGather(index, inRows), out, x);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        int feat = index.numel() == 0 ? 0 : g[0].numel() / index.numel();
        NDArray gx = NDArray.zeros(g[0].dtype(), inRows + 1, feat).to(g[0].device());
        gx.indexAddInPlace(0, index, g[0].reshape(index.numel(), feat));
        return new NDArray[] {gx.narrow(0, 0, inRows).reshape(inputShapes[0])};
    }
}
