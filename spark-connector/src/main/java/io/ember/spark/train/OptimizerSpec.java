package io.ember.spark.train;

import io.ember.autograd.Tensor;
import io.ember.optim.Adagrad;
import io.ember.optim.Adam;
import io.ember.optim.AdamW;
import io.ember.optim.Optimizer;
import io.ember.optim.RMSprop;
import io.ember.optim.SGD;
import java.io.Serial;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which optimizer every worker builds over its copy of the model, and with what settings: a name and options,
 * so that it can travel to the executors as data. {@code OptimizerSpec.adam(1e-3)},
 * {@code OptimizerSpec.sgd(0.1).with("momentum", 0.9)}, {@code OptimizerSpec.of("adamw", 1e-3)}.
 *
 * <p>Options are those of the optimizer's {@code Options} class: {@code weightDecay} for all; {@code beta1},
 * {@code beta2}, {@code eps}, {@code amsgrad} for adam and adamw; {@code momentum}, {@code dampening},
 * {@code nesterov} for sgd; {@code alpha}, {@code eps}, {@code momentum}, {@code centered} for rmsprop;
 * {@code lrDecay}, {@code initialAccumulatorValue}, {@code eps} for adagrad.
 */
public final class OptimizerSpec implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "adam", Set.of("weightDecay", "beta1", "beta2", "eps", "amsgrad"),
            "adamw", Set.of("weightDecay", "beta1", "beta2", "eps", "amsgrad"),
            "sgd", Set.of("weightDecay", "momentum", "dampening", "nesterov"),
            "rmsprop", Set.of("weightDecay", "alpha", "eps", "momentum", "centered"),
            "adagrad", Set.of("weightDecay", "lrDecay", "initialAccumulatorValue", "eps"));

    private final String name;
    private final double lr;
    private final LinkedHashMap<String, Object> options;

    private OptimizerSpec(String name, double lr, LinkedHashMap<String, Object> options) {
        this.name = name;
        this.lr = lr;
        this.options = options;
    }

    /** An optimizer by name: adam, adamw, sgd, rmsprop or adagrad (any case). */
    public static OptimizerSpec of(String name, double lr) {
        String n = name == null ? null : name.toLowerCase(Locale.ROOT);
        if (n == null || !OPTIONS.containsKey(n)) {
            throw new IllegalArgumentException("OptimizerSpec: unknown optimizer '" + name + "'; known: "
                    + OPTIONS.keySet().stream().sorted().toList());
        }
        if (!(lr > 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("OptimizerSpec: learning rate must be > 0 and finite, got " + lr);
        }
        return new OptimizerSpec(n, lr, new LinkedHashMap<>());
    }

    public static OptimizerSpec adam(double lr) {
        return of("adam", lr);
    }

    public static OptimizerSpec adamw(double lr) {
        return of("adamw", lr);
    }

    public static OptimizerSpec sgd(double lr) {
        return of("sgd", lr);
    }

    public static OptimizerSpec rmsprop(double lr) {
        return of("rmsprop", lr);
    }

    public static OptimizerSpec adagrad(double lr) {
        return of("adagrad", lr);
    }

    /** A copy with one more option (a Number or a Boolean); checked against the optimizer's options. */
    public OptimizerSpec with(String option, Object value) {
        if (!OPTIONS.get(name).contains(option)) {
            throw new IllegalArgumentException("OptimizerSpec: " + name + " has no option '" + option + "'; it has "
                    + OPTIONS.get(name).stream().sorted().toList());
        }
        if (!(value instanceof Number) && !(value instanceof Boolean)) {
            throw new IllegalArgumentException("OptimizerSpec: option '" + option
                    + "' must be a number or a boolean, got " + value);
        }
        LinkedHashMap<String, Object> o = new LinkedHashMap<>(options);
        o.put(option, value);
        OptimizerSpec spec = new OptimizerSpec(name, lr, o);
        spec.create(List.of()); // validates the values now, on the driver
        return spec;
    }

    public String name() {
        return name;
    }

    public double lr() {
        return lr;
    }

    /** The options set with {@link #with} (a copy). */
    public Map<String, Object> options() {
        return new LinkedHashMap<>(options);
    }

    /** Builds the optimizer over {@code params}. */
    public Optimizer create(List<Tensor> params) {
        return switch (name) {
            case "adam" -> {
                Adam.Options o = new Adam.Options().lr(lr).betas(num("beta1", 0.9), num("beta2", 0.999))
                        .amsgrad(bool("amsgrad"));
                if (options.containsKey("weightDecay")) {
                    o = o.weightDecay(num("weightDecay", 0));
                }
                yield new Adam(params, options.containsKey("eps") ? o.eps(num("eps", 0)) : o);
            }
            case "adamw" -> {
                AdamW.Options o = new AdamW.Options().lr(lr).betas(num("beta1", 0.9), num("beta2", 0.999))
                        .amsgrad(bool("amsgrad"));
                if (options.containsKey("weightDecay")) {
                    o = o.weightDecay(num("weightDecay", 0));
                }
                yield new AdamW(params, options.containsKey("eps") ? o.eps(num("eps", 0)) : o);
            }
            case "sgd" -> {
                SGD.Options o = new SGD.Options().lr(lr);
                o = o.weightDecay(num("weightDecay", 0)).momentum(num("momentum", 0)).dampening(num("dampening", 0))
                        .nesterov(bool("nesterov"));
                yield new SGD(params, o);
            }
            case "rmsprop" -> {
                RMSprop.Options o = new RMSprop.Options().lr(lr).weightDecay(num("weightDecay", 0));
                if (options.containsKey("alpha")) {
                    o = o.alpha(num("alpha", 0));
                }
                if (options.containsKey("eps")) {
                    o = o.eps(num("eps", 0));
                }
                yield new RMSprop(params, o.momentum(num("momentum", 0)).centered(bool("centered")));
            }
            case "adagrad" -> {
                Adagrad.Options o = new Adagrad.Options().lr(lr).weightDecay(num("weightDecay", 0))
                        .lrDecay(num("lrDecay", 0)).initialAccumulatorValue(num("initialAccumulatorValue", 0));
                if (options.containsKey("eps")) {
                    o = o.eps(num("eps", 0));
                }
                yield new Adagrad(params, o);
            }
            default -> throw new IllegalStateException("OptimizerSpec: unknown optimizer " + name);
        };
    }

    private double num(String k, double def) {
        Object v = options.get(k);
        if (v == null) {
            return def;
        }
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("OptimizerSpec: option '" + k + "' must be a number, got " + v);
        }
        return n.doubleValue();
    }

    private boolean bool(String k) {
        Object v = options.get(k);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("OptimizerSpec: option '" + k + "' must be a boolean, got " + v);
        }
        return b;
    }

    @Override
    public String toString() {
        return name + "(lr=" + lr + (options.isEmpty() ? "" : ", " + options.toString().replaceAll("[{}]", ""))
                + ")";
    }
}
