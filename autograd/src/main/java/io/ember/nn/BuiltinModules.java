package io.ember.nn;

/** Registers the built-in layers with {@link ModuleRegistry}. */
final class BuiltinModules {
    private BuiltinModules() {
    }

    static void registerAll() {
        LayerRegistrations.registerAll();
        RecurrentRegistrations.registerAll();
    }
}
