package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import io.ember.optim.ParamGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Base of the epoch-based learning-rate schedulers, like {@code torch.optim.lr_scheduler.LRScheduler}. Construction
 * records each group's base learning rate (option {@code initialLr}, set from its {@code lr} by the first scheduler
 * attached to the optimizer) and applies epoch 0; each {@link #step()} advances one epoch and writes the new rates
 * into the optimizer's groups. Rates come from each scheduler's closed form in the base rate and the epoch.
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(...);          // opt.step() per batch
 *     sched.step();
 * }
 * }</pre>
 */
public abstract class LRScheduler {
    static final String INITIAL_LR = "initialLr";

    final String name;
    final Optimizer optimizer;
    final double[] baseLrs;
    final double[] lastLr;
    int lastEpoch = -1;

    LRScheduler(String name, Optimizer optimizer) {
        this.name = name;
        this.optimizer = Objects.requireNonNull(optimizer, name + ": optimizer is null");
        List<ParamGroup> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        lastLr = new double[groups.size()];
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            if (!g.has(INITIAL_LR)) {
                g.set(INITIAL_LR, g.lr());
            }
            baseLrs[i] = g.getDouble(INITIAL_LR);
        }
    }

    /** Applies epoch 0; subclasses call this last in their constructors. */
    final void start() {
        step();
    }

    /** The learning rate of group {@code group} at {@code epoch}. */
    abstract double lrAt(int group, int epoch);

    /** The hyperparameters, JSON-able, stored in the state dict and checked on loading. */
    abstract Map<String, Object> hyperparameters();

    /** Writes the rates of {@link #lastEpoch} into the optimizer. */
    void apply() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double lr = lrAt(i, lastEpoch);
            groups.get(i).setLr(lr);
            lastLr[i] = lr;
        }
    }

    /** Advances one epoch and sets the optimizer's learning rates. */
    public void step() {
        lastEpoch++;
        apply();
    }

    /** The learning rates last set, one per group, like {@code get_last_lr()}. */
    public List<Double> getLastLr() {
        List<Double> out = new ArrayList<>(lastLr.length);
        for (double v : lastLr) {
            out.add(v);
        }
        return out;
    }

    /** The number of {@link #step()} calls since construction (0 right after it). */
    public int lastEpoch() {
        return lastEpoch;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /**
     * A JSON-able state: {@code "scheduler"} (the class name), {@code "lastEpoch"}, {@code "baseLrs"},
     * {@code "lastLr"} and {@code "hyperparameters"}.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scheduler", name);
        m.put("lastEpoch", lastEpoch);
        m.put("baseLrs", list(baseLrs));
        m.put("lastLr", list(lastLr));
        m.put("hyperparameters", hyperparameters());
        return m;
    }

    /**
     * Restores the progress of a scheduler of the same kind and hyperparameters over as many groups. The optimizer
     * is not touched (its own state dict holds the current rates), as in PyTorch. Nothing is loaded on a mismatch.
     */
    public void loadStateDict(Map<String, Object> state) {
        String op = name + ".loadStateDict";
        if (state == null) {
            throw new IllegalArgumentException(op + ": state is null");
        }
        if (!name.equals(state.get("scheduler"))) {
            throw new IllegalArgumentException(op + ": the state is from " + state.get("scheduler") + ", not " + name);
        }
        checkHyperparameters(op, hyperparameters(), state.get("hyperparameters"));
        if (!(state.get("lastEpoch") instanceof Number epoch) || epoch.intValue() < 0) {
            throw new IllegalArgumentException(op + ": \"lastEpoch\" must be an integer >= 0, got "
                    + state.get("lastEpoch"));
        }
        double[] base = doubles(op, state, "baseLrs", baseLrs.length);
        double[] last = doubles(op, state, "lastLr", lastLr.length);
        lastEpoch = epoch.intValue();
        System.arraycopy(base, 0, baseLrs, 0, base.length);
        System.arraycopy(last, 0, lastLr, 0, last.length);
    }

    static void checkHyperparameters(String op, Map<String, Object> mine, Object saved) {
        if (!(saved instanceof Map<?, ?> s)) {
            throw new IllegalArgumentException(op + ": \"hyperparameters\" is missing");
        }
        for (Map.Entry<String, Object> e : mine.entrySet()) {
            Object other = s.get(e.getKey());
            if (!same(e.getValue(), other)) {
                throw new IllegalArgumentException(op + ": " + e.getKey() + " is " + other
                        + " in the state but " + e.getValue() + " in this scheduler");
            }
        }
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    static double[] doubles(String op, Map<String, Object> state, String key, int n) {
        if (!(state.get(key) instanceof List<?> l) || l.size() != n) {
            throw new IllegalArgumentException(op + ": \"" + key + "\" must be a list of " + n
                    + " numbers (one per parameter group), got " + state.get(key));
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            if (!(l.get(i) instanceof Number v)) {
                throw new IllegalArgumentException(op + ": \"" + key + "\" holds a non-number " + l.get(i));
            }
            out[i] = v.doubleValue();
        }
        return out;
    }

    static List<Object> list(double[] a) {
        List<Object> out = new ArrayList<>(a.length);
        for (double v : a) {
            out.add(v);
        }
        return out;
    }
}
