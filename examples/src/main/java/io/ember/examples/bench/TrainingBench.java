package io.ember.examples.bench;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.examples.CharLstmExample;
import io.ember.examples.Classifier;
import io.ember.examples.FashionMnist;
import io.ember.examples.Models;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Module;
import io.ember.optim.Adam;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training workloads of ../shared/PROTOCOL.md (mlp, cnn, infer, lstm), the same work as
 * {@code examples/bench/torch_bench.py} does in PyTorch: batches of 64 taken from a seeded permutation of the
 * training set (the last partial batch dropped), Adam lr 1e-3, cross-entropy on logits.
 */
final class TrainingBench {
    private static FashionMnist data;
    private static Module trainedMlp;

    private TrainingBench() {
    }

    private static FashionMnist data() throws Exception {
        if (data == null) {
            data = FashionMnist.load(System.getenv("FMNIST_DIR"));
            System.err.println("bench: Fashion-MNIST from " + data.dir);
        }
        return data;
    }

    /** zeroGrad, forward, loss, backward, step over batches of 64 from a seeded permutation, as the user writes it. */
    static final class Stepper {
        final Module model;
        final NDArray x;
        final NDArray y;
        final Adam optimizer;
        final CrossEntropyLoss criterion = new CrossEntropyLoss();
        final Generator g;
        long[] perm;
        int pos;

        Stepper(Module model, NDArray x, NDArray y, long seed) {
            this.model = model;
            this.x = x;
            this.y = y;
            this.optimizer = new Adam(model.parameters(), 1e-3);
            this.g = new Generator(seed);
        }

        double step() {
            if (perm == null || pos + 64 > perm.length) {
                perm = NDArray.randperm(x.size(0), g).toLongArray();
                pos = 0;
            }
            NDArray idx = NDArray.of(java.util.Arrays.copyOfRange(perm, pos, pos + 64), 64);
            pos += 64;
            optimizer.zeroGrad();
            Tensor loss = criterion.forward(model.forward(Tensor.of(x.indexSelect(0, idx))),
                    Tensor.of(y.indexSelect(0, idx)));
            loss.backward();
            optimizer.step();
            return loss.item();
        }
    }

    static void mlp(boolean quick) throws Exception {
        FashionMnist d = data();
        Generator.manualSeed(0);
        Module model = Models.mlp();
        Stepper s = new Stepper(model, d.trainImages, d.trainLabels, 42);
        int perEpoch = quick ? 20 : d.trainImages.size(0) / 64;
        for (int i = 0; i < (quick ? 5 : 50); i++) {
            s.step();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < perEpoch; i++) {
            s.step();
        }
        double first = perEpoch * 64 / ((System.nanoTime() - t0) / 1e9);
        for (int i = 0; i < perEpoch; i++) {
            s.step();
        }
        t0 = System.nanoTime();
        for (int i = 0; i < perEpoch; i++) {
            s.step();
        }
        double third = perEpoch * 64 / ((System.nanoTime() - t0) / 1e9);
        Bench.print("mlp_train_sps", first);
        Bench.print("mlp_train_sps_steady", third);
        Bench.print("mlp_acc_e3", Classifier.accuracy(model, d.testImages, d.testLabels));
        trainedMlp = model;
    }

    static void infer(boolean quick) throws Exception {
        FashionMnist d = data();
        Module model = trainedMlp;
        if (model == null) {
            Generator.manualSeed(0);
            model = Models.mlp();
        }
        model.eval();
        NDArray x = d.testImages;
        Module m = model;
        Runnable pass = () -> {
            try (Autograd.Scope s = Autograd.inferenceMode()) {
                for (int i = 0; i < x.size(0); i += 1024) {
                    m.forward(Tensor.of(x.narrow(0, i, Math.min(1024, x.size(0) - i))));
                }
            }
        };
        pass.run();
        double total = 0;
        for (int r = 0; r < 5; r++) {
            long t0 = System.nanoTime();
            pass.run();
            total += (System.nanoTime() - t0) / 1e9;
        }
        Bench.print("infer_sps", x.size(0) / (total / 5));
    }

    static void cnn(boolean quick) throws Exception {
        FashionMnist d = data();
        Generator.manualSeed(0);
        Module model = Models.cnn();
        NDArray x = d.trainImages.reshape(-1, 1, 28, 28);
        Stepper s = new Stepper(model, x, d.trainLabels, 42);
        int warm = quick ? 2 : 20;
        int timed = quick ? 5 : 300;
        for (int i = 0; i < warm; i++) {
            s.step();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < timed; i++) {
            s.step();
        }
        Bench.print("cnn_train_sps", timed * 64 / ((System.nanoTime() - t0) / 1e9));
        int epoch = quick ? warm + timed : x.size(0) / 64;
        for (int i = warm + timed; i < epoch; i++) {
            s.step();
        }
        Bench.print("cnn_acc_e1", Classifier.accuracy(model, d.testImages.reshape(-1, 1, 28, 28), d.testLabels));
    }

    static void lstm(boolean quick) throws Exception {
        String text = Files.readString(Path.of("/usr/share/common-licenses/GPL-3"), StandardCharsets.UTF_8);
        String vocab = CharLstmExample.vocabulary(text);
        long[] ids = CharLstmExample.encode(text, vocab);
        NDArray all = NDArray.of(ids, ids.length);
        Generator.manualSeed(0);
        Models.CharLstm model = new Models.CharLstm(vocab.length(), 64, 256, 1, false, 0);
        Adam optimizer = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Generator g = new Generator(42);
        int seq = 64;
        int batch = 32;
        Runnable step = () -> {
            NDArray[] xy = CharLstmExample.windows(all, seq, batch, g);
            optimizer.zeroGrad();
            Tensor logits = model.forward(Tensor.of(xy[0]));
            Tensor loss = criterion.forward(logits.reshape(-1, vocab.length()),
                    Tensor.of(xy[1].reshape(-1)));
            loss.backward();
            optimizer.step();
        };
        int warm = quick ? 2 : 10;
        int timed = quick ? 5 : 100;
        for (int i = 0; i < warm; i++) {
            step.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < timed; i++) {
            step.run();
        }
        Bench.print("lstm_train_tps", (double) timed * batch * seq / ((System.nanoTime() - t0) / 1e9));
    }
}
