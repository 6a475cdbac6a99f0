package io.ember.examples.bench;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.examples.CharLstmExample;
import io.ember.examples.Classifier;
import io.ember.examples.FashionMnist;
import io.ember.examples.Models;
import io.ember.metrics.Metrics;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Module;
import io.ember.optim.Adam;
import io.ember.tensor.Device;
import io.ember.tensor.Generator;
import io.ember.tensor.MemoryScope;
import io.ember.tensor.NDArray;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training workloads of ../shared/PROTOCOL.md (mlp, cnn, infer, lstm), the same work as
 * {@code examples/bench/torch_bench.py} (CPU) and {@code examples/bench/torch_gpu_bench.py} (GPU) do in PyTorch:
 * batches of 64 taken from a seeded permutation of the training set (the last partial batch dropped), Adam lr 1e-3,
 * cross-entropy on logits.
 *
 * <p>On a GPU the model is moved to the device once ({@code model.to(device)}); each batch is gathered on the host
 * and moved with {@code .to(device)}; each step runs in a {@link MemoryScope}, so its temporaries go back to the
 * device allocator at the end of the step; timed spans start and end with {@link Device#synchronize()} (a no-op on
 * the CPU). This class touches no {@code io.ember.gpu} class: GPU-only figures come through {@link EpochProbe}.
 */
final class TrainingBench {
    private static FashionMnist data;
    private static Module trainedMlp;

    /** Called by {@link #mlp} after its first and third epochs (GpuBench reports the allocator's figures there). */
    interface EpochProbe {
        void afterEpoch(int epoch);

        EpochProbe NONE = epoch -> { };
    }

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
        final Device device;
        final Adam optimizer;
        final CrossEntropyLoss criterion = new CrossEntropyLoss();
        final Generator g;
        long[] perm;
        int pos;

        /** {@code model} is already on {@code device}; x and y are host arrays. */
        Stepper(Module model, NDArray x, NDArray y, Device device, long seed) {
            this.model = model;
            this.x = x;
            this.y = y;
            this.device = device;
            this.optimizer = new Adam(model.parameters(), 1e-3);
            this.g = new Generator(seed);
        }

        /**
         * One training step. The loss is not read back (as in torch_bench.py / torch_gpu_bench.py): on a GPU a read
         * would wait for the step to finish and serialise the host with the device.
         */
        void step() {
            if (perm == null || pos + 64 > perm.length) {
                perm = NDArray.randperm(x.size(0), g).toLongArray();
                pos = 0;
            }
            NDArray idx = NDArray.of(java.util.Arrays.copyOfRange(perm, pos, pos + 64), 64);
            pos += 64;
            try (MemoryScope s = MemoryScope.open()) {
                Tensor features = Tensor.of(x.indexSelect(0, idx).to(device));
                Tensor labels = Tensor.of(y.indexSelect(0, idx).to(device));
                optimizer.zeroGrad();
                Tensor loss = criterion.forward(model.forward(features), labels);
                loss.backward();
                optimizer.step();
            }
        }

        /** {@code n} steps, timed from a synchronized device to a synchronized device; returns seconds. */
        double timed(int n) {
            device.synchronize();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                step();
            }
            device.synchronize();
            return (System.nanoTime() - t0) / 1e9;
        }
    }

    /**
     * Test accuracy of {@code model} (left in eval mode), batches of 1024 moved to the model's device, predictions
     * read back to the host.
     */
    static double accuracy(Module model, NDArray x, NDArray y, Device device) {
        if (device.isCpu()) {
            return Classifier.accuracy(model, x, y);
        }
        model.eval();
        NDArray[] parts = new NDArray[(x.size(0) + 1023) / 1024];
        try (Autograd.Scope s = Autograd.inferenceMode()) {
            for (int i = 0, p = 0; i < x.size(0); i += 1024, p++) {
                try (MemoryScope m = MemoryScope.open()) {
                    NDArray batch = x.narrow(0, i, Math.min(1024, x.size(0) - i)).to(device);
                    parts[p] = model.forward(Tensor.of(batch)).data().argmax(1, false).to(Device.CPU);
                }
            }
        }
        return Metrics.accuracy(NDArray.cat(0, parts), y);
    }

    static void mlp(boolean quick) throws Exception {
        mlp(quick, Device.CPU, EpochProbe.NONE);
    }

    static void mlp(boolean quick, Device device, EpochProbe probe) throws Exception {
        FashionMnist d = data();
        Generator.manualSeed(0);
        Module model = Models.mlp().to(device);
        Stepper s = new Stepper(model, d.trainImages, d.trainLabels, device, 42);
        int perEpoch = quick ? 20 : d.trainImages.size(0) / 64;
        for (int i = 0; i < (quick ? 5 : 50); i++) {
            s.step();
        }
        double first = perEpoch * 64 / s.timed(perEpoch);
        probe.afterEpoch(1);
        for (int i = 0; i < perEpoch; i++) {
            s.step();
        }
        double third = perEpoch * 64 / s.timed(perEpoch);
        probe.afterEpoch(3);
        Bench.print("mlp_train_sps", first);
        Bench.print("mlp_train_sps_steady", third);
        Bench.print("mlp_acc_e3", accuracy(model, d.testImages, d.testLabels, device));
        trainedMlp = model;
    }

    static void infer(boolean quick) throws Exception {
        infer(quick, Device.CPU);
    }

    /** On a GPU the test set is moved to the device once, untimed: the figure is the model's, not the copy's. */
    static void infer(boolean quick, Device device) throws Exception {
        FashionMnist d = data();
        Module model = trainedMlp;
        if (model == null || !model.parameters().get(0).device().equals(device)) {
            Generator.manualSeed(0);
            model = Models.mlp().to(device);
        }
        model.eval();
        NDArray x = d.testImages.to(device);
        Module m = model;
        Runnable pass = () -> {
            try (Autograd.Scope s = Autograd.inferenceMode(); MemoryScope scope = MemoryScope.open()) {
                for (int i = 0; i < x.size(0); i += 1024) {
                    m.forward(Tensor.of(x.narrow(0, i, Math.min(1024, x.size(0) - i))));
                }
            }
            device.synchronize();
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
        cnn(quick, Device.CPU);
    }

    static void cnn(boolean quick, Device device) throws Exception {
        FashionMnist d = data();
        Generator.manualSeed(0);
        Module model = Models.cnn().to(device);
        NDArray x = d.trainImages.reshape(-1, 1, 28, 28);
        Stepper s = new Stepper(model, x, d.trainLabels, device, 42);
        int warm = quick ? 2 : 20;
        int timed = quick ? 5 : 300;
        for (int i = 0; i < warm; i++) {
            s.step();
        }
        Bench.print("cnn_train_sps", timed * 64 / s.timed(timed));
        int epoch = quick ? warm + timed : x.size(0) / 64;
        for (int i = warm + timed; i < epoch; i++) {
            s.step();
        }
        Bench.print("cnn_acc_e1", accuracy(model, d.testImages.reshape(-1, 1, 28, 28), d.testLabels, device));
    }

    static void lstm(boolean quick) throws Exception {
        lstm(quick, Device.CPU);
    }

    static void lstm(boolean quick, Device device) throws Exception {
        // LSTM_TEXT: the same GPL-3 text where /usr/share/common-licenses has none (tools/device-run.sh sets it)
        String path = System.getenv("LSTM_TEXT");
        Path file = Path.of(path == null || path.isBlank() ? "/usr/share/common-licenses/GPL-3" : path);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String vocab = CharLstmExample.vocabulary(text);
        long[] ids = CharLstmExample.encode(text, vocab);
        NDArray all = NDArray.of(ids, ids.length);
        Generator.manualSeed(0);
        Models.CharLstm model = new Models.CharLstm(vocab.length(), 64, 256, 1, false, 0);
        model.to(device);
        Adam optimizer = new Adam(model.parameters(), 1e-3);
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        Generator g = new Generator(42);
        int seq = 64;
        int batch = 32;
        Runnable step = () -> {
            NDArray[] xy = CharLstmExample.windows(all, seq, batch, g);
            try (MemoryScope s = MemoryScope.open()) {
                Tensor inputs = Tensor.of(xy[0].to(device));
                Tensor targets = Tensor.of(xy[1].to(device).reshape(-1));
                optimizer.zeroGrad();
                Tensor logits = model.forward(inputs);
                Tensor loss = criterion.forward(logits.reshape(-1, vocab.length()), targets);
                loss.backward();
                optimizer.step();
            }
        };
        int warm = quick ? 2 : 10;
        int timed = quick ? 5 : 100;
        for (int i = 0; i < warm; i++) {
            step.run();
        }
        device.synchronize();
        long t0 = System.nanoTime();
        for (int i = 0; i < timed; i++) {
            step.run();
        }
        device.synchronize();
        Bench.print("lstm_train_tps", (double) timed * batch * seq / ((System.nanoTime() - t0) / 1e9));
    }
}
