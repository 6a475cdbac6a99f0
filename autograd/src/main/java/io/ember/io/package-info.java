/**
 * Model files that never execute code on load: {@link io.ember.io.SafeTensors} (weights in the safetensors layout,
 * readable from Python), {@link io.ember.io.ModelIO} (architecture JSON rebuilt through
 * {@link io.ember.nn.ModuleRegistry} plus weights), {@link io.ember.io.Checkpoint} (everything a training run needs to
 * resume exactly) and the strict {@link io.ember.io.Json} reader and writer they use. No Java serialization anywhere.
 */
package io.ember.io;
