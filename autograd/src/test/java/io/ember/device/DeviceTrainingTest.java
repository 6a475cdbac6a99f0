package io.ember.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.ember.autograd.Tensor;
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
import io.ember.nn.Loss;
import io.ember.nn.MSELoss;
import io.ember.nn.MaxPool2d;
import io.ember.nn.Module;
import io.ember.nn.ReLU;
import io.ember.nn.Sequential;
import io.ember.nn.Tanh;
import io.ember.optim.Adam;
import io.ember.optim.AdamW;
import io.ember.optim.Optimizer;
import io.ember.optim.SGD;
import io.ember.tensor.Device;
import io.ember.tensor.Generator;
import io.ember.tensor.MemoryScope;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Training on a (simulated) CUDA device equals training on the CPU, keeps every array on the device, and, with each
 * step in a {@link MemoryScope}, releases the step's temporaries and holds flat memory. The simulated device runs
 * the CPU kernels behind non-host storage (see {@link SimulatedDevice}), so any code path that reaches into host
 * arrays, mixes devices, or loses a live array to a scope fails here without a GPU.
 */
class DeviceTrainingTest {
    private static final Device DEV = Device.cuda(0);

    /** Runs {@code steps} training steps and returns the parameters afterwards (host copies) and per-step facts. */
    private record Run(List<float[]> params, long[] live, long[] transfers) {
    }

    private static Run train(Supplier<Module> make, Function<Module, Optimizer> opt, Tensor x, Tensor y, Loss loss,
            Device device, int steps) {
        Module m = make.get();
        m.to(device);
        Optimizer o = opt.apply(m);
        Tensor xd = x.to(device);
        Tensor yd = y.to(device);
        long[] live = new long[steps];
        long[] transfers = new long[steps];
        for (int s = 0; s < steps; s++) {
            long t0 = SimulatedDevice.transfers();
            try (MemoryScope scope = MemoryScope.open()) {
                o.zeroGrad();
                Tensor l = loss.forward(m.forward(xd), yd);
                l.backward();
                o.step();
                assertTrue(Double.isFinite(l.item()));
                assertTrue(device.isCpu() || scope.size() > 0, "the step made no device temporaries");
            }
            live[s] = SimulatedDevice.live() - io.ember.tensor.DeviceConstants.size();
            transfers[s] = SimulatedDevice.transfers() - t0;
        }
        for (Tensor p : m.parameters()) {
            assertEquals(device, p.device(), "a parameter left the device");
            if (p.grad() != null) {
                assertEquals(device, p.grad().device(), "a gradient is not on the parameter's device");
            }
        }
        return new Run(m.parameters().stream().map(p -> p.data().toFloatArray()).toList(), live, transfers);
    }

    private static void check(String what, Supplier<Module> make, Function<Module, Optimizer> opt, Tensor x,
            Tensor y, Loss loss, int maxTransfersPerStep) {
        int steps = 4;
        Run cpu = train(make, opt, x, y, loss, Device.CPU, steps);
        Run dev = train(make, opt, x, y, loss, DEV, steps);
        assertEquals(cpu.params().size(), dev.params().size());
        for (int i = 0; i < cpu.params().size(); i++) {
            float[] a = cpu.params().get(i);
            float[] b = dev.params().get(i);
            for (int k = 0; k < a.length; k++) {
                if (Math.abs(a[k] - b[k]) > 1e-5 + 1e-4 * Math.abs(a[k])) {
                    fail(what + ": parameter " + i + " element " + k + " is " + b[k] + " on the device and " + a[k]
                            + " on the CPU");
                }
            }
        }
        // memory is flat from the second step on: the scope gave back every temporary. Allowed copies per step: the
        // loss's one (targets checked, weights summed), loss.item(), an embedding's index check, a dropout mask.
        for (int s = 2; s < steps; s++) {
            assertEquals(dev.live()[1], dev.live()[s], what + ": live device arrays after step " + s);
        }
        for (int s = 1; s < steps; s++) {
            assertTrue(dev.transfers()[s] <= maxTransfersPerStep, what + ": " + dev.transfers()[s]
                    + " host<->device copies in step " + s + " (at most " + maxTransfersPerStep + " expected)");
        }
    }

    private static Function<Module, Optimizer> adam() {
        return m -> new Adam(m.parameters(), 1e-2);
    }

    @Test
    void mlp_adam_sameAsCpu() {
        Generator g = new Generator(1);
        Tensor x = Tensor.randn(g, 16, 20);
        Tensor y = Tensor.randint(g, 0, 5, 16);
        check("mlp", () -> new Sequential(new Linear(20, 32, true, new Generator(7)), new ReLU(),
                new Linear(32, 5, true, new Generator(8))), adam(), x, y, new CrossEntropyLoss(), 2);
    }

    @Test
    void cnn_sgdMomentum_sameAsCpu() {
        Generator g = new Generator(2);
        Tensor x = Tensor.randn(g, 4, 1, 8, 8);
        Tensor y = Tensor.randint(g, 0, 3, 4);
        check("cnn", () -> {
            io.ember.tensor.Generator.global().manualSeed(11);
            return new Sequential(new Conv2d(1, 4, 3, 1, 1), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2),
                    new Flatten(), new Linear(4 * 4 * 4, 3));
        }, m -> new SGD(m.parameters(), new SGD.Options().lr(0.05).momentum(0.9).nesterov(true)), x, y,
                new CrossEntropyLoss(), 2);
    }

    @Test
    void normsDropoutGelu_adamw_sameAsCpu() {
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, 8, 6);
        Tensor y = Tensor.randn(g, 8, 2);
        check("norms", () -> new Sequential(new Linear(6, 12, false, new Generator(5)), new BatchNorm1d(12),
                new GELU(), new Dropout(0.3, new Generator(9)), new LayerNorm(12), new Tanh(),
                new Linear(12, 2, true, new Generator(6))),
                m -> new AdamW(m.parameters(), 1e-2), x, y, new MSELoss(), 2);
    }

    /** Embedding, LSTM and GRU: the PROTOCOL char model's shape, small. */
    static final class Recurrent extends Module {
        final Embedding emb;
        final LSTM lstm;
        final GRU gru;
        final Linear head;

        Recurrent() {
            emb = registerModule("emb", new Embedding(11, 6, null, new Generator(21)));
            io.ember.tensor.Generator.global().manualSeed(22);
            lstm = registerModule("lstm", new LSTM(6, 8, 2, true, true, 0.0, false));
            gru = registerModule("gru", new GRU(8, 5, 1, true, true, 0.0, true));
            head = registerModule("head", new Linear(10, 11, true, new Generator(23)));
        }

        @Override
        public Tensor forward(Tensor ids) {
            return head.forward(gru.forward(lstm.forward(emb.forward(ids)))).reshape(-1, 11);
        }
    }

    @Test
    void embeddingLstmGru_adam_sameAsCpu() {
        Generator g = new Generator(4);
        Tensor ids = Tensor.randint(g, 0, 11, 3, 7);
        Tensor y = Tensor.randint(g, 0, 11, 21);
        check("recurrent", Recurrent::new, adam(), ids, y, new CrossEntropyLoss(), 3);
    }

    @Test
    void mixingDevices_failsNamingBoth() {
        Tensor a = Tensor.ones(3).to(DEV);
        Tensor b = Tensor.ones(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("cuda:0") && e.getMessage().contains("cpu"), e.getMessage());
        Linear l = new Linear(3, 2);
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> l.forward(a.reshape(1, 3)));
        assertTrue(e2.getMessage().contains("different devices"), e2.getMessage());
    }

    @Test
    void scope_releasesTemporaries_keepsWhatIsKept_andFailsOnUseAfterRelease() {
        Tensor w = Tensor.ones(4).to(DEV);
        long before = SimulatedDevice.live() - io.ember.tensor.DeviceConstants.size();
        Tensor kept;
        Tensor lost;
        try (MemoryScope s = MemoryScope.open()) {
            Tensor t = w.mul(2).add(1);
            lost = t.mul(3);
            kept = t.sub(1);
            MemoryScope.keep(kept.data());
            assertTrue(s.size() >= 3, "tracked " + s.size());
        }
        assertEquals(before + 1, SimulatedDevice.live() - io.ember.tensor.DeviceConstants.size(),
                "only the kept array outlives the scope");
        assertEquals(8.0, kept.sum().item(), 0.0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> lost.sum().item());
        assertTrue(e.getMessage().contains("released"), e.getMessage());
        assertEquals(16.0, w.mul(4).sum().item(), 0.0, "arrays made before the scope are untouched");
    }

    @Test
    void moduleTo_movesParametersAndBuffers() {
        Sequential m = new Sequential(new Linear(3, 2), new BatchNorm1d(2));
        m.to(DEV);
        m.namedParameters().forEach((k, p) -> assertEquals(DEV, p.device(), k));
        m.namedBuffers().forEach((k, b) -> assertEquals(DEV, b.device(), k));
        m.to(Device.CPU);
        m.namedParameters().forEach((k, p) -> assertEquals(Device.CPU, p.device(), k));
    }
}
