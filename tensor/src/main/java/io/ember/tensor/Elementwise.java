package io.ember.tensor;

import io.ember.tensor.spi.BinaryOp;
import io.ember.tensor.spi.UnaryOp;

/** Dtype rules, broadcasting and output allocation for elementwise ops; kernels are the backend's. */
final class Elementwise {
    private Elementwise() {
    }

    /** The dtype an op computes in, given promoted input dtype. */
    private static DType computeType(BinaryOp op, DType promoted) {
        if (op.isLogical()) {
            return DType.BOOL;
        }
        if (op == BinaryOp.DIV || op == BinaryOp.ATAN2) {
            return promoted.toFloating();
        }
        if (promoted == DType.BOOL && !op.producesBool()) {
            return DType.INT64;
        }
        return promoted;
    }

    static NDArray binary(BinaryOp op, NDArray x, NDArray y) {
        Views.checkSameDevice(op.opName(), x, y);
        int[] shape = Views.broadcast(op.opName(), x.shape, y.shape);
        DType ct = computeType(op, DType.promote(x.dtype, y.dtype));
        NDArray out = NDArray.allocate(op.producesBool() ? DType.BOOL : ct, x.device(), shape);
        x.backend().binary(op, x.to(ct).expand(shape), y.to(ct).expand(shape), out);
        return out;
    }

    /** The dtype a Java scalar takes next to an array (PyTorch's rule for Python scalars). */
    private static DType scalarType(DType arrayType, double value) {
        if (arrayType.isFloating()) {
            return arrayType;
        }
        boolean integral = value == Math.rint(value) && !Double.isInfinite(value);
        return integral ? (arrayType == DType.BOOL ? DType.INT64 : arrayType) : DType.FLOAT32;
    }

    static NDArray scalarLike(NDArray x, double value) {
        return scalarOn(x.dtype, value, x.device());
    }

    private static NDArray scalarOn(DType dtype, double value, Device device) {
        return device.isCpu() ? NDArray.scalar(dtype, value) : DeviceConstants.scalar(dtype, value, device);
    }

    static NDArray binaryScalar(BinaryOp op, NDArray x, double value, boolean reversed) {
        NDArray s = scalarOn(scalarType(x.dtype, value), value, x.device());
        return reversed ? binary(op, s, x) : binary(op, x, s);
    }

    static NDArray binaryInPlace(BinaryOp op, NDArray x, NDArray y) {
        String name = op.opName() + "InPlace";
        Views.checkSameDevice(name, x, y);
        Views.checkWritable(name, x);
        Views.broadcastTarget(name, y.shape, x.shape);
        DType ct = computeType(op, DType.promote(x.dtype, y.dtype));
        if (ct != x.dtype || op.producesBool()) {
            throw new IllegalArgumentException(name + ": result type " + (op.producesBool() ? DType.BOOL : ct)
                    + " can't be cast to the destination dtype " + x.dtype);
        }
        x.backend().binary(op, x, y.to(ct).expand(x.shape), x);
        return x;
    }

    private static DType unaryType(UnaryOp op, DType in) {
        if (op == UnaryOp.LOGICAL_NOT) {
            return DType.BOOL;
        }
        if (op.isFloatingOnly()) {
            return in.toFloating();
        }
        return in == DType.BOOL ? DType.INT64 : in;
    }

    static NDArray unary(UnaryOp op, NDArray x, double a, double b) {
        if ((op == UnaryOp.ISNAN || op == UnaryOp.ISFINITE) && !x.dtype.isFloating()) {
            return Creation.full(DType.BOOL, op == UnaryOp.ISFINITE ? 1 : 0, x.shape, x.device());
        }
        if ((op == UnaryOp.FLOOR || op == UnaryOp.CEIL || op == UnaryOp.ROUND) && !x.dtype.isFloating()) {
            return x.to(x.dtype == DType.BOOL ? DType.INT64 : x.dtype).clone();
        }
        DType ct = unaryType(op, x.dtype);
        NDArray out = NDArray.allocate(op.producesBool() ? DType.BOOL : ct, x.device(), x.shape.clone());
        x.backend().unary(op, x.to(ct), out, a, b);
        return out;
    }

    static NDArray unaryInPlace(UnaryOp op, NDArray x, double a, double b) {
        String name = op.opName() + "InPlace";
        Views.checkWritable(name, x);
        if (unaryType(op, x.dtype) != x.dtype || op.producesBool()) {
            throw new IllegalArgumentException(name + ": result type " + unaryType(op, x.dtype)
                    + " can't be cast to the destination dtype " + x.dtype);
        }
        x.backend().unary(op, x, x, a, b);
        return x;
    }

    static NDArray clamp(NDArray x, double min, double max) {
        if (!Double.isNaN(min) && !Double.isNaN(max) && min > max) {
            throw new IllegalArgumentException("clamp: min " + min + " is greater than max " + max);
        }
        if (!x.dtype.isFloating() && ((!Double.isNaN(min) && min != Math.rint(min))
                || (!Double.isNaN(max) && max != Math.rint(max)))) {
            return unary(UnaryOp.CLAMP, x.to(DType.FLOAT32), min, max);
        }
        return unary(UnaryOp.CLAMP, x, min, max);
    }

    static NDArray where(NDArray cond, NDArray x, NDArray y) {
        Views.checkSameDevice("where", cond, x);
        Views.checkSameDevice("where", x, y);
        int[] shape = Views.broadcast("where", Views.broadcast("where", cond.shape, x.shape), y.shape);
        DType ct = DType.promote(x.dtype, y.dtype);
        NDArray out = NDArray.allocate(ct, x.device(), shape);
        x.backend().where(cond.to(DType.BOOL).expand(shape), x.to(ct).expand(shape), y.to(ct).expand(shape), out);
        return out;
    }
}
