package io.ember.nn;

/** Registers layers with {@link ModuleRegistry} (see {@link BuiltinModules}). */
final class RecurrentRegistrations {
    private RecurrentRegistrations() {
    }

    static void registerAll() {
    }
}
