package io.ember.examples;

import io.ember.tensor.Generator;
import io.ember.tensor.Threads;
import java.nio.file.Path;

/**
 * Fashion-MNIST with the PROTOCOL MLP (784 -> 256 -> 128 -> 10), Adam, batch 64: trains, prints test accuracy,
 * saves the model, reloads it and checks it predicts the same. Run: {@code examples/example.sh mlp --help}.
 */
public final class FashionMnistMlp {
    private FashionMnistMlp() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args("Fashion-MNIST MLP: examples/example.sh mlp [options]", argv)
                .option("epochs", "10", "training epochs")
                .option("data", null, "directory of the IDX .gz files (default: FMNIST_DIR, Debian's"
                        + " dataset-fashion-mnist, else the shipped sample)")
                .option("lr", "1e-3", "Adam learning rate")
                .option("batch", "64", "batch size")
                .option("seed", "42", "seed of the initial weights and the shuffling")
                .option("save", "target/fashion-mnist-mlp", "directory to save the model to")
                .parse();
        FashionMnist data = FashionMnist.load(a.get("data") != null ? a.get("data") : System.getenv("FMNIST_DIR"));
        System.out.printf("Fashion-MNIST from %s: %,d training, %,d test images; %d threads%n", data.dir,
                data.trainImages.size(0), data.testImages.size(0), Threads.get());
        Generator.manualSeed(a.getInt("seed"));
        double acc = Classifier.trainAndCheck("mlp", Models.mlp(), data.trainImages, data.trainLabels,
                data.testImages, data.testLabels, a.getInt("epochs"), a.getInt("batch"), a.getDouble("lr"),
                a.getInt("seed"), Path.of(a.get("save")));
        System.out.printf("final test accuracy %.4f%n", acc);
    }
}
