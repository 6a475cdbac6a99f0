/**
 * Optimizers like {@code torch.optim}, with PyTorch's update formulas: {@link io.ember.optim.SGD},
 * {@link io.ember.optim.Adam}, {@link io.ember.optim.AdamW}, {@link io.ember.optim.RMSprop},
 * {@link io.ember.optim.Adagrad} over {@link io.ember.optim.ParamGroup}s, with state dicts
 * ({@link io.ember.optim.OptimizerState}) for model files. Learning-rate schedulers are in {@code io.ember.optim.lr}.
 *
 * <pre>{@code
 * Adam opt = new Adam(model.parameters(), 1e-3);
 * for (...) {
 *     opt.zeroGrad();
 *     loss(model.forward(x), y).backward();
 *     opt.step();
 * }
 * }</pre>
 */
package io.ember.optim;
