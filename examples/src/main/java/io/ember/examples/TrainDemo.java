package io.ember.examples;

import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;

/**
 * CPU training demo: the PROTOCOL MLP on Fashion-MNIST with Adam (lr 1e-3, batch 64), shuffled
 * with a fixed seed. Uses Debian's full dataset when installed, else the sample shipped in
 * {@code examples/data}. Arguments: {@code [epochs] [data dir]}.
 */
public final class TrainDemo {
    private TrainDemo() {
    }

    public static void main(String[] args) throws Exception {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        FashionMnist data = FashionMnist.load(args.length > 1 ? args[1] : System.getenv("FMNIST_DIR"));
        int n = data.trainImages.size(0);
        System.out.printf("Fashion-MNIST from %s: %d training, %d test images; %d threads%n", data.dir, n,
                data.testImages.size(0), Threads.get());
        Generator g = new Generator(42);
        RawMlp model = new RawMlp(new int[] {784, 256, 128, 10}, 1e-3, g);
        int batch = 64;
        for (int epoch = 1; epoch <= epochs; epoch++) {
            long[] order = NDArray.randperm(n, g).toLongArray();
            long t0 = System.nanoTime();
            double lossSum = 0;
            int steps = 0;
            for (int s = 0; s + batch <= n; s += batch) {
                NDArray idx = NDArray.of(java.util.Arrays.copyOfRange(order, s, s + batch));
                lossSum += model.trainStep(data.trainImages.indexSelect(0, idx), data.trainLabels.indexSelect(0, idx));
                steps++;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double acc = model.accuracy(data.testImages, data.testLabels, 1024);
            System.out.printf("epoch %d: loss %.4f, %.0f samples/s, test accuracy %.4f%n", epoch, lossSum / steps,
                    steps * batch / secs, acc);
        }
    }
}
