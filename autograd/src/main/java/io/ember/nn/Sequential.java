package io.ember.nn;

import io.ember.autograd.Tensor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Modules applied in order, like {@code nn.Sequential}: {@code forward} feeds each child's output to the next.
 * Children made from varargs are named "0", "1", ...; {@link #add(String, Module)} names them explicitly.
 *
 * <pre>{@code
 * Sequential mlp = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
 * }</pre>
 */
public class Sequential extends Module implements Iterable<Module> {
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a child named by its position; returns this. */
    public Sequential add(Module module) {
        return add(Integer.toString(size()), module);
    }

    /** Appends a named child; returns this. */
    public Sequential add(String name, Module module) {
        registerModule(name, module);
        return this;
    }

    /** The i-th child (negative counts from the end). */
    public Module get(int i) {
        List<Module> c = children();
        int k = i < 0 ? i + c.size() : i;
        if (k < 0 || k >= c.size()) {
            throw new IndexOutOfBoundsException("Sequential: index " + i + " is out of range for " + c.size()
                    + " modules");
        }
        return c.get(k);
    }

    public int size() {
        return namedChildren().size();
    }

    @Override
    public Iterator<Module> iterator() {
        return children().iterator();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : namedChildren().values()) {
            x = m.forward(x);
        }
        return x;
    }

    /** {"modules": [{name, type, config}, ...]}, or null if a child cannot be rebuilt. */
    @Override
    public Map<String, Object> config() {
        return Cfg.children(this, true);
    }

    static Sequential fromConfig(Map<String, Object> cfg) {
        Sequential s = new Sequential();
        Cfg.eachChild(cfg, s::add);
        return s;
    }
}
