package io.ember.spark.train;

import io.ember.io.ModelIO;
import io.ember.nn.Module;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;

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

    RoundPlan(Module model, Module loss, OptimizerSpec optimizer, int batchSize, int stepsPerRound, long totalSteps,
            long seed, boolean averageOptimizerState, String device) {
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
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        try {
            ModelIO.save(m, json, weights);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new byte[][] {json.toByteArray(), weights.toByteArray()};
    }

    static Module load(byte[] json, byte[] weights) {
        try {
            return ModelIO.load(new ByteArrayInputStream(json), new ByteArrayInputStream(weights));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
