/** Parameter initialisation like {@code torch.nn.init}: {@link io.ember.nn.init.Init}. */
package io.ember.nn.init;
