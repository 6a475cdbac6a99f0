/** The functional form of the nn layers and losses like {@code torch.nn.functional}: {@link io.ember.nn.functional.F}. */
package io.ember.nn.functional;
