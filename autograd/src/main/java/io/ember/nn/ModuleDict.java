package io.ember.nn;

import java.util.Map;
import java.util.Set;

/** Child modules by name in insertion order, like {@code nn.ModuleDict}. It has no forward of its own. */
public class ModuleDict extends Module {
    public ModuleDict() {
    }

    /** Adds a module under a new key (keys contain no '.'); returns this. */
    public ModuleDict put(String key, Module module) {
        registerModule(key, module);
        return this;
    }

    /** The module under {@code key}. */
    public Module get(String key) {
        Module m = namedChildren().get(key);
        if (m == null) {
            throw new IllegalArgumentException("ModuleDict: no module '" + key + "'; keys " + keys());
        }
        return m;
    }

    public boolean containsKey(String key) {
        return namedChildren().containsKey(key);
    }

    public Set<String> keys() {
        return namedChildren().keySet();
    }

    public int size() {
        return namedChildren().size();
    }

    /** {"modules": [{name, type, config}, ...]}, or null if a child cannot be rebuilt. */
    @Override
    public Map<String, Object> config() {
        return Cfg.children(this, true);
    }

    static ModuleDict fromConfig(Map<String, Object> cfg) {
        ModuleDict d = new ModuleDict();
        Cfg.eachChild(cfg, d::put);
        return d;
    }
}
