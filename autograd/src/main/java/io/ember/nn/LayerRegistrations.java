package io.ember.nn;

/** Registers the built-in layers, containers and losses with {@link ModuleRegistry} (see {@link BuiltinModules}). */
final class LayerRegistrations {
    private LayerRegistrations() {
    }

    static void registerAll() {
        ModuleRegistry.register("Sequential", Sequential::fromConfig);
        ModuleRegistry.register("ModuleList", ModuleList::fromConfig);
        ModuleRegistry.register("ModuleDict", ModuleDict::fromConfig);
        ModuleRegistry.register("Linear", c -> new Linear(Cfg.i(c, "inFeatures"), Cfg.i(c, "outFeatures"),
                Cfg.b(c, "bias")));
        ModuleRegistry.register("Conv1d", Conv1d::fromConfig);
        ModuleRegistry.register("Conv2d", Conv2d::fromConfig);
        ModuleRegistry.register("MaxPool2d", MaxPool2d::fromConfig);
        ModuleRegistry.register("AvgPool2d", AvgPool2d::fromConfig);
        ModuleRegistry.register("AdaptiveAvgPool2d", AdaptiveAvgPool2d::fromConfig);
        ModuleRegistry.register("BatchNorm1d", BatchNorm1d::fromConfig);
        ModuleRegistry.register("BatchNorm2d", BatchNorm2d::fromConfig);
        ModuleRegistry.register("LayerNorm", LayerNorm::fromConfig);
        ModuleRegistry.register("Dropout", c -> new Dropout(Cfg.d(c, "p")));
        ModuleRegistry.register("Embedding", Embedding::fromConfig);
        ModuleRegistry.register("Flatten", c -> new Flatten(Cfg.i(c, "startDim"), Cfg.i(c, "endDim")));
        ModuleRegistry.register("Identity", c -> new Identity());
        ModuleRegistry.register("ReLU", c -> new ReLU());
        ModuleRegistry.register("LeakyReLU", LeakyReLU::fromConfig);
        ModuleRegistry.register("ELU", ELU::fromConfig);
        ModuleRegistry.register("GELU", c -> new GELU(Cfg.s(c, "approximate")));
        ModuleRegistry.register("SiLU", c -> new SiLU());
        ModuleRegistry.register("Sigmoid", c -> new Sigmoid());
        ModuleRegistry.register("Tanh", c -> new Tanh());
        ModuleRegistry.register("Softmax", Softmax::fromConfig);
        ModuleRegistry.register("LogSoftmax", LogSoftmax::fromConfig);
        ModuleRegistry.register("CrossEntropyLoss", CrossEntropyLoss::fromConfig);
        ModuleRegistry.register("NLLLoss", NLLLoss::fromConfig);
        ModuleRegistry.register("MSELoss", MSELoss::fromConfig);
        ModuleRegistry.register("L1Loss", L1Loss::fromConfig);
        ModuleRegistry.register("SmoothL1Loss", SmoothL1Loss::fromConfig);
        ModuleRegistry.register("BCELoss", BCELoss::fromConfig);
        ModuleRegistry.register("BCEWithLogitsLoss", BCEWithLogitsLoss::fromConfig);
    }
}
