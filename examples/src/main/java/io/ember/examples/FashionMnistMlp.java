package io.ember.examples;

/**
 * Fashion-MNIST with the PROTOCOL MLP (784 -> 256 -> 128 -> 10), Adam with cosine decay, batch 64: trains, prints
 * test accuracy, saves the model, reloads it and checks it predicts the same. Run:
 * {@code examples/example.sh mlp --help}.
 */
public final class FashionMnistMlp {
    private FashionMnistMlp() {
    }

    public static void main(String[] argv) throws Exception {
        Classifier.main("mlp", argv, 10, 1e-3, Models::mlp, x -> x);
    }
}
