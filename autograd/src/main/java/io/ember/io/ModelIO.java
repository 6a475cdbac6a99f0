package io.ember.io;

import io.ember.nn.Module;
import io.ember.nn.ModuleRegistry;
import io.ember.tensor.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Saves and loads whole models (architecture and weights) and state dicts, without running any code from the file.
 *
 * <p>A saved model is a directory holding two files:
 *
 * <pre>
 * model.json         {"format": "ember-model", "version": 1, "type": "Net", "config": {...},
 *                     "weights": "model.safetensors", "saveId": "&lt;uuid&gt;"}
 * model.safetensors  the state dict (parameters and persistent buffers by dotted name), with
 *                    __metadata__ {"format": "ember-model", "saveId": "&lt;uuid&gt;"}
 * </pre>
 *
 * <p>{@code type} and {@code config} come from {@link Module#typeName()} and {@link Module#config()} (a container's
 * config lists its children's {@code {type, config}}); loading rebuilds the module with
 * {@link ModuleRegistry#create}, so a type name is only ever looked up among registered factories, never taken as a
 * Java class. Each file is written atomically; the weights first, then the JSON, and the shared {@code saveId}
 * catches a pair mixed from two saves. Loading checks that the weights match the rebuilt module exactly (no missing
 * or extra tensor, same shapes) and returns the model only when all of it loaded.
 */
public final class ModelIO {
    /** The architecture file's name inside a model directory. */
    public static final String MODEL_JSON = "model.json";
    /** The weights file's name inside a model directory. */
    public static final String WEIGHTS = "model.safetensors";
    static final String FORMAT = "ember-model";
    static final long VERSION = 1;
    private static final long MAX_JSON_BYTES = 16L << 20;

    private ModelIO() {
    }

    // ------------------------------------------------------------------ whole models

    /** Saves a model's architecture and weights into {@code dir} (created if needed). */
    public static void save(Module model, Path dir) {
        String json = architecture(model, UUID.randomUUID().toString());
        String saveId = (String) Json.parseObject(json).get("saveId");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelIO.save: could not create " + dir + ": " + e.getMessage(), e);
        }
        SafeTensors.write(dir.resolve(WEIGHTS), model.stateDict(), weightsMetadata(saveId));
        AtomicFiles.write(dir.resolve(MODEL_JSON), out -> out.write(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** Writes a model to two streams (the JSON and the weights), for storage other than NIO paths. */
    public static void save(Module model, OutputStream modelJson, OutputStream weights) throws IOException {
        String json = architecture(model, UUID.randomUUID().toString());
        SafeTensors.write(weights, model.stateDict(), weightsMetadata((String) Json.parseObject(json).get("saveId")));
        modelJson.write(json.getBytes(StandardCharsets.UTF_8));
        modelJson.flush();
    }

    /** Loads a model saved by {@link #save(Module, Path)}. */
    public static Module load(Path dir) {
        Path jsonFile = dir.resolve(MODEL_JSON);
        Path weightsFile = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(jsonFile)) {
            throw new IllegalArgumentException("ModelIO.load: " + dir + " holds no " + MODEL_JSON
                    + " (is it a model directory written by ModelIO.save?)");
        }
        String json = AtomicFiles.readText(jsonFile, MAX_JSON_BYTES);
        Module model = build(json, jsonFile.toString());
        SafeTensors.Contents weights;
        try {
            weights = SafeTensors.read(weightsFile);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ModelIO.load: " + weightsFile + ": " + e.getMessage(), e);
        }
        return fill(model, json, weights, weightsFile.toString());
    }

    /**
     * The model's two files in memory: {@code [0]} the architecture JSON, {@code [1]} the safetensors weights (what
     * travels to Spark executors).
     */
    public static byte[][] toBytes(Module model) {
        java.io.ByteArrayOutputStream json = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream weights = new java.io.ByteArrayOutputStream();
        try {
            save(model, json, weights);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new byte[][] {json.toByteArray(), weights.toByteArray()};
    }

    /** A model from the two files of {@link #toBytes}. */
    public static Module fromBytes(byte[] modelJson, byte[] weights) {
        try {
            return load(new java.io.ByteArrayInputStream(modelJson), new java.io.ByteArrayInputStream(weights));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a model from its two streams (see {@link #save(Module, OutputStream, OutputStream)}). */
    public static Module load(InputStream modelJson, InputStream weights) throws IOException {
        String json = AtomicFiles.readText(modelJson, MAX_JSON_BYTES, MODEL_JSON);
        Module model = build(json, MODEL_JSON);
        SafeTensors.Contents contents;
        try {
            contents = SafeTensors.read(weights);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ModelIO.load: " + WEIGHTS + ": " + e.getMessage(), e);
        }
        return fill(model, json, contents, WEIGHTS);
    }

    static String architecture(Module model, String saveId) {
        if (model == null) {
            throw new IllegalArgumentException("ModelIO.save: model is null");
        }
        Map<String, Object> config = model.config();
        String type = model.typeName();
        if (config == null) {
            throw new IllegalArgumentException("ModelIO.save: " + model.getClass().getSimpleName()
                    + " has no config(), so its architecture cannot be saved; override config() (and typeName()) and"
                    + " register it with ModuleRegistry.register, or save the weights only with"
                    + " ModelIO.saveStateDict");
        }
        if (!ModuleRegistry.isRegistered(type)) {
            throw new IllegalArgumentException("ModelIO.save: module type '" + type + "' is not registered, so it"
                    + " could not be loaded again; register it with ModuleRegistry.register, or save the weights only"
                    + " with ModelIO.saveStateDict");
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("type", type);
        try {
            root.put("config", Json.parseObject(Json.write(config))); // checks it is JSON-able now, not at load
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ModelIO.save: config() of '" + type + "' is not JSON-able: "
                    + e.getMessage(), e);
        }
        root.put("weights", WEIGHTS);
        root.put("saveId", saveId);
        return Json.write(root);
    }

    private static Map<String, String> weightsMetadata(String saveId) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("saveId", saveId);
        return meta;
    }

    @SuppressWarnings("unchecked")
    static Module build(String json, String what) {
        Map<String, Object> root;
        try {
            root = Json.parseObject(json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ModelIO.load: " + what + ": " + e.getMessage(), e);
        }
        if (!FORMAT.equals(root.get("format"))) {
            throw new IllegalArgumentException("ModelIO.load: " + what + ": expected \"format\": \"" + FORMAT
                    + "\", found " + Json.typeOf(root.get("format")) + describe(root.get("format")));
        }
        if (!Long.valueOf(VERSION).equals(root.get("version"))) {
            throw new IllegalArgumentException("ModelIO.load: " + what + ": unsupported version " + root.get("version")
                    + " (this Ember reads version " + VERSION + ")");
        }
        if (!(root.get("type") instanceof String type) || type.isEmpty()) {
            throw new IllegalArgumentException("ModelIO.load: " + what + ": \"type\" must be a non-empty string, found "
                    + Json.typeOf(root.get("type")));
        }
        if (!(root.get("config") instanceof Map)) {
            throw new IllegalArgumentException("ModelIO.load: " + what + ": \"config\" must be an object, found "
                    + Json.typeOf(root.get("config")));
        }
        Map<String, Object> config = (Map<String, Object>) root.get("config");
        if (!ModuleRegistry.isRegistered(type)) {
            try {
                ModuleRegistry.create(type, config); // fails with the registry's message listing known types
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ModelIO.load: " + what + ": " + e.getMessage(), e);
            }
        }
        Module m;
        try {
            m = ModuleRegistry.create(type, config);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("ModelIO.load: " + what + ": could not build module type '" + type
                    + "' from config " + Json.write(config) + ": " + e, e);
        }
        if (m == null) {
            throw new IllegalArgumentException("ModelIO.load: " + what + ": the factory of module type '" + type
                    + "' returned null");
        }
        return m;
    }

    private static String describe(Object v) {
        return v instanceof String s ? " \"" + s + "\"" : "";
    }

    private static Module fill(Module model, String json, SafeTensors.Contents weights, String what) {
        Object saveId = Json.parseObject(json).get("saveId");
        String fileId = weights.metadata().get("saveId");
        if (saveId != null && fileId != null && !saveId.equals(fileId)) {
            throw new IllegalArgumentException("ModelIO.load: " + what + " comes from another save than "
                    + MODEL_JSON + " (saveId " + fileId + " != " + saveId + ")");
        }
        loadStrict(model, weights.tensors(), "ModelIO.load: " + what);
        return model;
    }

    // ------------------------------------------------------------------ state dicts

    /** Saves a module's state dict (parameters and persistent buffers) as one safetensors file, atomically. */
    public static void saveStateDict(Module model, Path file) {
        SafeTensors.write(file, model.stateDict(), Map.of("format", "ember-state-dict"));
    }

    /**
     * Loads a safetensors file into a module's parameters and buffers, strictly: a missing or extra tensor or a shape
     * mismatch fails naming it, and then nothing is changed.
     */
    public static void loadStateDict(Module model, Path file) {
        SafeTensors.Contents c;
        try {
            c = SafeTensors.read(file);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ModelIO.loadStateDict: " + file + ": " + e.getMessage(), e);
        }
        loadStrict(model, c.tensors(), "ModelIO.loadStateDict: " + file);
    }

    static void loadStrict(Module model, Map<String, NDArray> state, String what) {
        try {
            model.loadStateDict(state, true);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }
}
