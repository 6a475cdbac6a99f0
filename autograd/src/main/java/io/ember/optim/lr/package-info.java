/**
 * Learning-rate schedulers like {@code torch.optim.lr_scheduler}: epoch-based ones extend
 * {@link io.ember.optim.lr.LRScheduler} ({@link io.ember.optim.lr.StepLR}, {@link io.ember.optim.lr.MultiStepLR},
 * {@link io.ember.optim.lr.ExponentialLR}, {@link io.ember.optim.lr.CosineAnnealingLR},
 * {@link io.ember.optim.lr.LinearLR}, {@link io.ember.optim.lr.LambdaLR}, {@link io.ember.optim.lr.OneCycleLR},
 * {@link io.ember.optim.lr.SequentialLR}); {@link io.ember.optim.lr.ReduceLROnPlateau} follows a metric. State dicts
 * are JSON-able maps.
 */
package io.ember.optim.lr;
