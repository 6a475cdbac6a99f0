package io.ember.spark.train;

import io.ember.io.Json;
import io.ember.optim.OptimizerState;
import java.io.Serial;
import java.io.Serializable;
import java.util.Map;

/** An optimizer's state dict in a form that travels: its JSON meta and its arrays (optionally weighted). */
final class OptState implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    final String metaJson;
    final ArrayMap tensors;

    OptState(String metaJson, ArrayMap tensors) {
        this.metaJson = metaJson;
        this.tensors = tensors;
    }

    static OptState of(OptimizerState s, double weight) {
        return new OptState(Json.write(s.meta()), ArrayMap.weighted(s.tensors(), weight));
    }

    /** The state, with the arrays divided by {@code divisor}. */
    OptimizerState toState(double divisor) {
        Map<String, Object> meta = Json.parseObject(metaJson);
        return new OptimizerState(meta, tensors.toArrays(divisor));
    }
}
