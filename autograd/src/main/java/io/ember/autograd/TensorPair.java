package io.ember.autograd;

/** Two results of one op, such as the values and indices of {@code max(dim)}. */
public record TensorPair(Tensor values, Tensor indices) {
}
