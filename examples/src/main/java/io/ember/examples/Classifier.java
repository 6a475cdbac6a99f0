package io.ember.examples;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.data.Batch;
import io.ember.data.DataLoader;
import io.ember.data.TensorDataset;
import io.ember.io.ModelIO;
import io.ember.metrics.Metrics;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Module;
import io.ember.optim.Adam;
import io.ember.optim.Optimizer;
import io.ember.optim.lr.CosineAnnealingLR;
import io.ember.tensor.NDArray;
import io.ember.util.ProgressBar;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The training loop the Fashion-MNIST examples share, written the way a PyTorch tutorial writes it: zeroGrad,
 * forward, loss, backward, step; then test accuracy, save, reload and check the reloaded model agrees.
 */
public final class Classifier {
    private Classifier() {
    }

    /**
     * The command line both Fashion-MNIST examples share: options, data, seed, training, the final accuracy.
     * {@code images} turns the [N, 784] pixel rows into the model's input layout.
     */
    static void main(String name, String[] argv, int epochs, double lr, Supplier<Module> model,
            UnaryOperator<NDArray> images) throws java.io.IOException {
        Args a = new Args("Fashion-MNIST " + name + ": examples/example.sh " + name + " [options]", argv)
                .option("epochs", String.valueOf(epochs), "training epochs")
                .option("data", null, "directory of the IDX .gz files (default: FMNIST_DIR, Debian's"
                        + " dataset-fashion-mnist, else the shipped sample)")
                .option("lr", String.valueOf(lr), "peak Adam learning rate (cosine decay to 0)")
                .option("batch", "64", "batch size")
                .option("seed", "42", "seed of the initial weights and the shuffling")
                .option("save", "target/fashion-mnist-" + name, "directory to save the model to")
                .parse();
        FashionMnist data = FashionMnist.load(a.get("data") != null ? a.get("data") : System.getenv("FMNIST_DIR"));
        System.out.printf("Fashion-MNIST from %s: %,d training, %,d test images; %d threads%n", data.dir,
                data.trainImages.size(0), data.testImages.size(0), io.ember.tensor.Threads.get());
        io.ember.tensor.Generator.manualSeed(a.getInt("seed"));
        double acc = trainAndCheck(name, model.get(), images.apply(data.trainImages), data.trainLabels,
                images.apply(data.testImages), data.testLabels, a.getInt("epochs"), a.getInt("batch"),
                a.getDouble("lr"), a.getInt("seed"), Path.of(a.get("save")));
        System.out.printf("final test accuracy %.4f%n", acc);
    }

    /** Trains {@code model} on (x, y) and returns the final test accuracy. */
    static double trainAndCheck(String name, Module model, NDArray trainX, NDArray trainY, NDArray testX,
            NDArray testY, int epochs, int batchSize, double lr, long seed, Path saveDir) {
        System.out.printf("%s: %,d parameters%n%s%n", name, model.numParameters(), model);
        DataLoader<List<Tensor>, Batch> loader = DataLoader.builder(TensorDataset.of(trainX, trainY))
                .batchSize(batchSize).shuffle(true).seed(seed).numWorkers(1).build();
        Optimizer optimizer = new Adam(model.parameters(), lr);
        // the learning rate follows a cosine from lr down to 0 over the whole run, one scheduler step per batch
        CosineAnnealingLR schedule = new CosineAnnealingLR(optimizer, epochs * loader.size());
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        double acc = 0;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            model.train();
            long t0 = System.nanoTime();
            double lossSum = 0;
            try (ProgressBar bar = ProgressBar.builder(loader.size()).prefix("epoch " + epoch + "/" + epochs).build()) {
                for (Batch b : loader) {
                    optimizer.zeroGrad();
                    Tensor loss = criterion.forward(model.forward(b.get(0)), b.get(1));
                    loss.backward();
                    optimizer.step();
                    schedule.step();
                    double l = loss.item();
                    lossSum += l;
                    bar.advance(l, b.batchSize());
                }
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            acc = accuracy(model, testX, testY);
            System.out.printf("epoch %d: loss %.4f, %.0f samples/s, test accuracy %.4f%n", epoch,
                    lossSum / loader.size(), trainX.size(0) / secs, acc);
        }
        if (saveDir != null) {
            ModelIO.save(model, saveDir);
            Module reloaded = ModelIO.load(saveDir);
            NDArray before = predict(model, testX);
            NDArray after = predict(reloaded, testX);
            if (!before.equals(after)) {
                throw new IllegalStateException(name + ": the reloaded model from " + saveDir
                        + " predicts differently from the trained one");
            }
            System.out.printf("saved to %s; reloaded model predicts the same %,d test labels (accuracy %.4f)%n",
                    saveDir, testX.size(0), accuracy(reloaded, testX, testY));
        }
        return acc;
    }

    /** Predicted classes of x in eval mode, batches of 1024, no graph. */
    public static NDArray predict(Module model, NDArray x) {
        model.eval();
        NDArray[] parts = new NDArray[(x.size(0) + 1023) / 1024];
        try (Autograd.Scope s = Autograd.inferenceMode()) {
            for (int i = 0, p = 0; i < x.size(0); i += 1024, p++) {
                int len = Math.min(1024, x.size(0) - i);
                parts[p] = model.forward(Tensor.of(x.narrow(0, i, len))).data().argmax(1, false);
            }
        }
        return NDArray.cat(0, parts);
    }

    /** Test accuracy of {@code model} (left in eval mode) on (x, y). */
    public static double accuracy(Module model, NDArray x, NDArray y) {
        return Metrics.accuracy(predict(model, x), y);
    }
}
