package io.ember.nn.functional;

import io.ember.autograd.Function;
import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;

/** Unreduced pointwise losses with their own backward (exact at the kinks and clamps, like PyTorch's kernels). */
final class PointwiseLosses {
    private PointwiseLosses() {
    }

    /** -w (y max(log x, -100) + (1 - y) max(log(1 - x), -100)); d/dx = w (x - y) / max(x (1 - x), 1e-12). */
    static final class BinaryCrossEntropy extends Function {
        private final NDArray weight;

        BinaryCrossEntropy(NDArray weight) {
            this.weight = weight;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            NDArray x = in[0].data();
            NDArray y = in[1].data();
            NDArray logX = x.log().clampMin(-100);
            NDArray log1mX = x.rsub(1).log().clampMin(-100);
            NDArray loss = y.mul(logX).add(y.rsub(1).mul(log1mX)).neg();
            return Tensor.of(weight == null ? loss : loss.mul(weight));
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            NDArray x = ctx.saved(0).data();
            NDArray y = ctx.saved(1).data();
            NDArray g = weight == null ? grad.data() : grad.data().mul(weight);
            NDArray gx = null;
            NDArray gy = null;
            if (ctx.needsInputGrad(0)) {
                gx = g.mul(x.sub(y)).div(x.mul(x.rsub(1)).clampMin(1e-12));
            }
            if (ctx.needsInputGrad(1)) {
                gy = g.mul(x.rsub(1).log().clampMin(-100).sub(x.log().clampMin(-100)));
            }
            return new Tensor[] {gx == null ? null : Tensor.of(gx), gy == null ? null : Tensor.of(gy)};
        }
    }

    /**
     * w ((1 - y) x + (1 + (p - 1) y) softplus(-x)) with softplus(-x) = max(-x, 0) + log1p(exp(-|x|)) (no overflow);
     * d/dx = w ((1 - y) - (1 + (p - 1) y) sigmoid(-x)).
     */
    static final class BinaryCrossEntropyWithLogits extends Function {
        private final NDArray weight;
        private final NDArray posWeight;

        BinaryCrossEntropyWithLogits(NDArray weight, NDArray posWeight) {
            this.weight = weight;
            this.posWeight = posWeight;
        }

        private NDArray logWeight(NDArray y) {
            return posWeight == null ? null : posWeight.sub(1).mul(y).add(1);
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            NDArray x = in[0].data();
            NDArray y = in[1].data();
            NDArray softplusNeg = x.neg().relu().add(x.abs().neg().exp().log1p());
            NDArray lw = logWeight(y);
            NDArray loss = y.rsub(1).mul(x).add(lw == null ? softplusNeg : lw.mul(softplusNeg));
            return Tensor.of(weight == null ? loss : loss.mul(weight));
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            NDArray x = ctx.saved(0).data();
            NDArray y = ctx.saved(1).data();
            NDArray g = weight == null ? grad.data() : grad.data().mul(weight);
            NDArray lw = logWeight(y);
            NDArray gx = null;
            NDArray gy = null;
            if (ctx.needsInputGrad(0)) {
                NDArray sigNeg = x.neg().sigmoid();
                gx = g.mul(y.rsub(1).sub(lw == null ? sigNeg : lw.mul(sigNeg)));
            }
            if (ctx.needsInputGrad(1)) {
                NDArray d = x.neg();
                if (posWeight != null) {
                    NDArray softplusNeg = x.neg().relu().add(x.abs().neg().exp().log1p());
                    d = d.add(posWeight.sub(1).mul(softplusNeg));
                }
                gy = g.mul(d);
            }
            return new Tensor[] {gx == null ? null : Tensor.of(gx), gy == null ? null : Tensor.of(gy)};
        }
    }

    /** |d| < beta ? 0.5 d^2 / beta : |d| - 0.5 beta with d = x - y (beta = 0: |d|). */
    static final class SmoothL1 extends Function {
        private final double beta;

        SmoothL1(double beta) {
            this.beta = beta;
        }

        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            NDArray d = in[0].data().sub(in[1].data());
            ctx.saveForBackward(Tensor.of(d));
            NDArray ad = d.abs();
            if (beta == 0) {
                return Tensor.of(ad);
            }
            return Tensor.of(NDArray.where(ad.lt(beta), d.square().mul(0.5 / beta), ad.sub(0.5 * beta)));
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            NDArray d = ctx.saved(0).data();
            NDArray slope = beta == 0 ? d.sign() : NDArray.where(d.abs().lt(beta), d.div(beta), d.sign());
            NDArray gx = grad.data().mul(slope);
            return new Tensor[] {ctx.needsInputGrad(0) ? Tensor.of(gx) : null,
                ctx.needsInputGrad(1) ? Tensor.of(gx.neg()) : null};
        }
    }
}
