/**
 * The differentiable layer: {@link io.ember.autograd.Tensor}, the recorded graph ({@link io.ember.autograd.Node}),
 * the backward engine, grad modes ({@link io.ember.autograd.Autograd}), custom functions
 * ({@link io.ember.autograd.Function}) and {@link io.ember.autograd.GradCheck}. Each primitive op is one small
 * package-private class with its forward and backward side by side.
 */
package io.ember.autograd;
