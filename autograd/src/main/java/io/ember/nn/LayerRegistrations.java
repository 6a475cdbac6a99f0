package io.ember.nn;

/** Registers layers with {@link ModuleRegistry} (see {@link BuiltinModules}). */
final class LayerRegistrations {
    private LayerRegistrations() {
    }

    static void registerAll() {
    }
}
