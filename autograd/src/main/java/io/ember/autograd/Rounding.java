package io.ember.autograd;

import io.ember.tensor.NDArray;

/** sign, floor, ceil and round: piecewise constant, so the gradient is zero (as in PyTorch). */
final class Rounding extends Node {
    private final String op;

    private Rounding(String op) {
        this.op = op;
    }

    static Tensor apply(Tensor a, String op) {
        NDArray x = a.data();
        NDArray out = switch (op) {
            case "sign" -> x.sign();
            case "floor" -> x.floor();
            case "ceil" -> x.ceil();
            case "round" -> x.round();
            default -> throw new IllegalStateException(op);
        };
        return Graph.needed(a) ? Graph.record(new Rounding(op), out, a) : Graph.plain(op, out);
    }

    @Override
    public String name() {
        return Character.toUpperCase(op.charAt(0)) + op.substring(1) + "Backward";
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {NDArray.zeros(g[0].dtype(), g[0].device(), inputShapes[0])};
    }
}
