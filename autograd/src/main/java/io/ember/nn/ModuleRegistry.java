package io.ember.nn;

import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Module types by name, so that a model file's JSON architecture can rebuild a model without running any code from
 * the file: each name maps to a factory from a {@link Module#config()} map. Built-in layers are registered at start;
 * users register their own modules with {@link #register}.
 */
public final class ModuleRegistry {
    private static final Map<String, Function<Map<String, Object>, Module>> FACTORIES = new ConcurrentHashMap<>();

    static {
        BuiltinModules.registerAll();
    }

    private ModuleRegistry() {
    }

    /** Registers (or replaces) a module type. */
    public static void register(String typeName, Function<Map<String, Object>, Module> factory) {
        if (typeName == null || typeName.isEmpty()) {
            throw new IllegalArgumentException("ModuleRegistry.register: empty type name");
        }
        FACTORIES.put(typeName, factory);
    }

    public static boolean isRegistered(String typeName) {
        return FACTORIES.containsKey(typeName);
    }

    /** Builds a module of a registered type from its config. */
    public static Module create(String typeName, Map<String, Object> config) {
        Function<Map<String, Object>, Module> f = FACTORIES.get(typeName);
        if (f == null) {
            throw new IllegalArgumentException("ModuleRegistry: unknown module type '" + typeName + "'; registered: "
                    + new TreeSet<>(FACTORIES.keySet()) + ". Register user modules with ModuleRegistry.register");
        }
        return f.apply(config);
    }
}
