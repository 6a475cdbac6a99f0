package io.ember.ml;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.nn.Module;
import io.ember.spark.data.BatchScorer;
import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@link EmberModel#transform}'s work on an executor: one forward pass per Arrow batch, then logits, softmax and
 * argmax as asked. Small when serialized (the network is in the broadcast); the network is built once per executor
 * and running task ({@link ScoringModels}), and a task uses {@code spark.task.cpus} threads.
 */
final class ModelScorer implements BatchScorer {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Broadcast<EmberModel.ModelFile> model;
    private final boolean classification;
    private final boolean raw;
    private final boolean probability;
    private final boolean prediction;
    private transient boolean threadsSet;

    ModelScorer(Broadcast<EmberModel.ModelFile> model, boolean classification, boolean raw, boolean probability,
                boolean prediction) {
        this.model = model;
        this.classification = classification;
        this.raw = raw;
        this.probability = probability;
        this.prediction = prediction;
    }

    @Override
    public NDArray[] score(NDArray features) {
        if (!threadsSet) {
            TaskContext task = TaskContext.get();
            if (task != null) {
                Threads.set(Math.max(1, task.cpus()));
            }
            threadsSet = true;
        }
        Module m = ScoringModels.borrow(model.id(), model::value);
        NDArray out;
        try (Autograd.Scope s = Autograd.noGrad()) {
            out = m.forward(Tensor.of(features)).data();
        } finally {
            ScoringModels.giveBack(model.id(), m);
        }
        return outputs(out, classification, raw, probability, prediction);
    }

    /** The output arrays, in the model's column order, from the network's output {@code out}. */
    static NDArray[] outputs(NDArray out, boolean classification, boolean raw, boolean probability,
                             boolean prediction) {
        int n = out.shape().get(0);
        List<NDArray> result = new ArrayList<>(3);
        if (classification) {
            NDArray logits = out.reshape(n, -1);
            if (raw) {
                result.add(logits);
            }
            if (probability) {
                result.add(logits.softmax(1));
            }
            if (prediction) {
                result.add(logits.argmax(1, false).to(DType.FLOAT64));
            }
        } else if (prediction) {
            result.add(out.reshape(n));
        }
        return result.toArray(new NDArray[0]);
    }
}
