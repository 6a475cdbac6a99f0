package io.ember.tensor;

/** Raw kernels the nn layers need: convolution, pooling, embedding, forward and backward. (STUB.) */
public final class NNOps {
    private NNOps() {
    }
}
