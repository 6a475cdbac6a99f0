package io.ember.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.nn.Module;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelIOTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void registerTypes() {
        TestNets.register();
    }

    private static Tensor input() {
        return Tensor.randn(new Generator(99), 5, 3);
    }

    private static void assertSameBits(Tensor a, Tensor b) {
        float[] x = a.toFloatArray();
        float[] y = b.toFloatArray();
        assertEquals(x.length, y.length);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), "element " + i);
        }
    }

    /** A trained-looking model: weights differ from what the factory (seed 1) builds. */
    private static TestNets.Mlp model() {
        TestNets.Mlp m = new TestNets.Mlp(3, 4, 2, 7L);
        m.b2.data().copyFrom(NDArray.of(new float[] {0.25f, -1.5f}, 2));
        m.stateDict().get("calls").copyFrom(NDArray.of(new long[] {41}, 1));
        return m;
    }

    @Test
    void saveLoad_registeredModule_predictsIdentically() {
        TestNets.Mlp m = model();
        ModelIO.save(m, dir.resolve("mlp"));
        Module back = ModelIO.load(dir.resolve("mlp"));
        assertInstanceOf(TestNets.Mlp.class, back);
        assertNotSame(m, back);
        assertSameBits(m.forward(input()), back.forward(input()));
        assertArrayEquals(new long[] {41}, back.stateDict().get("calls").toLongArray());
        // and the factory alone (seed 1) would have predicted differently: the weights did come from the file
        Module fresh = new TestNets.Mlp(3, 4, 2, 1L);
        assertTrue(!java.util.Arrays.equals(m.forward(input()).toFloatArray(), fresh.forward(input()).toFloatArray()));
    }

    @Test
    void save_writesDocumentedFiles() throws IOException {
        ModelIO.save(model(), dir.resolve("mlp"));
        Map<String, Object> json = Json.parseObject(AtomicFiles.readText(dir.resolve("mlp/model.json"), 1 << 20));
        assertEquals("ember-model", json.get("format"));
        assertEquals(1L, json.get("version"));
        assertEquals(TestNets.MLP, json.get("type"));
        assertEquals(Map.of("in", 3L, "hidden", 4L, "out", 2L), json.get("config"));
        assertEquals("model.safetensors", json.get("weights"));
        SafeTensors.Contents w = SafeTensors.read(dir.resolve("mlp/model.safetensors"));
        assertEquals(List.of("w1", "b1", "w2", "b2", "calls"), List.copyOf(w.tensors().keySet()));
        assertEquals(json.get("saveId"), w.metadata().get("saveId"));
        assertEquals("ember-model", w.metadata().get("format"));
        try (var files = Files.list(dir.resolve("mlp"))) {
            assertEquals(2, files.count(), "no temporary files left");
        }
    }

    @Test
    void saveLoad_containerOfRegisteredModules_roundTrips() {
        TestNets.Stack s = new TestNets.Stack(List.of(new TestNets.Mlp(3, 4, 3, 5L), new TestNets.Mlp(3, 2, 2, 6L)));
        ModelIO.save(s, dir.resolve("stack"));
        Module back = ModelIO.load(dir.resolve("stack"));
        assertInstanceOf(TestNets.Stack.class, back);
        assertEquals(List.copyOf(s.stateDict().keySet()), List.copyOf(back.stateDict().keySet()));
        assertSameBits(s.forward(input()), back.forward(input()));
    }

    @Test
    void saveLoad_streams_roundTrip() throws IOException {
        TestNets.Mlp m = model();
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        ByteArrayOutputStream weights = new ByteArrayOutputStream();
        ModelIO.save(m, json, weights);
        Module back = ModelIO.load(new ByteArrayInputStream(json.toByteArray()),
                new ByteArrayInputStream(weights.toByteArray()));
        assertSameBits(m.forward(input()), back.forward(input()));
    }

    @Test
    void save_moduleWithoutConfig_failsSayingWhatToDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.save(new TestNets.Unsaveable(), dir.resolve("u")));
        assertEquals("ModelIO.save: Unsaveable has no config(), so its architecture cannot be saved; override config()"
                + " (and typeName()) and register it with ModuleRegistry.register, or save the weights only with"
                + " ModelIO.saveStateDict", e.getMessage());
        assertTrue(Files.notExists(dir.resolve("u")));
    }

    @Test
    void save_unregisteredType_fails() {
        Module m = new TestNets.Mlp(3, 4, 2, 1L) {
            @Override
            public String typeName() {
                return "NotRegistered";
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.save(m, dir));
        assertTrue(e.getMessage().startsWith("ModelIO.save: module type 'NotRegistered' is not registered"),
                e.getMessage());
    }

    private int edits;

    /** A freshly saved model directory whose model.json has been edited. */
    private Path edited(java.util.function.UnaryOperator<String> edit) throws IOException {
        Path d = dir.resolve("edited" + edits++);
        ModelIO.save(model(), d);
        Path json = d.resolve("model.json");
        Files.writeString(json, edit.apply(Files.readString(json)));
        return d;
    }

    @Test
    void load_javaClassAsType_isJustAnUnknownType() throws IOException {
        Path d = edited(j -> j.replace(TestNets.MLP, "java.lang.ProcessBuilder"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.load(d));
        assertTrue(e.getMessage().startsWith("ModelIO.load: " + d.resolve("model.json")
                + ": ModuleRegistry: unknown module type 'java.lang.ProcessBuilder'; registered: ["), e.getMessage());
        assertTrue(e.getMessage().endsWith("Register user modules with ModuleRegistry.register"), e.getMessage());
    }

    @Test
    void load_configThatChangesShapes_failsNamingTensorAndShapes() throws IOException {
        Path d = edited(j -> j.replace("\"hidden\":4", "\"hidden\":5"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.load(d));
        assertEquals("ModelIO.load: " + d.resolve("model.safetensors") + ": loadStateDict: 'w1' has shape [3, 4] in"
                + " the state dict but [3, 5] in the module", e.getMessage());
    }

    @Test
    void load_missingOrExtraTensor_fails() throws IOException {
        Path d = dir.resolve("m");
        TestNets.Mlp m = model();
        ModelIO.save(m, d);
        String saveId = SafeTensors.read(d.resolve("model.safetensors")).metadata().get("saveId");
        Map<String, NDArray> state = new LinkedHashMap<>(m.stateDict());
        state.remove("b1");
        state.put("extra.weight", NDArray.zeros(2));
        SafeTensors.write(d.resolve("model.safetensors"), state, Map.of("format", "ember-model", "saveId", saveId));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.load(d));
        assertEquals("ModelIO.load: " + d.resolve("model.safetensors") + ": loadStateDict: state dict does not match"
                + " Mlp; missing keys [b1]; unexpected keys [extra.weight]", e.getMessage());
    }

    @Test
    void load_weightsFromAnotherSave_fails() throws IOException {
        ModelIO.save(model(), dir.resolve("a"));
        ModelIO.save(model(), dir.resolve("b"));
        Files.copy(dir.resolve("b/model.safetensors"), dir.resolve("a/model.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.load(dir.resolve("a")));
        assertTrue(e.getMessage().contains("comes from another save than model.json"), e.getMessage());
    }

    @Test
    void load_truncatedWeights_failsNamingFile() throws IOException {
        Path d = dir.resolve("t");
        ModelIO.save(model(), d);
        Path w = d.resolve("model.safetensors");
        byte[] all = Files.readAllBytes(w);
        Files.write(w, java.util.Arrays.copyOf(all, all.length - 10));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelIO.load(d));
        long n = java.nio.ByteBuffer.wrap(all).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        long data = all.length - 8 - n;
        assertEquals("ModelIO.load: " + w + ": file truncated: header says " + data + " bytes of data, file has "
                + (data - 10), e.getMessage());
    }

    @Test
    void load_badModelJson_failsClearly() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.load(edited(j -> j.substring(0, 20))));
        assertTrue(e.getMessage().contains("model.json: Json.parse: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.load(edited(j -> j.replace("\"version\":1", "\"version\":2"))));
        assertTrue(e.getMessage().endsWith("model.json: unsupported version 2 (this Ember reads version 1)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.load(edited(j -> j.replace("ember-model", "pickle"))));
        assertTrue(e.getMessage().endsWith(
                "model.json: expected \"format\": \"ember-model\", found a string \"pickle\""),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.load(edited(j -> j.replace("\"hidden\":4", "\"hidden\":\"four\""))));
        assertTrue(e.getMessage().contains("model.json: could not build module type 'io.test.Mlp' from config"
                + " {\"in\":3,\"hidden\":\"four\",\"out\":2}: java.lang.ClassCastException"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelIO.load(dir.resolve("nowhere")));
        assertEquals("ModelIO.load: " + dir.resolve("nowhere") + " holds no model.json (is it a model directory"
                + " written by ModelIO.save?)", e.getMessage());
    }

    @Test
    void stateDict_roundTripAndStrictFailureLeavesModelUnchanged() throws IOException {
        TestNets.Mlp m = model();
        Path f = dir.resolve("w.safetensors");
        ModelIO.saveStateDict(m, f);
        TestNets.Mlp other = new TestNets.Mlp(3, 4, 2, 1L);
        ModelIO.loadStateDict(other, f);
        assertSameBits(m.forward(input()), other.forward(input()));

        TestNets.Mlp wrong = new TestNets.Mlp(3, 6, 2, 1L);
        float[] before = wrong.forward(input()).toFloatArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelIO.loadStateDict(wrong, f));
        assertEquals("ModelIO.loadStateDict: " + f + ": loadStateDict: 'w1' has shape [3, 4] in the state dict but"
                + " [3, 6] in the module", e.getMessage());
        assertArrayEquals(before, wrong.forward(input()).toFloatArray());
        Files.write(f, "garbage!".getBytes(StandardCharsets.UTF_8));
        e = assertThrows(IllegalArgumentException.class, () -> ModelIO.loadStateDict(other, f));
        assertTrue(e.getMessage().startsWith("ModelIO.loadStateDict: " + f + ": corrupted header: header length "),
                e.getMessage());
    }
}
