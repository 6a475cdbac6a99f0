/** Helpers for training like {@code torch.nn.utils}: gradient clipping ({@link io.ember.nn.utils.ClipGrad}). */
package io.ember.nn.utils;
