package io.ember.tensor;

import java.util.Arrays;

/**
 * {@code equals} ({@code torch.equal}) and {@code allClose} ({@code torch.allclose}), composed from
 * the elementwise kernels: any layouts; arrays on different devices are compared on the host.
 */
final class Compare {
    private Compare() {
    }

    /** Same shape, same dtype and equal elements (NaN != NaN, int64 compared exactly). */
    static boolean equal(NDArray a, NDArray b) {
        if (a.dtype != b.dtype || !Arrays.equals(a.shape, b.shape)) {
            return false;
        }
        NDArray x = host(a, b);
        NDArray y = host(b, a);
        return x.eq(y).all().item() != 0;
    }

    /**
     * {@code |a - b| <= atol + rtol * |b|} for every element after broadcasting a and b, compared in
     * float64; infinities are close only when equal; NaNs are close to each other only when
     * {@code equalNan}.
     */
    static boolean allClose(NDArray a, NDArray b, double rtol, double atol, boolean equalNan) {
        Views.broadcast("allClose", a.shape, b.shape);
        NDArray x = host(a, b).to(DType.FLOAT64);
        NDArray y = host(b, a).to(DType.FLOAT64);
        NDArray withinTolerance = x.sub(y).abs().le(y.abs().mul(rtol).add(atol))
                .logicalAnd(x.isFinite()).logicalAnd(y.isFinite());
        NDArray close = x.eq(y).logicalOr(withinTolerance);
        if (equalNan) {
            close = close.logicalOr(x.isNan().logicalAnd(y.isNan()));
        }
        return close.all().item() != 0;
    }

    /** {@code a}, moved to the host when {@code other} is on another device. */
    private static NDArray host(NDArray a, NDArray other) {
        return a.device().equals(other.device()) ? a : a.to(Device.CPU);
    }
}
