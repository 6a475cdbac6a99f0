/**
 * Neural-network building blocks like {@code torch.nn}: {@link io.ember.nn.Module}, containers, layers, losses and
 * the {@link io.ember.nn.ModuleRegistry} that model files use to rebuild architectures.
 */
package io.ember.nn;
