package io.ember.io;

import io.ember.nn.Module;
import io.ember.optim.Optimizer;
import io.ember.optim.lr.LRScheduler;
import io.ember.optim.OptimizerState;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A training checkpoint: model weights, optimizer state, scheduler state, epoch and step, the random generators'
 * states and any extra JSON-able values, so that a resumed run continues exactly as if it had not stopped.
 *
 * <pre>{@code
 * Checkpoint.save(file, model, optimizer, scheduler.stateDict(), epoch, step, Map.of("bestLoss", 0.3));
 * // later, into freshly built objects:
 * Checkpoint ck = Checkpoint.load(file);
 * ck.restore(model, optimizer, scheduler::loadStateDict);
 * long epoch = ck.epoch();
 * }</pre>
 *
 * <p>The file is one safetensors file, written atomically: tensors {@code "model/<key>"} (the state dict) and
 * {@code "optimizer/<key>"} (the {@link OptimizerState#tensors()} of {@link Optimizer#stateDict()}), and
 * {@code __metadata__}
 * {@code {"format": "ember-checkpoint", "version": "1", "checkpoint": "<json>"}} where the JSON is
 * {@code {"epoch": e, "step": s, "rng": {"global": state, "generators": [state, ...]}, "optimizer": meta or null,
 * "scheduler": map or null, "extra": map}}. Numbers read back as {@code Long} (integers) or {@code Double}.
 */
public final class Checkpoint {
    static final String FORMAT = "ember-checkpoint";
    static final String VERSION = "1";
    private static final String MODEL = "model/";
    private static final String OPTIMIZER = "optimizer/";

    private final Map<String, NDArray> modelState;
    private final OptimizerState optimizerState;
    private final Map<String, Object> schedulerState;
    private final long epoch;
    private final long step;
    private final Map<String, Object> extra;
    private final long globalRng;
    private final List<Long> generatorStates;

    private Checkpoint(Map<String, NDArray> modelState, OptimizerState optimizerState,
            Map<String, Object> schedulerState, long epoch, long step, Map<String, Object> extra, long globalRng,
            List<Long> generatorStates) {
        this.modelState = modelState;
        this.optimizerState = optimizerState;
        this.schedulerState = schedulerState;
        this.epoch = epoch;
        this.step = step;
        this.extra = extra;
        this.globalRng = globalRng;
        this.generatorStates = generatorStates;
    }

    // ------------------------------------------------------------------ saving

    /**
     * Saves a checkpoint atomically. {@code optimizer}, {@code scheduler} (the scheduler's {@code stateDict()}, a
     * JSON-able map) and {@code extra} may be null; the global generator's state is always saved, and so are those of
     * {@code generators} (restore them in the same order).
     */
    public static void saveRaw(Path file, Module model, Optimizer optimizer, Map<String, Object> scheduler,
            long epoch, long step, Map<String, Object> extra, Generator... generators) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Map<String, String> meta = prepare(model, optimizer == null ? null : optimizer.stateDict(), scheduler, epoch,
                step, extra, generators, tensors);
        SafeTensors.write(file, tensors, meta);
    }

    /**
     * Saves a checkpoint atomically: the model, the optimizer and scheduler (either may be null), epoch, step,
     * {@code extra} (JSON-able, may be null), the global generator's state and those of {@code generators}.
     * {@link #saveRaw} takes a scheduler's state dict instead (e.g. {@code ReduceLROnPlateau}'s).
     */
    public static void save(Path file, Module model, Optimizer optimizer, LRScheduler scheduler, long epoch,
            long step, Map<String, Object> extra, Generator... generators) {
        saveRaw(file, model, optimizer, scheduler == null ? null : scheduler.stateDict(), epoch, step, extra,
                generators);
    }

    /** Writes a checkpoint to a stream (see {@link #saveRaw(Path, Module, Optimizer, Map, long, long, Map,
     * Generator...)}). */
    public static void save(OutputStream out, Module model, Optimizer optimizer, Map<String, Object> scheduler,
            long epoch, long step, Map<String, Object> extra, Generator... generators) throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        Map<String, String> meta = prepare(model, optimizer == null ? null : optimizer.stateDict(), scheduler, epoch,
                step, extra, generators, tensors);
        SafeTensors.write(out, tensors, meta);
    }

    private static Map<String, String> prepare(Module model, OptimizerState optimizer, Map<String, Object> scheduler,
            long epoch, long step, Map<String, Object> extra, Generator[] generators, Map<String, NDArray> tensors) {
        if (model == null) {
            throw new IllegalArgumentException("Checkpoint.save: model is null");
        }
        for (Map.Entry<String, NDArray> e : model.stateDict().entrySet()) {
            tensors.put(MODEL + e.getKey(), e.getValue());
        }
        if (optimizer != null && optimizer.tensors() != null) {
            for (Map.Entry<String, NDArray> e : optimizer.tensors().entrySet()) {
                tensors.put(OPTIMIZER + e.getKey(), e.getValue());
            }
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("epoch", epoch);
        root.put("step", step);
        Map<String, Object> rng = new LinkedHashMap<>();
        rng.put("global", Generator.global().state());
        List<Long> states = new ArrayList<>();
        for (Generator g : generators) {
            if (g == null) {
                throw new IllegalArgumentException("Checkpoint.save: generator " + states.size() + " is null");
            }
            states.add(g.state());
        }
        rng.put("generators", states);
        root.put("rng", rng);
        root.put("optimizer", optimizer == null ? null
                : optimizer.meta() == null ? new LinkedHashMap<>() : optimizer.meta());
        root.put("scheduler", scheduler);
        root.put("extra", extra == null ? new LinkedHashMap<>() : extra);
        String json;
        try {
            json = Json.write(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Checkpoint.save: " + e.getMessage()
                    + " (optimizer meta, scheduler state and extra must be JSON-able)", e);
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", VERSION);
        meta.put("checkpoint", json);
        return meta;
    }

    // ------------------------------------------------------------------ loading

    /** Reads and checks a checkpoint file; nothing is restored until {@link #restore}. */
    public static Checkpoint load(Path file) {
        try {
            return parse(SafeTensors.read(file), file.toString());
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("Checkpoint.load")) {
                throw e;
            }
            throw new IllegalArgumentException("Checkpoint.load: " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads and checks a checkpoint from a stream. */
    public static Checkpoint load(InputStream in) throws IOException {
        SafeTensors.Contents c;
        try {
            c = SafeTensors.read(in);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Checkpoint.load: " + e.getMessage(), e);
        }
        return parse(c, "stream");
    }

    @SuppressWarnings("unchecked")
    private static Checkpoint parse(SafeTensors.Contents c, String what) {
        String prefix = "Checkpoint.load: " + what + ": ";
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new IllegalArgumentException(prefix + "not an Ember checkpoint (__metadata__ format is "
                    + c.metadata().get("format") + ", expected " + FORMAT + ")");
        }
        if (!VERSION.equals(c.metadata().get("version"))) {
            throw new IllegalArgumentException(prefix + "unsupported checkpoint version " + c.metadata().get("version")
                    + " (this Ember reads version " + VERSION + ")");
        }
        Map<String, Object> root;
        try {
            root = Json.parseObject(c.metadata().getOrDefault("checkpoint", ""));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(prefix + "checkpoint metadata: " + e.getMessage(), e);
        }
        long epoch = longField(root, "epoch", prefix);
        long step = longField(root, "step", prefix);
        if (!(root.get("rng") instanceof Map<?, ?> rng)) {
            throw new IllegalArgumentException(prefix + "\"rng\" must be an object, found "
                    + Json.typeOf(root.get("rng")));
        }
        long global = longField((Map<String, Object>) rng, "global", prefix + "rng: ");
        if (!(rng.get("generators") instanceof List<?> gens)) {
            throw new IllegalArgumentException(prefix + "rng.generators must be an array");
        }
        List<Long> states = new ArrayList<>();
        for (Object g : gens) {
            if (!(g instanceof Long l)) {
                throw new IllegalArgumentException(prefix + "rng.generators must hold integers, found " + gens);
            }
            states.add(l);
        }
        Object opt = root.get("optimizer");
        Object sched = root.get("scheduler");
        Object extra = root.get("extra");
        if (opt != null && !(opt instanceof Map)) {
            throw new IllegalArgumentException(prefix + "\"optimizer\" must be an object or null, found "
                    + Json.typeOf(opt));
        }
        if (sched != null && !(sched instanceof Map)) {
            throw new IllegalArgumentException(prefix + "\"scheduler\" must be an object or null, found "
                    + Json.typeOf(sched));
        }
        if (!(extra instanceof Map)) {
            throw new IllegalArgumentException(prefix + "\"extra\" must be an object, found " + Json.typeOf(extra));
        }
        Map<String, NDArray> model = new LinkedHashMap<>();
        Map<String, NDArray> optTensors = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : c.tensors().entrySet()) {
            if (e.getKey().startsWith(MODEL)) {
                model.put(e.getKey().substring(MODEL.length()), e.getValue());
            } else if (e.getKey().startsWith(OPTIMIZER)) {
                optTensors.put(e.getKey().substring(OPTIMIZER.length()), e.getValue());
            } else {
                throw new IllegalArgumentException(prefix + "tensor '" + e.getKey()
                        + "' is neither model/ nor optimizer/ state");
            }
        }
        if (opt == null && !optTensors.isEmpty()) {
            throw new IllegalArgumentException(prefix + "optimizer tensors " + optTensors.keySet()
                    + " but no optimizer state");
        }
        OptimizerState os = opt == null ? null
                : new OptimizerState((Map<String, Object>) opt, Collections.unmodifiableMap(optTensors));
        return new Checkpoint(Collections.unmodifiableMap(model), os, (Map<String, Object>) sched, epoch, step,
                (Map<String, Object>) extra, global, List.copyOf(states));
    }

    private static long longField(Map<String, Object> m, String key, String prefix) {
        if (!(m.get(key) instanceof Long l)) {
            throw new IllegalArgumentException(prefix + "\"" + key + "\" must be an integer, found "
                    + Json.typeOf(m.get(key)));
        }
        return l;
    }

    // ------------------------------------------------------------------ restoring

    /**
     * Restores everything into existing objects: the model's weights (strict: same keys and shapes), the optimizer
     * ({@link Optimizer#loadStateDict}) and the scheduler (its {@code loadStateDict(Map)}; either may be null to
     * skip it), the global generator's
     * state and the given generators' (as many, in the order saved). Everything that can be checked is checked first;
     * if the optimizer or scheduler rejects its state, the model's weights are put back and nothing else is changed
     * (the optimizer's {@code loadStateDict} changes nothing when it fails; the scheduler's should do the same).
     */
    public void restore(Module model, Optimizer optimizer, LRScheduler scheduler, Generator... generators) {
        restoreRaw(model, optimizer, scheduler == null ? null : scheduler::loadStateDict, generators);
    }

    /** {@link #restore(Module, Optimizer, LRScheduler, Generator...)} with the scheduler's loader as a function. */
    public void restoreRaw(Module model, Optimizer optimizer, Consumer<Map<String, Object>> scheduler,
            Generator... generators) {
        if (model == null) {
            throw new IllegalArgumentException("Checkpoint.restore: model is null");
        }
        if (generators.length != generatorStates.size()) {
            throw new IllegalArgumentException("Checkpoint.restore: the checkpoint holds " + generatorStates.size()
                    + " generator states besides the global one, got " + generators.length + " generators");
        }
        if (optimizer != null && optimizerState == null) {
            throw new IllegalArgumentException("Checkpoint.restore: an optimizer was given but the checkpoint holds"
                    + " no optimizer state");
        }
        if (scheduler != null && schedulerState == null) {
            throw new IllegalArgumentException("Checkpoint.restore: a scheduler was given but the checkpoint holds"
                    + " no scheduler state");
        }
        Map<String, NDArray> before = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.stateDict().entrySet()) {
            before.put(e.getKey(), e.getValue().clone());
        }
        ModelIO.loadStrict(model, modelState, "Checkpoint.restore");
        try {
            if (scheduler != null) {
                scheduler.accept(schedulerState);
            }
            if (optimizer != null) {
                optimizer.loadStateDict(optimizerState);
            }
        } catch (RuntimeException e) {
            model.loadStateDict(before, true);
            throw e;
        }
        Generator.global().setState(globalRng);
        for (int i = 0; i < generators.length; i++) {
            generators[i].setState(generatorStates.get(i));
        }
    }

    /** Restores only the model's weights (strict). */
    public void restoreModel(Module model) {
        ModelIO.loadStrict(model, modelState, "Checkpoint.restore");
    }

    /** The saved epoch. */
    public long epoch() {
        return epoch;
    }

    /** The saved step. */
    public long step() {
        return step;
    }

    /** The extra values saved with the checkpoint. */
    public Map<String, Object> extra() {
        return extra;
    }

    /** The model's state dict as saved. */
    public Map<String, NDArray> modelState() {
        return modelState;
    }

    /** The optimizer's state as saved, or null. */
    public OptimizerState optimizerState() {
        return optimizerState;
    }

    /** The scheduler's state as saved, or null. */
    public Map<String, Object> schedulerState() {
        return schedulerState;
    }
}
