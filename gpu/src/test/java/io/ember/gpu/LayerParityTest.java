package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.nn.AvgPool2d;
import io.ember.nn.BatchNorm1d;
import io.ember.nn.BatchNorm2d;
import io.ember.nn.Conv2d;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Dropout;
import io.ember.nn.Embedding;
import io.ember.nn.Flatten;
import io.ember.nn.GELU;
import io.ember.nn.GRU;
import io.ember.nn.LSTM;
import io.ember.nn.LayerNorm;
import io.ember.nn.Linear;
import io.ember.nn.LogSoftmax;
import io.ember.nn.Loss;
import io.ember.nn.MSELoss;
import io.ember.nn.MaxPool2d;
import io.ember.nn.Module;
import io.ember.nn.NLLLoss;
import io.ember.nn.RNNBase;
import io.ember.nn.ReLU;
import io.ember.nn.Sequential;
import io.ember.nn.SiLU;
import io.ember.nn.Sigmoid;
import io.ember.nn.Softmax;
import io.ember.nn.Tanh;
import io.ember.optim.Adam;
import io.ember.optim.Optimizer;
import io.ember.tensor.Device;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every layer and loss run twice, on the CPU and on cuda:0, from the same weights (one module built, its state dict
 * loaded into a second built the same way, which is then moved with {@code module.to(device)}), on the same inputs
 * (moved with {@code tensor.to(device)} or laid out strided on the device): outputs, input gradients, parameter
 * gradients and buffers (running statistics) must agree within float32 rounding of the different summation orders
 * (rtol 1e-4). Then the PROTOCOL.md mlp and cnn train 5 Adam steps on each device.
 *
 * <p>Dropout draws its mask on the host ({@code io.ember.autograd.Dropout}: {@code NDArray.rand(g, ...)} then
 * {@code .to(x.device())}), so in training mode two generators with the same seed give both devices the same mask.
 * LSTM and GRU run their recurrence on the host for device inputs ({@code RecurrentFunctions.rnn} moves to the CPU
 * and back, differentiably), so they test the transfers and the surrounding ops.
 */
class LayerParityTest {
    private static final double RTOL = 1e-4;
    private static final double ATOL = 1e-5;

    /** A second module built like the first, with the first's parameters and buffers, on the device. */
    private static Module twin(Module cpu, Supplier<? extends Module> make, Device gpu) {
        Module g = make.get();
        g.loadStateDict(cpu.stateDict());
        g.train(cpu.isTraining());
        return g.to(gpu);
    }

    /** A float32 input on the device, contiguous or as a non-contiguous view (made without kernels). */
    private static NDArray onGpu(NDArray x, Device gpu, boolean strided) {
        return strided ? IndexParityTest.stridedOnGpu(x, gpu) : x.to(gpu);
    }

    private static void close(Tensor ref, Tensor gpu, String what) {
        assertNotNull(ref, what + ": no CPU value");
        assertNotNull(gpu, what + ": no GPU value");
        assertEquals(Device.CPU, ref.device(), what);
        assertTrue(!gpu.device().isCpu(), what + " is on " + gpu.device());
        GpuTests.assertClose(ref.data(), gpu.data(), RTOL, ATOL, what);
    }

    /** Parameter gradients and buffers of two twins. */
    private static void sameState(Module c, Module g, String what) {
        Map<String, Tensor> gp = g.namedParameters();
        for (Map.Entry<String, Tensor> e : c.namedParameters().entrySet()) {
            Tensor pc = e.getValue();
            Tensor pg = gp.get(e.getKey());
            if (pc.grad() == null) {
                assertEquals(null, pg.grad(), what + ": grad of " + e.getKey());
                continue;
            }
            close(pc.grad(), pg.grad(), what + ": grad of " + e.getKey());
        }
        Map<String, Tensor> gb = g.namedBuffers();
        for (Map.Entry<String, Tensor> e : c.namedBuffers().entrySet()) {
            if (e.getValue() != null) {
                Tensor bg = gb.get(e.getKey());
                GpuTests.assertClose(e.getValue().data(), bg.data(), RTOL, ATOL, what + ": buffer " + e.getKey());
            }
        }
    }

    /**
     * Forward and backward of a one-input layer on both devices, with an upstream gradient from a fixed seed;
     * compares output, input gradient, parameter gradients and buffers.
     */
    private static void check(String what, Supplier<? extends Module> make, boolean training, long seed,
            int... shape) {
        Device gpu = GpuTests.gpu();
        for (boolean strided : new boolean[] {false, true}) {
            String w = what + (strided ? " (strided input)" : "");
            Module c = make.get();
            c.train(training);
            Module g = twin(c, make, gpu);
            NDArray x = GpuTests.rand(seed, shape);
            Tensor xc = Tensor.of(x).requiresGrad(true);
            Tensor xg = Tensor.of(onGpu(x, gpu, strided)).requiresGrad(true);
            Tensor yc = c.forward(xc);
            Tensor yg = g.forward(xg);
            close(yc, yg, w + ": output");
            NDArray gy = GpuTests.rand(seed + 1, yc.sizes());
            yc.backward(Tensor.of(gy));
            yg.backward(Tensor.of(gy.to(gpu)));
            close(xc.grad(), xg.grad(), w + ": input grad");
            sameState(c, g, w);
        }
    }

    // --------------------------------------------------------------------------------------------------- layers

    @Test
    void linear() {
        check("Linear", () -> new Linear(20, 7), true, 1, 6, 20);
        check("Linear 3-D input", () -> new Linear(20, 7), true, 2, 2, 3, 20);
        check("Linear no bias", () -> new Linear(20, 7, false), true, 3, 6, 20);
    }

    @Test
    void conv2d() {
        check("Conv2d 3x3 pad 1", () -> new Conv2d(3, 4, 3, 1, 1), true, 10, 2, 3, 8, 8);
        check("Conv2d 3x3 stride 2", () -> new Conv2d(3, 4, 3, 2, 0), true, 11, 2, 3, 9, 9);
        check("Conv2d 3x2 stride 2x1 pad 1x0 dilation 1x2", () -> new Conv2d(3, 6, new int[] {3, 2},
                new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 1, true), true, 12, 2, 3, 7, 8);
        check("Conv2d groups 3 no bias", () -> new Conv2d(3, 6, new int[] {3, 3}, new int[] {1, 1},
                new int[] {1, 1}, new int[] {1, 1}, 3, false), true, 13, 2, 3, 6, 6);
    }

    @Test
    void pooling() {
        check("MaxPool2d 2", () -> new MaxPool2d(2), true, 20, 2, 3, 8, 8);
        check("MaxPool2d 3 stride 2 pad 1", () -> new MaxPool2d(3, 2, 1), true, 21, 2, 3, 9, 9);
        check("AvgPool2d 2", () -> new AvgPool2d(2), true, 22, 2, 3, 8, 8);
        check("AvgPool2d 3 stride 2 pad 1", () -> new AvgPool2d(3, 2, 1), true, 23, 2, 3, 9, 9);
    }

    /** Affine weights away from their 1/0 start, so their gradients and effect are not trivial. */
    private static <M extends Module> Supplier<M> randomAffine(Supplier<M> make, long seed) {
        return () -> {
            M m = make.get();
            Generator g = new Generator(seed);
            for (Tensor p : m.parameters()) {
                p.data().uniformInPlace(g, 0.5, 1.5);
            }
            return m;
        };
    }

    @Test
    void batchNorm_trainAndEval_runningStatsAfterSteps() {
        Supplier<BatchNorm1d> bn1 = randomAffine(() -> new BatchNorm1d(5), 30);
        Supplier<BatchNorm2d> bn2 = randomAffine(() -> new BatchNorm2d(3), 31);
        check("BatchNorm1d train", bn1, true, 32, 8, 5);
        check("BatchNorm1d train [N, C, L]", bn1, true, 33, 4, 5, 6);
        check("BatchNorm1d eval", bn1, false, 34, 8, 5);
        check("BatchNorm2d train", bn2, true, 35, 4, 3, 5, 5);
        check("BatchNorm2d eval", bn2, false, 36, 4, 3, 5, 5);
        check("BatchNorm2d cumulative average", randomAffine(() -> new BatchNorm2d(3, 1e-5, null, true, true), 37),
                true, 38, 4, 3, 5, 5);

        // several training steps, then evaluation with the running statistics gathered on each device
        Device gpu = GpuTests.gpu();
        BatchNorm2d c = bn2.get();
        Module g = twin(c, bn2, gpu);
        for (int s = 0; s < 3; s++) {
            NDArray x = GpuTests.rand(40 + s, 4, 3, 5, 5).mul(1 + s).add(0.5 * s);
            c.forward(Tensor.of(x));
            g.forward(Tensor.of(x.to(gpu)));
        }
        sameState(c, g, "BatchNorm2d after 3 steps");
        c.eval();
        g.eval();
        NDArray x = GpuTests.rand(44, 4, 3, 5, 5);
        close(c.forward(Tensor.of(x)), g.forward(Tensor.of(x.to(gpu))), "BatchNorm2d eval after steps");
    }

    @Test
    void layerNorm() {
        check("LayerNorm [10]", randomAffine(() -> new LayerNorm(10), 50), true, 51, 4, 6, 10);
        check("LayerNorm [6, 10]", randomAffine(() -> new LayerNorm(6, 10), 52), true, 53, 4, 6, 10);
    }

    @Test
    void embedding() {
        Device gpu = GpuTests.gpu();
        Object[][] cases = {{null, false}, {3, false}, {null, true}};
        for (Object[] k : cases) {
            Integer padding = (Integer) k[0];
            boolean strided = (Boolean) k[1];
            String what = "Embedding padding " + padding + (strided ? " (strided ids)" : "");
            Supplier<Embedding> make = () -> new Embedding(50, 16, padding);
            Embedding c = make.get();
            Module g = twin(c, make, gpu);
            NDArray ids = NDArray.randint(new Generator(60), 0, 50, 4, 9);
            ids.select(0, 0).select(0, 0).fillInPlace(3);
            ids.select(0, 1).select(0, 0).fillInPlace(3);
            Tensor yc = c.forward(Tensor.of(ids));
            Tensor yg = g.forward(Tensor.of(onGpu(ids, gpu, strided)));
            close(yc, yg, what + ": output");
            NDArray gy = GpuTests.rand(61, yc.sizes());
            yc.backward(Tensor.of(gy));
            yg.backward(Tensor.of(gy.to(gpu)));
            sameState(c, g, what);
        }
    }

    /** Output, final states, input and weight gradients of a recurrent layer. */
    private static void recurrent(String what, Supplier<? extends RNNBase> make, int... shape) {
        recurrent(what, make, false, shape);
        recurrent(what + " (strided input)", make, true, shape);
    }

    private static void recurrent(String what, Supplier<? extends RNNBase> make, boolean strided, int... shape) {
        Device gpu = GpuTests.gpu();
        RNNBase c = make.get();
        RNNBase g = (RNNBase) twin(c, make, gpu);
        NDArray x = GpuTests.rand(70, shape);
        Tensor xc = Tensor.of(x).requiresGrad(true);
        Tensor xg = Tensor.of(onGpu(x, gpu, strided)).requiresGrad(true);
        RNNBase.Output oc = c.forward(xc, null);
        RNNBase.Output og = g.forward(xg, null);
        close(oc.output(), og.output(), what + ": output");
        close(oc.hN(), og.hN(), what + ": hN");
        if (oc.cN() != null) {
            close(oc.cN(), og.cN(), what + ": cN");
        }
        NDArray gy = GpuTests.rand(71, oc.output().sizes());
        oc.output().backward(Tensor.of(gy));
        og.output().backward(Tensor.of(gy.to(gpu)));
        close(xc.grad(), xg.grad(), what + ": input grad");
        sameState(c, g, what);
    }

    @Test
    void lstmAndGru_oneAndTwoLayers_batchFirstOrNot() {
        for (int layers = 1; layers <= 2; layers++) {
            int l = layers;
            recurrent("LSTM " + l + " layers batchFirst", () -> new LSTM(8, 12, l, true, true, 0, false), 3, 5, 8);
            recurrent("LSTM " + l + " layers", () -> new LSTM(8, 12, l, true, false, 0, false), 5, 3, 8);
            recurrent("GRU " + l + " layers batchFirst", () -> new GRU(8, 12, l, true, true, 0, false), 3, 5, 8);
            recurrent("GRU " + l + " layers", () -> new GRU(8, 12, l, true, false, 0, false), 5, 3, 8);
        }
    }

    @Test
    void dropout_evalIsIdentity_trainWithTheSameSeedIsTheSameMask() {
        check("Dropout eval", () -> new Dropout(0.3), false, 80, 6, 10);
        check("Dropout train (host-drawn mask, same seed)", () -> new Dropout(0.3, new Generator(81)), true, 82, 6,
                10);
    }

    @Test
    void activations() {
        check("ReLU", ReLU::new, true, 90, 6, 10);
        check("GELU", GELU::new, true, 91, 6, 10);
        check("GELU tanh", () -> new GELU("tanh"), true, 92, 6, 10);
        check("Tanh", Tanh::new, true, 93, 6, 10);
        check("Sigmoid", Sigmoid::new, true, 94, 6, 10);
        check("SiLU", SiLU::new, true, 95, 6, 10);
        check("Softmax dim 1", () -> new Softmax(1), true, 96, 6, 10);
        check("Softmax dim 0", () -> new Softmax(0), true, 97, 6, 10);
        check("LogSoftmax dim 1", () -> new LogSoftmax(1), true, 98, 6, 10);
        check("LogSoftmax dim 0 of 3-D", () -> new LogSoftmax(0), true, 99, 4, 6, 10);
    }

    // ----------------------------------------------------------------------------------------------------- losses

    /** A loss of (input, target) on both devices: value, input gradient (upstream gradient for NONE). */
    private static void loss(String what, Supplier<? extends Loss> make, NDArray input, NDArray target,
            boolean strided) {
        Device gpu = GpuTests.gpu();
        Loss c = make.get();
        Module g = twin(c, make, gpu);
        Tensor xc = Tensor.of(input).requiresGrad(true);
        Tensor xg = Tensor.of(onGpu(input, gpu, strided)).requiresGrad(true);
        Tensor lc = c.forward(xc, Tensor.of(target));
        Tensor lg = ((Loss) g).forward(xg, Tensor.of(target.to(gpu)));
        close(lc, lg, what + ": value");
        if (lc.dim() == 0) {
            lc.backward();
            lg.backward();
        } else {
            NDArray gy = GpuTests.rand(5, lc.sizes());
            lc.backward(Tensor.of(gy));
            lg.backward(Tensor.of(gy.to(gpu)));
        }
        close(xc.grad(), xg.grad(), what + ": input grad");
    }

    private static NDArray classes(long seed, int high, int... shape) {
        return NDArray.randint(new Generator(seed), 0, high, shape);
    }

    @Test
    void crossEntropy_weightsSmoothingIgnoreAndReductions() {
        NDArray logits = GpuTests.rand(100, 8, 5).mul(3);
        NDArray target = classes(101, 5, 8);
        NDArray weight = GpuTests.rand(102, 5).add(1.5);
        NDArray ignored = target.clone();
        ignored.select(0, 2).fillInPlace(-100);
        for (boolean strided : new boolean[] {false, true}) {
            String s = strided ? " (strided)" : "";
            loss("CrossEntropy" + s, CrossEntropyLoss::new, logits, target, strided);
            loss("CrossEntropy weights" + s, () -> new CrossEntropyLoss(Tensor.of(weight), -100, 0, Reduction.MEAN),
                    logits, target, strided);
            loss("CrossEntropy smoothing" + s, () -> new CrossEntropyLoss(null, -100, 0.1, Reduction.MEAN), logits,
                    target, strided);
            loss("CrossEntropy weights smoothing sum" + s, () -> new CrossEntropyLoss(Tensor.of(weight), -100, 0.2,
                    Reduction.SUM), logits, target, strided);
            loss("CrossEntropy ignoreIndex" + s, CrossEntropyLoss::new, logits, ignored, strided);
            loss("CrossEntropy none" + s, () -> new CrossEntropyLoss(null, -100, 0, Reduction.NONE), logits, target,
                    strided);
        }
        loss("CrossEntropy [N, C, d]", CrossEntropyLoss::new, GpuTests.rand(103, 4, 5, 3), classes(104, 5, 4, 3),
                false);
    }

    @Test
    void nllLoss() {
        NDArray logp = GpuTests.rand(110, 8, 5).logSoftmax(1);
        NDArray target = classes(111, 5, 8);
        NDArray weight = GpuTests.rand(112, 5).add(1.5);
        loss("NLLLoss", NLLLoss::new, logp, target, false);
        loss("NLLLoss strided", NLLLoss::new, logp, target, true);
        loss("NLLLoss weights", () -> new NLLLoss(Tensor.of(weight), -100, Reduction.MEAN), logp, target, false);
        loss("NLLLoss sum", () -> new NLLLoss(null, -100, Reduction.SUM), logp, target, false);
    }

    @Test
    void mseLoss() {
        NDArray x = GpuTests.rand(120, 6, 4);
        NDArray y = GpuTests.rand(121, 6, 4);
        loss("MSELoss", MSELoss::new, x, y, false);
        loss("MSELoss strided", MSELoss::new, x, y, true);
        loss("MSELoss sum", () -> new MSELoss(Reduction.SUM), x, y, false);
        loss("MSELoss none", () -> new MSELoss(Reduction.NONE), x, y, false);
    }

    // ------------------------------------------------------------------------------------- the PROTOCOL.md models

    /** 784 -> 256 ReLU -> 128 ReLU -> 10 (examples' Models.mlp). */
    static Sequential mlp() {
        return new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(),
                new Linear(128, 10));
    }

    /** conv(1->32) ReLU pool -> conv(32->64) ReLU pool -> 3136 -> 128 ReLU -> 10 (examples' Models.cnn). */
    static Sequential cnn() {
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64 * 7 * 7, 128), new ReLU(), new Linear(128, 10));
    }

    /**
     * Five Adam steps (lr 1e-3, batch 64, cross-entropy) from the same weights on the same batches. Adam divides by
     * the gradient's running magnitude, so an element whose gradient is within rounding of 0 may move by up to lr
     * differently on the two devices; so: losses within 1e-4, parameters within 1e-4 except at most 1 in 10,000
     * elements, and none by more than 2 lr per step.
     */
    private static void train(String what, Supplier<Sequential> make, int... inputShape) {
        Device gpu = GpuTests.gpu();
        Sequential c = make.get();
        Module g = twin(c, make, gpu);
        Optimizer oc = new Adam(c.parameters(), 1e-3);
        Optimizer og = new Adam(g.parameters(), 1e-3);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        int steps = 5;
        for (int s = 0; s < steps; s++) {
            NDArray x = NDArray.rand(new Generator(200 + s), inputShape); // pixel-like values in [0, 1)
            NDArray y = classes(300 + s, 10, inputShape[0]);
            Tensor lc = lossFn.forward(c.forward(Tensor.of(x)), Tensor.of(y));
            Tensor lg = lossFn.forward(g.forward(Tensor.of(x.to(gpu))), Tensor.of(y.to(gpu)));
            assertEquals(lc.item(), lg.item(), 1e-4 * Math.max(1, Math.abs(lc.item())), what + ": loss at step " + s);
            oc.zeroGrad();
            og.zeroGrad();
            lc.backward();
            lg.backward();
            oc.step();
            og.step();
        }
        Map<String, Tensor> gp = g.namedParameters();
        for (Map.Entry<String, Tensor> e : c.namedParameters().entrySet()) {
            double[] r = e.getValue().data().toDoubleArray();
            double[] q = gp.get(e.getKey()).data().to(Device.CPU).toDoubleArray();
            int off = 0;
            double worst = 0;
            for (int i = 0; i < r.length; i++) {
                double d = Math.abs(r[i] - q[i]);
                worst = Math.max(worst, d);
                if (d > 1e-4 + 1e-4 * Math.abs(r[i])) {
                    off++;
                }
            }
            assertTrue(off <= Math.max(0, r.length / 10_000), what + ": " + off + " of " + r.length + " elements of "
                    + e.getKey() + " differ by more than 1e-4 after " + steps + " steps (worst " + worst + ")");
            assertTrue(worst <= 2 * 1e-3 * steps, what + ": " + e.getKey() + " differs by " + worst);
        }
    }

    @Test
    void protocolMlp_fiveAdamSteps() {
        train("mlp", LayerParityTest::mlp, 64, 784);
    }

    @Test
    void protocolCnn_fiveAdamSteps() {
        train("cnn", LayerParityTest::cnn, 64, 1, 28, 28);
    }
}
