package io.ember.optim;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Base of the optimizers, like {@code torch.optim.Optimizer}: parameter groups with their hyperparameters, per-parameter
 * state created lazily at the first {@link #step()} that sees a gradient, {@link #zeroGrad()}, and a state dict that
 * model files can store. Updates run on the raw arrays under {@link Autograd#noGrad()}.
 *
 * <p>Parameters are indexed in order across groups (group 0 first), as in PyTorch's state dicts.
 */
public abstract class Optimizer {
    /** The option every scheduler reads as its base learning rate, set by the first scheduler attached. */
    static final String INITIAL_LR = "initialLr";

    private final String name;
    private final Map<String, Object> defaults;
    private final List<ParamGroup> groups;
    private final Map<Tensor, ParamState> state = new IdentityHashMap<>();

    Optimizer(String name, Map<String, Object> defaults, List<ParamGroup> groups) {
        this.name = name;
        this.defaults = Collections.unmodifiableMap(new LinkedHashMap<>(defaults));
        validate(this.defaults, "");
        Objects.requireNonNull(groups, name + ": parameter groups are null");
        if (groups.isEmpty()) {
            throw new IllegalArgumentException(name + ": got an empty list of parameter groups");
        }
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Map<String, Object>> merged = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = Objects.requireNonNull(groups.get(gi), name + ": parameter group " + gi + " is null");
            String where = groups.size() > 1 ? " (parameter group " + gi + ")" : "";
            if (g.owner() != null) {
                throw new IllegalArgumentException(name + ": parameter group " + gi
                        + " already belongs to another optimizer");
            }
            if (g.params().isEmpty()) {
                throw new IllegalArgumentException(name + ": got an empty parameter list" + where);
            }
            for (int pi = 0; pi < g.params().size(); pi++) {
                Tensor p = g.params().get(pi);
                if (!p.isLeaf()) {
                    throw new IllegalArgumentException(name + ": can't optimize a non-leaf tensor (parameter " + pi
                            + where + " was made by " + p.gradFn().name() + ")");
                }
                if (!p.dtype().isFloating()) {
                    throw new IllegalArgumentException(name + ": parameters must be floating point, parameter " + pi
                            + where + " is " + p.dtype());
                }
                if (!seen.add(p)) {
                    throw new IllegalArgumentException(name + ": parameter " + pi + where
                            + " appears more than once; each parameter may be in one group only");
                }
            }
            Map<String, Object> m = new LinkedHashMap<>(this.defaults);
            for (Map.Entry<String, Object> e : g.rawOptions().entrySet()) {
                m.put(e.getKey(), checkType(e.getKey(), e.getValue(), where));
            }
            validate(m, where);
            merged.add(m);
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            groups.get(gi).attach(this, merged.get(gi));
        }
        this.groups = Collections.unmodifiableList(new ArrayList<>(groups));
    }

    /** An optimizer over one group of {@code params} with the builder's options. */
    Optimizer(String name, OptionsBase<?> options, List<Tensor> params) {
        this(name, options.values, single(params));
    }

    /** An optimizer over parameter groups; their options override the builder's. */
    Optimizer(String name, OptionsBase<?> defaults, ParamGroup[] groups) {
        this(name, defaults.values, Arrays.asList(groups));
    }

    static List<ParamGroup> single(List<Tensor> params) {
        return List.of(new ParamGroup(Objects.requireNonNull(params, "optimizer: params is null")));
    }

    // ---------------------------------------------------------------- subclass contract

    /** Checks every option of one group; messages name the optimizer, the option, the value and {@code where}. */
    abstract void validate(Map<String, Object> options, String where);

    /** Updates the parameters of one group that have a gradient. */
    abstract void update(ParamGroup group);

    /** The names of the per-parameter state arrays this optimizer may keep. */
    abstract Set<String> stateNames();

    /** The state of a parameter, created (step 0, no arrays) on first use. */
    final ParamState stateOf(Tensor p) {
        return state.computeIfAbsent(p, k -> new ParamState());
    }

    // ---------------------------------------------------------------- public API

    /** The optimizer's name ({@code "Adam"}, ...). */
    public final String name() {
        return name;
    }

    /** The default hyperparameters (unmodifiable). */
    public final Map<String, Object> defaults() {
        return defaults;
    }

    /** The parameter groups; their learning rates and options may be changed. */
    public final List<ParamGroup> paramGroups() {
        return groups;
    }

    /** Drops the gradient of every parameter (sets it to null, like {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (ParamGroup g : groups) {
            for (Tensor p : g.params()) {
                p.zeroGrad();
            }
        }
    }

    /** One update of every parameter that has a gradient; parameters without one are skipped. */
    public void step() {
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (ParamGroup g : groups) {
                update(g);
            }
        }
    }

    /** Evaluates the closure with gradients enabled (it should zero the grads, compute the loss and call backward), steps and returns the loss. */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (Autograd.Scope s = Autograd.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /**
     * A copy of the state: {@code meta} holds {@code "optimizer"} (the name), {@code "groups"} (per group its options
     * and {@code "params"}, the parameter indices) and {@code "state"} ({@code {"<index>": {"step": n}}} for each
     * parameter with state); {@code tensors} holds {@code "state.<index>.<name>"} arrays (copies).
     */
    public OptimizerState stateDict() {
        Map<String, Object> meta = new LinkedHashMap<>();
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        List<Object> groupList = new ArrayList<>();
        Map<String, Object> steps = new LinkedHashMap<>();
        int index = 0;
        for (ParamGroup g : groups) {
            Map<String, Object> gm = new LinkedHashMap<>(g.rawOptions());
            List<Object> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                ids.add(index);
                ParamState st = state.get(p);
                if (st != null) {
                    Map<String, Object> one = new LinkedHashMap<>();
                    one.put("step", st.step);
                    steps.put(Integer.toString(index), one);
                    for (Map.Entry<String, NDArray> e : st.buffers.entrySet()) {
                        tensors.put("state." + index + "." + e.getKey(), e.getValue().clone());
                    }
                }
                index++;
            }
            gm.put("params", ids);
            groupList.add(gm);
        }
        meta.put("optimizer", name);
        meta.put("groups", groupList);
        meta.put("state", steps);
        return new OptimizerState(meta, tensors);
    }

    /**
     * Loads a state made by {@link #stateDict()} of the same optimizer over parameters of the same shapes: group
     * options (learning rates included), step counts and state arrays (copied, converted to each parameter's dtype
     * and device). Everything is checked first; on any mismatch nothing is loaded.
     */
    public void loadStateDict(OptimizerState sd) {
        String op = name + ".loadStateDict";
        if (sd == null || sd.meta() == null || sd.tensors() == null) {
            throw new IllegalArgumentException(op + ": state dict (or its meta or tensors) is null");
        }
        Object saved = sd.meta().get("optimizer");
        if (saved != null && !name.equals(saved)) {
            throw new IllegalArgumentException(op + ": the state dict is from " + saved + ", not " + name);
        }
        if (!(sd.meta().get("groups") instanceof List<?> savedGroups)) {
            throw new IllegalArgumentException(op + ": meta has no \"groups\" list");
        }
        if (savedGroups.size() != groups.size()) {
            throw new IllegalArgumentException(op + ": the state dict has " + savedGroups.size()
                    + " parameter groups, this optimizer has " + groups.size());
        }
        List<Tensor> params = new ArrayList<>();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int gi = 0; gi < groups.size(); gi++) {
            if (!(savedGroups.get(gi) instanceof Map<?, ?> sg)) {
                throw new IllegalArgumentException(op + ": group " + gi + " is not a map");
            }
            int n = groups.get(gi).params().size();
            if (!(sg.get("params") instanceof List<?> ids) || ids.size() != n) {
                Object ids = sg.get("params");
                throw new IllegalArgumentException(op + ": parameter group " + gi + " has "
                        + (ids instanceof List<?> l ? l.size() : "no") + " parameters in the state dict, "
                        + n + " in this optimizer");
            }
            Map<String, Object> m = new LinkedHashMap<>(groups.get(gi).rawOptions());
            for (Map.Entry<?, ?> e : sg.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!key.equals("params")) {
                    m.put(key, checkType(key, e.getValue(), " (state dict, parameter group " + gi + ")"));
                }
            }
            validate(m, " (state dict, parameter group " + gi + ")");
            newOptions.add(m);
            params.addAll(groups.get(gi).params());
        }
        Map<Integer, ParamState> newState = new LinkedHashMap<>();
        Object stateMeta = sd.meta().getOrDefault("state", Map.of());
        if (!(stateMeta instanceof Map<?, ?> sm)) {
            throw new IllegalArgumentException(op + ": meta \"state\" is not a map");
        }
        for (Map.Entry<?, ?> e : sm.entrySet()) {
            int idx = parseIndex(op, String.valueOf(e.getKey()), params.size());
            Object stepObj = e.getValue() instanceof Map<?, ?> one ? one.get("step") : null;
            if (!(stepObj instanceof Number num) || num.doubleValue() < 0
                    || num.doubleValue() != Math.rint(num.doubleValue())) {
                throw new IllegalArgumentException(op + ": parameter " + idx
                        + " needs a non-negative integer \"step\", got " + stepObj);
            }
            ParamState st = new ParamState();
            st.step = num.longValue();
            newState.put(idx, st);
        }
        for (Map.Entry<String, NDArray> e : sd.tensors().entrySet()) {
            String key = e.getKey();
            String[] parts = key.split("\\.", 3);
            if (parts.length != 3 || !parts[0].equals("state")) {
                throw new IllegalArgumentException(op + ": unexpected tensor key '" + key
                        + "', expected state.<paramIndex>.<name>");
            }
            int idx = parseIndex(op, parts[1], params.size());
            if (!stateNames().contains(parts[2])) {
                throw new IllegalArgumentException(op + ": unknown state '" + parts[2] + "' in '" + key + "', "
                        + name + " keeps " + stateNames());
            }
            ParamState st = newState.get(idx);
            if (st == null) {
                throw new IllegalArgumentException(op + ": '" + key + "' has no step count for parameter " + idx
                        + " in meta \"state\"");
            }
            Tensor p = params.get(idx);
            NDArray a = e.getValue();
            if (a == null || !a.shape().equals(p.shape())) {
                throw new IllegalArgumentException(op + ": '" + key + "' has shape "
                        + (a == null ? "null" : a.shape()) + ", parameter " + idx + " has shape " + p.shape());
            }
            if (!a.dtype().isFloating()) {
                throw new IllegalArgumentException(op + ": '" + key + "' must be floating point, got " + a.dtype());
            }
            st.buffers.put(parts[2], io.ember.tensor.MemoryScope.keep(a.to(p.dtype()).to(p.device()).clone()));
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            groups.get(gi).replaceOptions(newOptions.get(gi));
        }
        state.clear();
        for (Map.Entry<Integer, ParamState> e : newState.entrySet()) {
            state.put(params.get(e.getKey()), e.getValue());
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name).append(" (");
        for (int i = 0; i < groups.size(); i++) {
            sb.append("\n  group ").append(i).append(": ").append(groups.get(i).params().size()).append(" params, ")
                    .append(groups.get(i).rawOptions());
        }
        return sb.append("\n)").toString();
    }

    // ---------------------------------------------------------------- helpers

    void updateOption(ParamGroup g, String key, Object value) {
        String where = groups != null && groups.size() > 1 ? " (parameter group " + groups.indexOf(g) + ")" : "";
        Map<String, Object> m = new LinkedHashMap<>(g.rawOptions());
        m.put(key, checkType(key, value, where));
        validate(m, where);
        g.replaceOptions(m);
    }

    private Object checkType(String key, Object value, String where) {
        Object def = key.equals(INITIAL_LR) ? 0.0 : defaults.get(key);
        if (def == null) {
            throw new IllegalArgumentException(name + ": unknown option '" + key + "'" + where + "; options are "
                    + defaults.keySet());
        }
        if (def instanceof Boolean) {
            if (!(value instanceof Boolean)) {
                throw new IllegalArgumentException(name + ": option '" + key + "' must be a boolean, got " + value
                        + where);
            }
            return value;
        }
        if (!(value instanceof Number n)) {
            throw new IllegalArgumentException(name + ": option '" + key + "' must be a number, got " + value
                    + where);
        }
        return n.doubleValue();
    }

    private static int parseIndex(String op, String s, int count) {
        int idx;
        try {
            idx = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(op + ": parameter index '" + s + "' is not a number");
        }
        if (idx < 0 || idx >= count) {
            throw new IllegalArgumentException(op + ": parameter index " + idx + " is out of range, the optimizer has "
                    + count + " parameters");
        }
        return idx;
    }

    // validation helpers for subclasses

    final void requireAtLeast(Map<String, Object> o, String key, double min, String where) {
        double v = ((Number) o.get(key)).doubleValue();
        if (!(v >= min)) {
            throw new IllegalArgumentException(name + ": " + key + " must be >= " + fmt(min) + ", got " + v + where);
        }
    }

    /** {@link #requireAtLeast} 0 for each key, in order. */
    final void requireNonNegative(Map<String, Object> o, String where, String... keys) {
        for (String key : keys) {
            requireAtLeast(o, key, 0, where);
        }
    }

    final void requireUnit(Map<String, Object> o, String key, String where) {
        double v = ((Number) o.get(key)).doubleValue();
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(name + ": " + key + " must be in [0, 1), got " + v + where);
        }
    }

    final void requireInitialLr(Map<String, Object> o, String where) {
        if (o.containsKey(INITIAL_LR)) {
            requireAtLeast(o, INITIAL_LR, 0, where);
        }
    }

    /** The gradient, negated when {@code maximize}, plus {@code weightDecay * p} (L2 decay) when that is not 0. */
    static NDArray direction(NDArray grad, NDArray p, boolean maximize, double weightDecay) {
        NDArray d = maximize ? grad.neg() : grad;
        return weightDecay != 0 ? d.add(p, weightDecay) : d;
    }

    static double num(Map<String, Object> o, String key) {
        return ((Number) o.get(key)).doubleValue();
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
