package io.ember.optim;

import io.ember.tensor.NDArray;
import java.util.Map;

/**
 * An optimizer's state dict, split so that model files can store it without Java serialization: {@code meta} holds
 * JSON-able values (numbers, strings, booleans, lists, maps: hyperparameters per group, step counts) and
 * {@code tensors} the per-parameter arrays by key (e.g. {@code "state.3.expAvg"}).
 */
public record OptimizerState(Map<String, Object> meta, Map<String, NDArray> tensors) {
}
