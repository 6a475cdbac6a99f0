package io.ember.autograd;

import io.ember.tensor.NDArray;

/**
 * Matrix product with PyTorch's rules. Backward works on the 2-D-or-more forms (a 1-D left operand as a row, a
 * 1-D right operand as a column): dA = G B^T, dB = A^T G; broadcast batch dims are summed by the engine.
 */
final class MatMul extends Node {
    private final int[] outShape2;

    private MatMul(int[] outShape2) {
        this.outShape2 = outShape2;
    }

    static Tensor apply(Tensor a, Tensor b) {
        NDArray out = a.data().matmul(b.data());
        if (!Graph.needed(a, b)) {
            return Graph.plain("matmul", out);
        }
        NDArray a2 = a.dim() == 1 ? a.data().unsqueeze(0) : a.data();
        NDArray b2 = b.dim() == 1 ? b.data().unsqueeze(1) : b.data();
        int[] s = out.shape().toArray();
        int[] s2;
        if (a.dim() == 1 && b.dim() == 1) {
            s2 = new int[] {1, 1};
        } else if (a.dim() == 1) {
            s2 = insert(s, s.length - 1, 1);
        } else if (b.dim() == 1) {
            s2 = insert(s, s.length, 1);
        } else {
            s2 = s;
        }
        MatMul n = new MatMul(s2);
        n.save(b.requiresGrad() ? a2 : null, a.requiresGrad() ? b2 : null);
        return Graph.record(n, out, a, b);
    }

    private static int[] insert(int[] s, int at, int v) {
        int[] r = new int[s.length + 1];
        System.arraycopy(s, 0, r, 0, at);
        r[at] = v;
        System.arraycopy(s, at, r, at + 1, s.length - at);
        return r;
    }

    @Override
    NDArray[] backward(NDArray[] grads) {
        NDArray g = grads[0].reshape(outShape2);
        NDArray ga = null;
        NDArray gb = null;
        if (needsGrad(0)) {
            ga = g.matmul(saved(1).transpose(-2, -1));
        }
        if (needsGrad(1)) {
            NDArray a2 = saved(0);
            gb = a2.transpose(-2, -1).matmul(g);
            if (inputShapes[1].length == 1) {
                gb = gb.squeeze(-1);
            }
        }
        return new NDArray[] {ga, gb};
    }
}
