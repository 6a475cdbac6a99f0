package io.ember.nn;

/** Registers layers with {@link ModuleRegistry} (see {@link BuiltinModules}). */
final class RecurrentRegistrations {
    private RecurrentRegistrations() {
    }

    static void registerAll() {
        ModuleRegistry.register("RNN", RNN::fromConfig);
        ModuleRegistry.register("LSTM", LSTM::fromConfig);
        ModuleRegistry.register("GRU", GRU::fromConfig);
        ModuleRegistry.register("MultiheadAttention", MultiheadAttention::fromConfig);
    }
}
