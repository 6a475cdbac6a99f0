package io.ember.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shared part of the optimizers' {@code Options} builders: the option map (the defaults, in the optimizer's
 * order) and the setters every optimizer has. {@code O} is the concrete builder, so that calls chain.
 */
abstract class OptionsBase<O extends OptionsBase<O>> {
    final Map<String, Object> values = new LinkedHashMap<>();

    /** The builder with its defaults given as key, value pairs. */
    OptionsBase(Object... defaults) {
        for (int i = 0; i < defaults.length; i += 2) {
            values.put((String) defaults[i], defaults[i + 1]);
        }
    }

    @SuppressWarnings("unchecked")
    final O put(String key, Object value) {
        values.put(key, value);
        return (O) this;
    }

    /** The learning rate. */
    public O lr(double v) {
        return put("lr", v);
    }

    /** The weight decay. */
    public O weightDecay(double v) {
        return put("weightDecay", v);
    }

    /** Whether to maximize the objective instead of minimizing it. */
    public O maximize(boolean v) {
        return put("maximize", v);
    }
}
