package io.ember.optim;

import io.ember.tensor.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/** The per-parameter state of an optimizer: its step count and named arrays (same shape as the parameter). */
final class ParamState {
    long step;
    final Map<String, NDArray> buffers = new LinkedHashMap<>();

    /** The named buffer, created filled with {@code init} (like the parameter) when absent. */
    NDArray buffer(String name, NDArray param, double init) {
        NDArray b = buffers.get(name);
        if (b == null) {
            b = io.ember.tensor.MemoryScope.keep(NDArray.fullLike(param, init));
            buffers.put(name, b);
        }
        return b;
    }
}
