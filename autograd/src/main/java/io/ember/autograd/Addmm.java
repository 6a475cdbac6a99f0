package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * {@code x W^T + b} for x {@code [..., in]}, W {@code [out, in]}, b {@code [out]} or null: one node (PyTorch's
 * {@code AddmmBackward}) whose gradients come out fresh and in each input's own layout: dx = G W, dW = G^T x,
 * db = sum over rows of G.
 */
final class Addmm extends Node {
    static Tensor apply(Tensor x, Tensor w, Tensor b) {
        if (w.dim() != 2 || x.dim() < 1 || x.size(-1) != w.size(1)) {
            throw new IllegalArgumentException("linear: expected input [..., " + (w.dim() == 2 ? w.size(1) : "in")
                    + "] and weight [out, in], got input " + x.shape() + " and weight " + w.shape());
        }
        if (b != null && (b.dim() != 1 || b.size(0) != w.size(0))) {
            throw new IllegalArgumentException("linear: expected bias [" + w.size(0) + "], got " + b.shape());
        }
        int in = w.size(1);
        int[] outShape = x.sizes();
        outShape[outShape.length - 1] = w.size(0);
        NDArray x2 = x.data().reshape(-1, in);
        NDArray out = x2.matmul(w.data().t());
        if (b != null) {
            out.addInPlace(b.data());
        }
        out = out.reshape(outShape);
        if (!Graph.needed(x, w, b)) {
            return Graph.plain("linear", out);
        }
        Addmm n = new Addmm();
        n.save(w.requiresGrad() ? x2 : null, x.requiresGrad() ? w.data() : null);
        return Graph.record(n, out, x, w, b);
    }

    @Override
    NDArray[] backward(NDArray[] grads) {
        int outF = inputShapes[1][0];
        NDArray g = grads[0].reshape(-1, outF);
        NDArray gx = needsGrad(0) ? g.matmul(saved(1)).reshape(inputShapes[0]) : null;
        NDArray gw = needsGrad(1) ? g.t().matmul(saved(0)) : null;
        NDArray gb = needsGrad(2) ? g.sum(new int[] {0}, false) : null;
        return new NDArray[] {gx, gw, gb};
    }
}
