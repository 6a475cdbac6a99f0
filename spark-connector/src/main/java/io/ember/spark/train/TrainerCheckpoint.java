package io.ember.spark.train;

import io.ember.io.Json;
import io.ember.io.SafeTensors;
import io.ember.optim.OptimizerState;
import io.ember.tensor.NDArray;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The trainer's checkpoints on any Hadoop FileSystem (file://, hdfs://, s3a://, ...): after round r, a directory
 * {@code <dir>/round-<r>} holding {@code state.safetensors} (tensors {@code model/<key>}, and {@code optimizer/<key>}
 * or {@code optimizer.<partition>/<key>}; metadata {@code ember-trainer-checkpoint} JSON with the round, the
 * settings that must match on resume, the optimizer metas and the history) and an empty {@code _COMPLETE} marker
 * written last. A directory is written under a temporary name and renamed; only complete ones are read back. The
 * newest {@code keep} are kept.
 */
final class TrainerCheckpoint {
    static final String FORMAT = "ember-trainer-checkpoint";
    static final String STATE = "state.safetensors";
    static final String COMPLETE = "_COMPLETE";
    private static final String PREFIX = "round-";

    /** What a checkpoint holds. */
    record Contents(int round, Map<String, Object> settings, Map<String, NDArray> model, OptState shared,
            Map<Integer, OptState> perPartition, List<RoundStats> history) {
    }

    private final Path dir;
    private final FileSystem fs;

    TrainerCheckpoint(String dir, Configuration conf) {
        this.dir = new Path(dir);
        try {
            this.fs = this.dir.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("DistributedTrainer: cannot open checkpoint directory " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    Path dir() {
        return dir;
    }

    void write(Contents c, int keep) {
        String name = String.format("%s%06d", PREFIX, c.round());
        Path tmp = new Path(dir, "_tmp-" + name + "-" + UUID.randomUUID());
        Path target = new Path(dir, name);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        c.model().forEach((k, v) -> tensors.put("model/" + k, v));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("round", c.round());
        root.put("settings", c.settings());
        if (c.shared() != null) {
            OptimizerState s = c.shared().toState(1.0);
            s.tensors().forEach((k, v) -> tensors.put("optimizer/" + k, v));
            root.put("optimizer", s.meta());
        }
        if (c.perPartition() != null && !c.perPartition().isEmpty()) {
            Map<String, Object> metas = new LinkedHashMap<>();
            for (Map.Entry<Integer, OptState> e : new TreeMap<>(c.perPartition()).entrySet()) {
                OptimizerState s = e.getValue().toState(1.0);
                s.tensors().forEach((k, v) -> tensors.put("optimizer." + e.getKey() + "/" + k, v));
                metas.put(Integer.toString(e.getKey()), s.meta());
            }
            root.put("optimizerPerPartition", metas);
        }
        List<Object> history = new ArrayList<>();
        for (RoundStats r : c.history()) {
            history.add(java.util.Arrays.asList(r.round(), r.rounds(), r.epoch(), num(r.loss()), r.samples(),
                    r.seconds(), r.samplesPerSecond(), num(r.validationLoss()), num(r.validationAccuracy())));
        }
        root.put("history", history);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("version", "1");
        meta.put("checkpoint", Json.write(root));
        try {
            fs.mkdirs(tmp);
            try (OutputStream out = fs.create(new Path(tmp, STATE), true)) {
                SafeTensors.write(out, tensors, meta);
            }
            fs.create(new Path(tmp, COMPLETE), true).close();
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
            List<Path> all = complete();
            for (int i = 0; i < all.size() - keep; i++) {
                fs.delete(all.get(i), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("DistributedTrainer: writing checkpoint " + target + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** The newest complete checkpoint, or null when there is none. */
    Contents latest() {
        List<Path> all = complete();
        if (all.isEmpty()) {
            return null;
        }
        Path p = all.get(all.size() - 1);
        SafeTensors.Contents raw;
        try (InputStream in = fs.open(new Path(p, STATE))) {
            raw = SafeTensors.read(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("DistributedTrainer: checkpoint " + p + " cannot be read: "
                    + e.getMessage(), e);
        }
        if (!FORMAT.equals(raw.metadata().get("format"))) {
            throw new IllegalStateException("DistributedTrainer: " + p + " is not an Ember trainer checkpoint"
                    + " (format " + raw.metadata().get("format") + ")");
        }
        Map<String, Object> root = Json.parseObject(raw.metadata().get("checkpoint"));
        Map<String, NDArray> model = new LinkedHashMap<>();
        Map<String, NDArray> shared = new LinkedHashMap<>();
        Map<Integer, Map<String, NDArray>> per = new TreeMap<>();
        for (Map.Entry<String, NDArray> e : raw.tensors().entrySet()) {
            String k = e.getKey();
            int slash = k.indexOf('/');
            String head = k.substring(0, slash);
            String rest = k.substring(slash + 1);
            if (head.equals("model")) {
                model.put(rest, e.getValue());
            } else if (head.equals("optimizer")) {
                shared.put(rest, e.getValue());
            } else if (head.startsWith("optimizer.")) {
                per.computeIfAbsent(Integer.parseInt(head.substring("optimizer.".length())),
                        x -> new LinkedHashMap<>()).put(rest, e.getValue());
            }
        }
        OptState sharedState = null;
        if (root.get("optimizer") instanceof Map<?, ?> m) {
            sharedState = OptState.of(new OptimizerState(cast(m), shared), 1.0);
        }
        Map<Integer, OptState> perState = null;
        if (root.get("optimizerPerPartition") instanceof Map<?, ?> metas) {
            perState = new TreeMap<>();
            for (Map.Entry<?, ?> e : metas.entrySet()) {
                int part = Integer.parseInt(String.valueOf(e.getKey()));
                perState.put(part, OptState.of(new OptimizerState(cast((Map<?, ?>) e.getValue()),
                        per.getOrDefault(part, Map.of())), 1.0));
            }
        }
        List<RoundStats> history = new ArrayList<>();
        for (Object o : (List<?>) root.get("history")) {
            List<?> h = (List<?>) o;
            history.add(new RoundStats(i(h.get(0)), i(h.get(1)), d(h.get(2)), d(h.get(3)), ((Number) h.get(4))
                    .longValue(), d(h.get(5)), d(h.get(6)), d(h.get(7)), d(h.get(8))));
        }
        return new Contents(i(root.get("round")), cast((Map<?, ?>) root.get("settings")), model, sharedState,
                perState, history);
    }

    private List<Path> complete() {
        List<Path> out = new ArrayList<>();
        try {
            if (!fs.exists(dir)) {
                return out;
            }
            for (FileStatus st : fs.listStatus(dir)) {
                if (st.isDirectory() && st.getPath().getName().startsWith(PREFIX)
                        && fs.exists(new Path(st.getPath(), COMPLETE))) {
                    out.add(st.getPath());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("DistributedTrainer: cannot list checkpoint directory " + dir + ": "
                    + e.getMessage(), e);
        }
        out.sort((a, b) -> a.getName().compareTo(b.getName()));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** NaN is not JSON: stored as null. */
    private static Object num(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static int i(Object o) {
        return ((Number) o).intValue();
    }

    private static double d(Object o) {
        return o == null ? Double.NaN : ((Number) o).doubleValue();
    }
}
