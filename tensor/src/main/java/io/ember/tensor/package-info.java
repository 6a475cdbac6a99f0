/**
 * The raw n-d array layer: {@link io.ember.tensor.NDArray}, dtypes, devices, shapes, creation, views, elementwise ops, reductions, indexing, linear algebra and the kernels nn layers need. No autograd: that is {@code ember-autograd}.
 */
package io.ember.tensor;
