package io.ember.nn;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A list of child modules, registered so that their parameters are found, like {@code nn.ModuleList}; children are
 * named "0", "1", .... It has no forward of its own.
 */
public class ModuleList extends Module implements Iterable<Module> {
    public ModuleList(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module; returns this. */
    public ModuleList add(Module module) {
        registerModule(Integer.toString(size()), module);
        return this;
    }

    /** The i-th module (negative counts from the end). */
    public Module get(int i) {
        List<Module> c = children();
        int k = i < 0 ? i + c.size() : i;
        if (k < 0 || k >= c.size()) {
            throw new IndexOutOfBoundsException("ModuleList: index " + i + " is out of range for " + c.size()
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

    /** {"modules": [{type, config}, ...]}, or null if a child cannot be rebuilt. */
    @Override
    public Map<String, Object> config() {
        return Cfg.children(this, false);
    }

    static ModuleList fromConfig(Map<String, Object> cfg) {
        ModuleList l = new ModuleList();
        Cfg.eachChild(cfg, (name, m) -> l.add(m));
        return l;
    }
}
