package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.data.Batch;
import io.ember.data.DataLoader;
import io.ember.data.TensorDataset;
import io.ember.io.Checkpoint;
import io.ember.io.ModelIO;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Linear;
import io.ember.nn.Module;
import io.ember.nn.ReLU;
import io.ember.nn.Sequential;
import io.ember.optim.Adam;
import io.ember.optim.lr.StepLR;
import io.ember.tensor.NDArray;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's training example, as written there (on the shipped sample), so that it keeps compiling and working. */
class ReadmeExampleTest {
    @TempDir
    Path tmp;

    @Test
    void readmeTrainingLoop_runsSavesAndReloads() throws Exception {
        FashionMnist data = FashionMnist.sample();
        NDArray images = data.trainImages;
        NDArray labels = data.trainLabels;
        Path dir = tmp.resolve("model");
        Path ckpt = tmp.resolve("ckpt.safetensors");
        // --- README: "Training like PyTorch" ---
        Sequential model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        Adam optimizer = new Adam(model.parameters(), 1e-3);
        StepLR scheduler = new StepLR(optimizer, 1, 0.5);          // halve the rate every epoch
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        DataLoader<List<Tensor>, Batch> loader = DataLoader.builder(TensorDataset.of(images, labels))
                .batchSize(64).shuffle(true).seed(42).numWorkers(1).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Batch b : loader) {
                optimizer.zeroGrad();
                Tensor loss = criterion.forward(model.forward(b.get(0)), b.get(1));
                loss.backward();
                optimizer.step();
            }
            scheduler.step();
            Checkpoint.save(ckpt, model, optimizer, scheduler, epoch, 0, null);
        }
        ModelIO.save(model, dir);                   // model.json + model.safetensors
        Module same = ModelIO.load(dir);            // no code runs, nothing deserialised
        try (var s = Autograd.noGrad()) {
            Tensor logits = same.forward(Tensor.of(data.testImages));
            // --- end of README ---
            double acc = logits.argmax(1, false).eq(Tensor.of(data.testLabels)).data().to(
                    io.ember.tensor.DType.FLOAT32).mean().item();
            assertTrue(acc > 0.75, "accuracy " + acc);
            assertTrue(logits.data().equals(model.forward(Tensor.of(data.testImages)).data()));
        }
        Sequential fresh = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
        Adam freshOpt = new Adam(fresh.parameters(), 1e-3);
        StepLR freshSched = new StepLR(freshOpt, 1, 0.5);
        Checkpoint c = Checkpoint.load(ckpt);
        c.restore(fresh, freshOpt, freshSched);
        assertEquals(1, c.epoch());
        assertEquals(0.25e-3, freshOpt.paramGroups().get(0).lr(), 1e-12);
        assertTrue(fresh.stateDict().get("0.weight").equals(model.stateDict().get("0.weight")));
    }
}
