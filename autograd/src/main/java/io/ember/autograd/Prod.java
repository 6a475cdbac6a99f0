package io.ember.autograd;

import io.ember.tensor.NDArray;
import io.ember.tensor.Shape;

/**
 * Product over all elements or along one dim. The gradient of each element is the product of the others:
 * {@code out / x} when the input has no zeros, else computed by leaving each element out in turn (exact with
 * zeros, like PyTorch).
 */
final class Prod extends Node {
    /** The reduced dim, or -1 for all elements. */
    private final int dim;

    private Prod(int dim) {
        this.dim = dim;
    }

    static Tensor apply(Tensor a, Integer dim, boolean keepdim) {
        NDArray x = a.data();
        int d = dim == null ? -1 : Shape.normalizeDim("prod", dim, Math.max(1, x.dim()));
        NDArray out = dim == null ? x.prod() : x.prod(dim, keepdim);
        if (!Graph.needed(a)) {
            return Graph.plain("prod", out);
        }
        if (x.dim() == 0) {
            d = -1;
        }
        Prod n = new Prod(d);
        n.save(x, dim == null || keepdim || x.dim() == 0 ? out : out.unsqueeze(d));
        return Graph.record(n, out, a);
    }

    @Override
    NDArray[] backward(NDArray[] grads) {
        NDArray x = saved(0);
        NDArray out = saved(1);
        int[] kept = out.shape().toArray();
        if (dim < 0) {
            kept = new int[x.dim()];
            java.util.Arrays.fill(kept, 1);
        }
        NDArray g = grads[0].reshape(kept);
        NDArray others;
        if (!x.eq(0.0).any().getBoolean()) {
            others = out.reshape(kept).div(x);
        } else {
            others = exclusiveProducts(x);
        }
        return new NDArray[] {others.mul(g)};
    }

    /** For each element, the product of the other elements of its reduction group. */
    private NDArray exclusiveProducts(NDArray x) {
        if (!x.device().isCpu()) { // the rare case with zeros: element loops, done on the host
            return exclusiveProducts(x.to(io.ember.tensor.Device.CPU)).to(x.device());
        }
        if (dim < 0) {
            NDArray flat = x.reshape(-1);
            int n = flat.numel();
            NDArray r = NDArray.empty(x.dtype(), n);
            for (int i = 0; i < n; i++) {
                NDArray c = flat.clone();
                c.set(1.0, i);
                r.set(c.prod().item(), i);
            }
            return r.reshape(x.shape().toArray());
        }
        NDArray r = NDArray.empty(x.dtype(), x.shape().toArray());
        for (int i = 0; i < x.size(dim); i++) {
            NDArray c = x.clone();
            c.select(dim, i).fillInPlace(1.0);
            r.select(dim, i).copyFrom(c.prod(dim, false));
        }
        return r;
    }
}
