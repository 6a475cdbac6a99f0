package io.ember.examples;

import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;

/**
 * The PROTOCOL MLP (784 -> 256 ReLU -> 128 ReLU -> 10) written on the raw array layer, with its
 * backward pass by hand and Adam. It is the CPU training demo until autograd lands; it also shows
 * that the raw layer is usable on its own, like NumPy.
 */
public final class RawMlp {
    private final NDArray[] params;
    private final NDArray[] m;
    private final NDArray[] v;
    private final double lr;
    private int step;

    public RawMlp(int[] sizes, double lr, Generator g) {
        int layers = sizes.length - 1;
        params = new NDArray[2 * layers];
        m = new NDArray[params.length];
        v = new NDArray[params.length];
        for (int i = 0; i < layers; i++) {
            // PyTorch's default Linear init: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weight and bias.
            double bound = 1 / Math.sqrt(sizes[i]);
            params[2 * i] = NDArray.uniform(g, -bound, bound, sizes[i], sizes[i + 1]);
            params[2 * i + 1] = NDArray.uniform(g, -bound, bound, sizes[i + 1]);
        }
        for (int i = 0; i < params.length; i++) {
            m[i] = NDArray.zerosLike(params[i]);
            v[i] = NDArray.zerosLike(params[i]);
        }
        this.lr = lr;
    }

    /** Logits for a batch {@code [B, 784]}. */
    public NDArray forward(NDArray x) {
        NDArray h = x;
        int layers = params.length / 2;
        for (int i = 0; i < layers; i++) {
            h = h.matmul(params[2 * i]).add(params[2 * i + 1]);
            if (i < layers - 1) {
                h = h.relu();
            }
        }
        return h;
    }

    /** One Adam step on cross-entropy; returns the mean loss. */
    public double trainStep(NDArray x, NDArray y) {
        int layers = params.length / 2;
        NDArray[] acts = new NDArray[layers];
        NDArray h = x;
        for (int i = 0; i < layers; i++) {
            acts[i] = h;
            h = h.matmul(params[2 * i]).add(params[2 * i + 1]);
            if (i < layers - 1) {
                h = h.relu();
            }
        }
        int batch = x.size(0);
        NDArray logp = h.logSoftmax(1);
        NDArray onehot = NDArray.arange(h.size(1)).eq(y.unsqueeze(1)).to(logp.dtype());
        double loss = -logp.mul(onehot).sum().item() / batch;
        // d loss / d logits = (softmax - onehot) / B
        NDArray g = logp.exp().sub(onehot).div(batch);
        NDArray[] grads = new NDArray[params.length];
        for (int i = layers - 1; i >= 0; i--) {
            grads[2 * i] = acts[i].t().matmul(g);
            grads[2 * i + 1] = g.sum(0);
            if (i > 0) {
                g = g.matmul(params[2 * i].t()).mul(acts[i].gt(0));
            }
        }
        adam(grads);
        return loss;
    }

    private void adam(NDArray[] grads) {
        step++;
        double b1 = 0.9;
        double b2 = 0.999;
        double eps = 1e-8;
        double c1 = 1 - Math.pow(b1, step);
        double c2 = 1 - Math.pow(b2, step);
        for (int i = 0; i < params.length; i++) {
            m[i].mulInPlace(b1).addInPlace(grads[i], 1 - b1);
            v[i].mulInPlace(b2).addcmulInPlace(grads[i], grads[i], 1 - b2);
            NDArray denom = v[i].div(c2).sqrt().add(eps);
            params[i].addcdivInPlace(m[i], denom, -lr / c1);
        }
    }

    /** Fraction of correct predictions, batched. */
    public double accuracy(NDArray images, NDArray labels, int batch) {
        long correct = 0;
        int n = images.size(0);
        for (int s = 0; s < n; s += batch) {
            int len = Math.min(batch, n - s);
            NDArray pred = forward(images.narrow(0, s, len)).argmax(1, false);
            correct += pred.eq(labels.narrow(0, s, len)).sum().getLong();
        }
        return (double) correct / n;
    }
}
