package io.ember.optim;

import io.ember.autograd.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A list of parameters with its own hyperparameters, like one entry of PyTorch's {@code param_groups}. Options set
 * before the group is handed to an optimizer override that optimizer's defaults; once attached, {@link #set} and
 * {@link #setLr} change the live value (validated by the optimizer), which is how LR schedulers work.
 *
 * <pre>{@code
 * var opt = new SGD(new SGD.Options().lr(0.1).momentum(0.9),
 *         new ParamGroup(backbone.parameters()).set("lr", 0.01),
 *         new ParamGroup(head.parameters()));
 * }</pre>
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();
    private Optimizer owner;

    /** A group of parameters (non-empty, no nulls). */
    public ParamGroup(List<Tensor> params) {
        Objects.requireNonNull(params, "ParamGroup: params is null");
        List<Tensor> copy = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            if (params.get(i) == null) {
                throw new IllegalArgumentException("ParamGroup: parameter " + i + " is null");
            }
            copy.add(params.get(i));
        }
        this.params = Collections.unmodifiableList(copy);
    }

    /** Sets a numeric option (e.g. {@code "lr"}, {@code "momentum"}, {@code "beta1"}); returns this. */
    public ParamGroup set(String key, double value) {
        return put(key, value);
    }

    /** Sets a boolean option (e.g. {@code "nesterov"}, {@code "amsgrad"}); returns this. */
    public ParamGroup set(String key, boolean value) {
        return put(key, value);
    }

    private ParamGroup put(String key, Object value) {
        Objects.requireNonNull(key, "ParamGroup: key is null");
        if (owner != null) {
            owner.updateOption(this, key, value);
        } else {
            options.put(key, value);
        }
        return this;
    }

    /** The parameters (unmodifiable). */
    public List<Tensor> params() {
        return params;
    }

    /** The learning rate. */
    public double lr() {
        return getDouble("lr");
    }

    /** Sets the learning rate (must be >= 0); returns this. */
    public ParamGroup setLr(double lr) {
        return set("lr", lr);
    }

    /** Whether the group has an option (after attaching: every option of its optimizer). */
    public boolean has(String key) {
        return options.containsKey(key);
    }

    /** A numeric option. */
    public double getDouble(String key) {
        Object v = options.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException("ParamGroup: no numeric option '" + key + "'"
                + (v == null ? "" : " (it is " + v + ")") + "; options: " + options.keySet());
    }

    /** A boolean option. */
    public boolean getBoolean(String key) {
        Object v = options.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        throw new IllegalArgumentException("ParamGroup: no boolean option '" + key + "'"
                + (v == null ? "" : " (it is " + v + ")") + "; options: " + options.keySet());
    }

    /** All options (unmodifiable view). */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    Map<String, Object> rawOptions() {
        return options;
    }

    Optimizer owner() {
        return owner;
    }

    void attach(Optimizer optimizer, Map<String, Object> merged) {
        owner = optimizer;
        options.clear();
        options.putAll(merged);
    }

    void replaceOptions(Map<String, Object> merged) {
        options.clear();
        options.putAll(merged);
    }

    @Override
    public String toString() {
        return "ParamGroup(" + params.size() + " params, " + options + ")";
    }
}
