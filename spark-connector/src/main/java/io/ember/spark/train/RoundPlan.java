package io.ember.spark.train;

import io.ember.io.ModelIO;
import io.ember.nn.Module;
import java.io.Serial;
import java.io.Serializable;

/**
 * The constants of one fit, broadcast once: the model and loss as model files (JSON architecture + safetensors, so
 * executors rebuild them through the module registry and no user object is Java-serialized), the optimizer spec and
 * the step arithmetic.
 */
final class RoundPlan implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    final byte[] modelJson;
    final byte[] modelWeights;
    final byte[] lossJson;
    final byte[] lossWeights;
    final OptimizerSpec optimizer;
    final int batchSize;
    final int stepsPerRound;
    final long totalSteps;
    final long seed;
    final boolean averageOptimizerState;
    final String device;
    final String schedule;
    final long warmupSteps;

    RoundPlan(Module model, Module loss, OptimizerSpec optimizer, int batchSize, int stepsPerRound, long totalSteps,
            long seed, boolean averageOptimizerState, String device, String schedule, long warmupSteps) {
        byte[][] m = files(model);
        byte[][] l = files(loss);
        this.modelJson = m[0];
        this.modelWeights = m[1];
        this.lossJson = l[0];
        this.lossWeights = l[1];
        this.optimizer = optimizer;
        this.batchSize = batchSize;
        this.stepsPerRound = stepsPerRound;
        this.totalSteps = totalSteps;
        this.seed = seed;
        this.averageOptimizerState = averageOptimizerState;
        this.device = device;
        this.schedule = schedule;
        this.warmupSteps = warmupSteps;
    }

    /**
     * The learning rate of the step that follows {@code step} steps done (the same on every worker): constant, or
     * a cosine from the base rate to 0 over all the steps (PyTorch's CosineAnnealingLR with T_max = total steps,
     * stepped after every batch); times {@code (step + 1) / warmupSteps} during a linear warm-up.
     */
    double lrAt(long step) {
        double lr = optimizer.lr();
        if (schedule.equals("cosine")) {
            lr *= 0.5 * (1 + Math.cos(Math.PI * step / totalSteps));
        }
        if (step < warmupSteps) {
            lr *= (step + 1) / (double) warmupSteps;
        }
        return lr;
    }

    /** The steps of round {@code round} (0-based): [first, end). */
    long firstStep(int round) {
        return (long) round * stepsPerRound;
    }

    long endStep(int round) {
        return Math.min(totalSteps, firstStep(round) + stepsPerRound);
    }

    Module newModel() {
        return load(modelJson, modelWeights);
    }

    Module newLoss() {
        return load(lossJson, lossWeights);
    }

    static byte[][] files(Module m) {
        return ModelIO.toBytes(m);
    }

    static Module load(byte[] json, byte[] weights) {
        return ModelIO.fromBytes(json, weights);
    }
}
