package io.ember.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.optim.Adam;
import io.ember.optim.Optimizer;
import io.ember.optim.ParamGroup;
import io.ember.optim.SGD;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    private static final int N = 10;
    private static final int K = 4;
    private static final NDArray X = NDArray.randn(new Generator(123), 32, 3);
    private static final NDArray Y = NDArray.randn(new Generator(321), 32, 2);

    @TempDir
    Path dir;

    /** A step-decay learning-rate scheduler with a JSON-able state, as a user would write one. */
    static final class StepDecay {
        long count;

        void step(Optimizer opt) {
            count++;
            for (ParamGroup g : opt.paramGroups()) {
                g.setLr(0.05 * Math.pow(0.5, count / 3));
            }
        }

        Map<String, Object> stateDict() {
            return Map.of("count", count);
        }

        void loadStateDict(Map<String, Object> state) {
            count = ((Number) state.get("count")).longValue();
        }
    }

    /** One training run's objects. */
    static final class Run {
        final TestNets.Mlp model;
        final Adam opt;
        final StepDecay sched = new StepDecay();
        final Generator noise;

        Run(long modelSeed, long noiseSeed) {
            model = new TestNets.Mlp(3, 4, 2, modelSeed);
            opt = new Adam(model.parameters(), 0.05);
            noise = new Generator(noiseSeed);
        }

        /** A step on a batch drawn with the global generator, inputs jittered with the run's own generator. */
        void step() {
            NDArray idx = NDArray.randint(Generator.global(), 0, 32, 8);
            Tensor x = Tensor.of(X.indexSelect(0, idx).add(NDArray.randn(noise, 8, 3).mul(0.01)));
            Tensor y = Tensor.of(Y.indexSelect(0, idx));
            Tensor loss = model.forward(x).sub(y).pow(2).mean();
            opt.zeroGrad();
            loss.backward();
            opt.step();
            sched.step(opt);
        }

        List<float[]> params() {
            List<float[]> out = new ArrayList<>();
            for (Tensor p : model.parameters()) {
                out.add(p.toFloatArray());
            }
            return out;
        }
    }

    private static List<float[]> straight() {
        Generator.manualSeed(42);
        Run r = new Run(7, 5);
        for (int i = 0; i < N; i++) {
            r.step();
        }
        return r.params();
    }

    /** K steps, save, load into fresh objects with the RNGs scrambled, N - K more steps. */
    private List<float[]> resumed(boolean restoreOptimizer) {
        Generator.manualSeed(42);
        Run a = new Run(7, 5);
        for (int i = 0; i < K; i++) {
            a.step();
        }
        Path file = dir.resolve("ck.safetensors");
        Checkpoint.saveRaw(file, a.model, a.opt, a.sched.stateDict(), 1, K, Map.of("note", "halfway"), a.noise);

        Generator.manualSeed(999);
        Run b = new Run(1, 77);
        Checkpoint ck = Checkpoint.load(file);
        ck.restoreRaw(b.model, restoreOptimizer ? b.opt : null, b.sched::loadStateDict, b.noise);
        assertEquals(K, ck.step());
        assertEquals(1, ck.epoch());
        for (long s = ck.step(); s < N; s++) {
            b.step();
        }
        return b.params();
    }

    private static boolean bitwiseEqual(List<float[]> x, List<float[]> y) {
        for (int i = 0; i < x.size(); i++) {
            float[] a = x.get(i);
            float[] b = y.get(i);
            for (int j = 0; j < a.length; j++) {
                if (Float.floatToRawIntBits(a[j]) != Float.floatToRawIntBits(b[j])) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void resume_freshObjects_continuesBitwiseAsIfUninterrupted() {
        List<float[]> want = straight();
        List<float[]> got = resumed(true);
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), 0f, "parameter " + i);
        }
        assertTrue(bitwiseEqual(want, got));
    }

    @Test
    void resume_withoutOptimizerState_diverges() {
        // the control that shows the equality above is not vacuous: Adam's moments matter
        assertFalse(bitwiseEqual(straight(), resumed(false)));
    }

    @Test
    void resume_withoutGeneratorState_diverges() {
        List<float[]> want = straight();
        Generator.manualSeed(42);
        Run a = new Run(7, 5);
        for (int i = 0; i < K; i++) {
            a.step();
        }
        Path file = dir.resolve("ck.safetensors");
        Checkpoint.saveRaw(file, a.model, a.opt, a.sched.stateDict(), 0, K, null, a.noise);
        Run b = new Run(1, 77);
        Checkpoint ck = Checkpoint.load(file);
        ck.restoreRaw(b.model, b.opt, b.sched::loadStateDict, b.noise);
        Generator.manualSeed(999); // as if the global state had not been restored
        for (int i = K; i < N; i++) {
            b.step();
        }
        assertFalse(bitwiseEqual(want, b.params()));
    }

    @Test
    void save_fileLayout_isSafetensorsWithDocumentedNamesAndMetadata() {
        Generator.manualSeed(3);
        Run r = new Run(7, 5);
        r.step();
        Path file = dir.resolve("ck.safetensors");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("bestLoss", 0.125);
        extra.put("tags", List.of("a", "b"));
        Checkpoint.saveRaw(file, r.model, r.opt, r.sched.stateDict(), 2, 17, extra, r.noise);
        SafeTensors.Contents c = SafeTensors.read(file);
        assertEquals(List.of("model/w1", "model/b1", "model/w2", "model/b2", "model/calls", "optimizer/state.0.expAvg",
                "optimizer/state.0.expAvgSq", "optimizer/state.1.expAvg", "optimizer/state.1.expAvgSq",
                "optimizer/state.2.expAvg", "optimizer/state.2.expAvgSq", "optimizer/state.3.expAvg",
                "optimizer/state.3.expAvgSq"), List.copyOf(c.tensors().keySet()));
        assertEquals("ember-checkpoint", c.metadata().get("format"));
        assertEquals("1", c.metadata().get("version"));
        Map<String, Object> json = Json.parseObject(c.metadata().get("checkpoint"));
        assertEquals(2L, json.get("epoch"));
        assertEquals(17L, json.get("step"));
        assertEquals(Map.of("global", Generator.global().state(), "generators", List.of(r.noise.state())),
                json.get("rng"));
        assertEquals(Map.of("count", 1L), json.get("scheduler"));
        assertEquals(extra, json.get("extra"));
        assertEquals("Adam", ((Map<?, ?>) json.get("optimizer")).get("optimizer"));

        Checkpoint ck = Checkpoint.load(file);
        assertEquals(extra, ck.extra());
        assertEquals(Map.of("count", 1L), ck.schedulerState());
        assertArrayEquals(r.model.w1.toFloatArray(), ck.modelState().get("w1").toFloatArray());
    }

    @Test
    void saveLoad_streamsAndNoOptimizer_roundTrip() throws IOException {
        TestNets.Mlp m = new TestNets.Mlp(3, 4, 2, 7);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Checkpoint.save(out, m, null, null, 0, 0, null);
        Checkpoint ck = Checkpoint.load(new ByteArrayInputStream(out.toByteArray()));
        assertNull(ck.optimizerState());
        assertNull(ck.schedulerState());
        assertEquals(Map.of(), ck.extra());
        TestNets.Mlp other = new TestNets.Mlp(3, 4, 2, 1);
        ck.restore(other, null, null);
        assertArrayEquals(m.w2.toFloatArray(), other.w2.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ck.restore(other, new Adam(other.parameters(), 0.1), null));
        assertEquals("Checkpoint.restore: an optimizer was given but the checkpoint holds no optimizer state",
                e.getMessage());
    }

    @Test
    void restore_mismatches_failAndChangeNothing() {
        Generator.manualSeed(8);
        Run r = new Run(7, 5);
        r.step();
        Path file = dir.resolve("ck.safetensors");
        Checkpoint.saveRaw(file, r.model, r.opt, r.sched.stateDict(), 0, 1, null, r.noise);
        Checkpoint ck = Checkpoint.load(file);
        Generator.manualSeed(1234);

        TestNets.Mlp wrongShape = new TestNets.Mlp(3, 5, 2, 1);
        float[] before = wrongShape.w1.toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ck.restore(wrongShape, null, null, new Generator(0)));
        assertEquals("Checkpoint.restore: loadStateDict: 'w1' has shape [3, 4] in the state dict but [3, 5] in the"
                + " module", e.getMessage());
        assertArrayEquals(before, wrongShape.w1.toFloatArray());

        e = assertThrows(IllegalArgumentException.class, () -> ck.restore(new TestNets.Mlp(3, 4, 2, 1), null, null));
        assertEquals("Checkpoint.restore: the checkpoint holds 1 generator states besides the global one, got 0"
                + " generators", e.getMessage());

        // the optimizer rejects the state (saved from Adam, restored into SGD): the model's weights are put back
        TestNets.Mlp fresh = new TestNets.Mlp(3, 4, 2, 1);
        float[] freshW1 = fresh.w1.toFloatArray();
        SGD sgd = new SGD(fresh.parameters(), 0.1);
        e = assertThrows(IllegalArgumentException.class, () -> ck.restore(fresh, sgd, null, new Generator(0)));
        assertTrue(e.getMessage().contains("Adam"), e.getMessage());
        assertArrayEquals(freshW1, fresh.w1.toFloatArray());
        assertEquals(1234, Generator.global().state(), "global generator untouched");
    }

    @Test
    void load_notACheckpointOrCorrupted_fails() throws IOException {
        Path weights = dir.resolve("w.safetensors");
        ModelIO.saveStateDict(new TestNets.Mlp(3, 4, 2, 1), weights);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(weights));
        assertEquals("Checkpoint.load: " + weights + ": not an Ember checkpoint (__metadata__ format is"
                + " ember-state-dict, expected ember-checkpoint)", e.getMessage());

        Path file = dir.resolve("ck.safetensors");
        Checkpoint.save(file, new TestNets.Mlp(3, 4, 2, 1), null, null, 0, 0, null);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 1));
        e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().startsWith("Checkpoint.load: " + file + ": file truncated: header says "),
                e.getMessage());
    }

    @Test
    void save_nonJsonExtra_failsAndKeepsPreviousFile() throws IOException {
        Path file = dir.resolve("ck.safetensors");
        TestNets.Mlp m = new TestNets.Mlp(3, 4, 2, 1);
        Checkpoint.save(file, m, null, null, 0, 5, null);
        byte[] before = Files.readAllBytes(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Checkpoint.save(file, m, null, null, 0, 6, Map.of("loss", Double.NaN)));
        assertEquals("Checkpoint.save: Json.write: NaN at $.extra.loss has no JSON form (optimizer meta, scheduler"
                + " state and extra must be JSON-able)", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(5, Checkpoint.load(file).step());
    }
}
