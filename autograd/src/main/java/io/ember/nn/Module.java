package io.ember.nn;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The base of every layer and model, like {@code torch.nn.Module}: named parameters, buffers and child modules
 * registered explicitly in the constructor, train/eval mode, state dicts and a printed tree.
 *
 * <pre>{@code
 * final class Net extends Module {
 *     final Linear fc1 = registerModule("fc1", new Linear(784, 256));
 *     final Linear fc2 = registerModule("fc2", new Linear(256, 10));
 *     public Tensor forward(Tensor x) { return fc2.forward(fc1.forward(x).relu()); }
 * }
 * }</pre>
 */
public abstract class Module {
    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistent = new LinkedHashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The forward pass for modules with one tensor in and one out (modules with other signatures add their own). */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(getClass().getSimpleName()
                + " does not take a single tensor; call its own forward method");
    }

    // ---------------------------------------------------------------- registration

    private void checkName(String kind, String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException(kind + ": name must be non-empty and contain no '.', got '" + name
                    + "'");
        }
        if (parameters.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(kind + ": '" + name + "' is already registered in "
                    + getClass().getSimpleName());
        }
    }

    /** Registers a parameter (made to require grad); null registers an absent one (e.g. no bias). */
    protected final Tensor registerParameter(String name, Tensor value) {
        checkName("registerParameter", name);
        if (value != null && !value.isLeaf()) {
            throw new IllegalArgumentException("registerParameter: '" + name + "' must be a leaf tensor; use detach()");
        }
        if (value != null) {
            io.ember.tensor.MemoryScope.keep(value.data());
        }
        parameters.put(name, value == null ? null : value.requiresGrad(true));
        return value;
    }

    /** Registers a buffer (state that is not trained, like running statistics), saved in the state dict. */
    protected final Tensor registerBuffer(String name, Tensor value) {
        return registerBuffer(name, value, true);
    }

    /** Registers a buffer; a non-persistent one is left out of the state dict. */
    protected final Tensor registerBuffer(String name, Tensor value, boolean persistent) {
        checkName("registerBuffer", name);
        if (value != null) {
            io.ember.tensor.MemoryScope.keep(value.data());
        }
        buffers.put(name, value);
        if (!persistent) {
            nonPersistent.add(name);
        }
        return value;
    }

    /** Registers a child module. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName("registerModule", name);
        if (module == null) {
            throw new IllegalArgumentException("registerModule: module '" + name + "' is null");
        }
        children.put(name, module);
        return module;
    }

    /** Replaces a registered buffer's tensor (e.g. a new running mean), same name. */
    protected final void setBuffer(String name, Tensor value) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException("setBuffer: no buffer '" + name + "' in " + getClass().getSimpleName());
        }
        if (value != null) {
            io.ember.tensor.MemoryScope.keep(value.data());
        }
        buffers.put(name, value);
    }

    // ---------------------------------------------------------------- access

    /** All parameters, recursively, in registration order (each once). */
    public List<Tensor> parameters() {
        return new ArrayList<>(new LinkedHashSet<>(namedParameters().values()));
    }

    /** Parameters by dotted name ({@code "fc1.weight"}), recursively. */
    public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    private void collect(String prefix, Map<String, Tensor> out, boolean params) {
        for (Map.Entry<String, Tensor> e : (params ? parameters : buffers).entrySet()) {
            if (e.getValue() != null) {
                out.put(prefix + e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            c.getValue().collect(prefix + c.getKey() + ".", out, params);
        }
    }

    /** Direct children in registration order. */
    public List<Module> children() {
        return new ArrayList<>(children.values());
    }

    public Map<String, Module> namedChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** This module and all its descendants, depth first. */
    public List<Module> modules() {
        List<Module> out = new ArrayList<>();
        apply(out::add);
        return out;
    }

    /** Calls {@code fn} on this module and every descendant, depth first, parents first. */
    public Module apply(Consumer<Module> fn) {
        fn.accept(this);
        for (Module c : children.values()) {
            c.apply(fn);
        }
        return this;
    }

    /** The number of elements in trainable parameters. */
    public long numParameters() {
        long n = 0;
        for (Tensor p : parameters()) {
            if (p.requiresGrad()) {
                n += p.numel();
            }
        }
        return n;
    }

    // ---------------------------------------------------------------- modes

    /** Sets training mode on this module and its descendants; returns this. */
    public Module train(boolean mode) {
        apply(m -> m.training = mode);
        return this;
    }

    public Module train() {
        return train(true);
    }

    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.zeroGrad();
        }
    }

    /** Moves (or converts) every parameter and buffer in place; returns this. */
    public Module to(Device device) {
        convert(a -> a.to(device));
        return this;
    }

    /** Converts floating parameters and buffers to {@code dtype} in place; returns this. */
    public Module to(DType dtype) {
        convert(a -> a.dtype().isFloating() ? a.to(dtype) : a);
        return this;
    }

    private void convert(java.util.function.UnaryOperator<NDArray> f) {
        for (Module m : modules()) {
            for (Tensor p : m.parameters.values()) {
                if (p != null) {
                    p.setData(f.apply(p.data()));
                    if (p.grad() != null) {
                        p.setGrad(Tensor.of(f.apply(p.grad().data())));
                    }
                }
            }
            for (Map.Entry<String, Tensor> b : m.buffers.entrySet()) {
                Tensor t = b.getValue();
                if (t != null && t.isLeaf()) {
                    t.setData(f.apply(t.data())); // same tensor, so layers holding it see the converted data
                } else if (t != null) {
                    b.setValue(Tensor.of(io.ember.tensor.MemoryScope.keep(f.apply(t.data()))));
                }
            }
        }
    }

    // ---------------------------------------------------------------- state dict

    /** Parameters and persistent buffers by dotted name; the arrays are the live ones (copy to snapshot). */
    public Map<String, NDArray> stateDict() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        stateDict("", out);
        return out;
    }

    private void stateDict(String prefix, Map<String, NDArray> out) {
        for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
            if (e.getValue() != null) {
                out.put(prefix + e.getKey(), e.getValue().data());
            }
        }
        for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
            if (e.getValue() != null && !nonPersistent.contains(e.getKey())) {
                out.put(prefix + e.getKey(), e.getValue().data());
            }
        }
        for (Map.Entry<String, Module> c : children.entrySet()) {
            c.getValue().stateDict(prefix + c.getKey() + ".", out);
        }
    }

    /** What {@link #loadStateDict} found: keys the module has but the dict lacked, and keys it did not know. */
    public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    }

    /** {@code loadStateDict(state, true)}. */
    public LoadResult loadStateDict(Map<String, NDArray> state) {
        return loadStateDict(state, true);
    }

    /**
     * Copies values into the parameters and buffers (keeping the tensors, so optimizers stay attached). Everything
     * is checked before anything is copied: with {@code strict}, missing or unexpected keys fail listing them; a
     * shape mismatch always fails naming the key and both shapes. Nothing is changed when it fails.
     */
    public LoadResult loadStateDict(Map<String, NDArray> state, boolean strict) {
        Map<String, NDArray> own = stateDict();
        List<String> missing = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (String k : own.keySet()) {
            if (!state.containsKey(k)) {
                missing.add(k);
            }
        }
        for (String k : state.keySet()) {
            if (!own.containsKey(k)) {
                unexpected.add(k);
            }
        }
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty())) {
            throw new IllegalArgumentException("loadStateDict: state dict does not match " + getClass().getSimpleName()
                    + (missing.isEmpty() ? "" : "; missing keys " + missing)
                    + (unexpected.isEmpty() ? "" : "; unexpected keys " + unexpected));
        }
        for (Map.Entry<String, NDArray> e : own.entrySet()) {
            NDArray src = state.get(e.getKey());
            if (src != null && !src.shape().equals(e.getValue().shape())) {
                throw new IllegalArgumentException("loadStateDict: '" + e.getKey() + "' has shape " + src.shape()
                        + " in the state dict but " + e.getValue().shape() + " in the module");
            }
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            for (Map.Entry<String, NDArray> e : own.entrySet()) {
                NDArray src = state.get(e.getKey());
                if (src != null) {
                    e.getValue().copyFrom(src);
                }
            }
        }
        return new LoadResult(missing, unexpected);
    }

    // ---------------------------------------------------------------- model files and printing

    /**
     * The constructor arguments that rebuild this module through {@link ModuleRegistry} (JSON-able values:
     * numbers, strings, booleans, lists, maps), or null if it cannot be rebuilt from a file. Built-in layers and
     * registered user modules override it.
     */
    public Map<String, Object> config() {
        return null;
    }

    /** The name this module is registered under in {@link ModuleRegistry}; the class's simple name by default. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** The constructor arguments shown in the printed tree, e.g. {@code in=784, out=256, bias=true}. */
    protected String extraRepr() {
        return "";
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append('(').append(extraRepr());
        if (!children.isEmpty()) {
            sb.append('\n');
            for (Map.Entry<String, Module> c : children.entrySet()) {
                String child = c.getValue().toString().replace("\n", "\n  ");
                sb.append("  (").append(c.getKey()).append("): ").append(child).append('\n');
            }
        }
        return sb.append(')').toString();
    }
}
