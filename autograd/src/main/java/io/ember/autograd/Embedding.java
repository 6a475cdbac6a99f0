package io.ember.autograd;

import io.ember.tensor.NDArray;
import io.ember.tensor.NNOps;

/** Rows of a weight matrix at INT64 indices; backward adds the rows' gradients, skipping paddingIdx. */
final class Embedding extends Node {
    private final int paddingIdx;

    private Embedding(int paddingIdx) {
        this.paddingIdx = paddingIdx;
    }

    static Tensor apply(Tensor weight, Tensor indices, int paddingIdx) {
        NDArray out = NNOps.embedding(weight.data(), indices.data());
        if (paddingIdx < -1 || paddingIdx >= weight.size(0)) {
            throw new IllegalArgumentException("embedding: paddingIdx " + paddingIdx + " is out of range for "
                    + weight.size(0) + " embeddings (-1 for none)");
        }
        if (!Graph.needed(weight)) {
            return Graph.plain("embedding", out);
        }
        Embedding n = new Embedding(paddingIdx);
        n.save(indices.data());
        return Graph.record(n, out, weight);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {NNOps.embeddingBackward(g[0], saved(0), inputShapes[0][0], paddingIdx)};
    }
}
