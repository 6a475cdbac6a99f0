package io.ember.nn;

import io.ember.autograd.Function;
import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;

/** A differentiable narrow view (used to split packed projection weights); backward pads the gradient with zeros. */
final class RnnNarrow extends Function {
    private final int dim;
    private final int start;
    private final int length;

    private RnnNarrow(int dim, int start, int length) {
        this.dim = dim;
        this.start = start;
        this.length = length;
    }

    static Tensor apply(Tensor x, int dim, int start, int length) {
        return new RnnNarrow(dim, start, length).apply(x);
    }

    @Override
    protected Tensor forward(Context ctx, Tensor... in) {
        ctx.put("shape", in[0].sizes());
        return Tensor.of(in[0].data().narrow(dim, start, length));
    }

    @Override
    protected Tensor[] backward(Context ctx, Tensor grad) {
        int[] shape = ctx.get("shape");
        NDArray g = NDArray.zeros(grad.dtype(), shape).to(grad.device());
        g.narrow(dim, start, length).copyFrom(grad.data());
        return new Tensor[] {Tensor.of(g)};
    }
}
