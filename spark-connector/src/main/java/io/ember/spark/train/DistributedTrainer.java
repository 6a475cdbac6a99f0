package io.ember.spark.train;

import io.ember.nn.Loss;
import io.ember.nn.Module;
import io.ember.spark.data.InputSpec;
import io.ember.spark.data.SparkTensors;
import io.ember.spark.data.TensorBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data-parallel training on Spark with parameter averaging.
 *
 * <pre>{@code
 * DistributedTrainer trainer = DistributedTrainer.builder()
 *         .model(model)                              // built on the driver; its type must be registered
 *         .loss(new CrossEntropyLoss())
 *         .optimizer(OptimizerSpec.adam(1e-3))
 *         .batchSize(64).stepsPerRound(50).epochs(3).numWorkers(2).seed(42)
 *         .validation(testDf)                        // optional: loss and accuracy after every round
 *         .checkpoint("hdfs:///ckpt/run1", 5)         // optional: every 5 rounds; a new fit resumes from it
 *         .listener(stats -> System.out.println(stats.summary()))
 *         .build();
 * TrainingResult result = trainer.fit(trainDf, InputSpec.features("features", 784).label("label"));
 * }</pre>
 *
 * <p>How a fit runs: the input is split into {@code numWorkers} partitions (repartitioned if it has another count);
 * each partition's rows are converted once into one tensor batch on the executors and cached there
 * ({@code storageLevel}, MEMORY_ONLY by default). Each round, the driver broadcasts the model's state (and the
 * optimizer's); every task rebuilds the model from its model file (so no user object is Java-serialized), trains
 * {@code stepsPerRound} steps of {@code batchSize} rows on its partition, and returns its state weighted by the
 * samples it saw; treeAggregate sums them and the driver divides, giving the sample-weighted average. An epoch is
 * {@code ceil(rows / (numWorkers * batchSize))} steps per worker; each partition shuffles its rows every epoch with
 * {@code new Generator(seed + partition)} the way a shuffling DataLoader seeded so does, so one worker with one
 * round of all the steps trains exactly as local training with {@code DataLoader...shuffle(true).seed(seed)}.
 *
 * <p>Optimizer state (Adam's moments, step counts) is averaged like the parameters by default; with
 * {@code averageOptimizerState(false)} each partition keeps its own (held by the driver between rounds, so retries
 * and checkpoints stay exact). A task's result depends only on the broadcast, its partition, the seed and the round,
 * so a retried task (a lost executor) gives the same round result. The model passed to {@link Builder#model} is
 * updated in place and returned in the result. Tasks use exactly {@code spark.task.cpus} threads, and train on the
 * GPU Spark assigned them when Ember's CUDA backend is present ({@code device("auto")}), else on the CPU, saying so
 * once.
 */
public final class DistributedTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);

    private final Builder b;

    private DistributedTrainer(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trains on {@code train}, read with {@code spec} (features and a label column). */
    public TrainingResult fit(Dataset<Row> train, InputSpec spec) {
        Objects.requireNonNull(train, "DistributedTrainer.fit: train DataFrame is null");
        Objects.requireNonNull(spec, "DistributedTrainer.fit: InputSpec is null");
        if (spec.labelColumn() == null) {
            throw new IllegalArgumentException("DistributedTrainer.fit: the InputSpec has no label column"
                    + " (use .label(column) or .regressionLabel(column))");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(train.sparkSession().sparkContext());
        Dataset<Row> input = train.rdd().getNumPartitions() == b.numWorkers ? train : train.repartition(b.numWorkers);
        jsc.setJobDescription("Ember: converting training rows to tensor batches");
        SparkTensors.Ingest ingest = SparkTensors.ingest(input, spec);
        JavaRDD<TensorBatch> validation = null;
        if (b.validation != null) {
            validation = SparkTensors.partitions(b.validation, spec);
        }
        return run(jsc, ingest.rdd(), validation, ingest::skippedRows);
    }

    /**
     * Trains on tensor batches that are already one per partition (as {@link SparkTensors#partitions} makes them);
     * {@code numWorkers} must equal their partition count; {@code validation} (one batch per partition) may be
     * null. The validation DataFrame of the builder is not used here.
     */
    public TrainingResult fit(JavaRDD<TensorBatch> partitions, JavaRDD<TensorBatch> validation) {
        if (partitions.getNumPartitions() != b.numWorkers) {
            throw new IllegalArgumentException("DistributedTrainer.fit: numWorkers is " + b.numWorkers
                    + " but the tensor batches have " + partitions.getNumPartitions() + " partitions");
        }
        return run(JavaSparkContext.fromSparkContext(partitions.context()), partitions, validation, () -> 0L);
    }

    private TrainingResult run(JavaSparkContext jsc, JavaRDD<TensorBatch> data, JavaRDD<TensorBatch> validation,
            java.util.function.LongSupplier skipped) {
        Module model = b.model;
        Broadcast<RoundPlan> planB = null;
        Broadcast<RoundState> stateB = null;
        data.persist(b.storageLevel);
        if (validation != null) {
            validation.persist(b.storageLevel);
        }
        try {
            jsc.setJobDescription("Ember: converting training rows to tensor batches (cached for all rounds)");
            List<Integer> sizes = data.map(TensorBatch::size).collect();
            long rows = sizes.stream().mapToLong(Integer::longValue).sum();
            long skippedRows = skipped.getAsLong();
            if (skippedRows > 0) {
                LOG.warn("Ember: skipped {} bad training rows (onBadData(SKIP))", skippedRows);
            }
            if (rows == 0) {
                throw new IllegalArgumentException("DistributedTrainer.fit: the training data has no rows");
            }
            long stepsPerEpoch = (rows + (long) b.numWorkers * b.batchSize - 1) / ((long) b.numWorkers * b.batchSize);
            long totalSteps = stepsPerEpoch * b.epochs;
            int rounds = (int) ((totalSteps + b.stepsPerRound - 1) / b.stepsPerRound);
            RoundPlan plan = new RoundPlan(model, b.loss, b.optimizer, b.batchSize, b.stepsPerRound, totalSteps,
                    b.seed, b.averageOptimizerState, b.device, b.lrSchedule, b.warmupSteps);
            planB = jsc.broadcast(plan);
            DeviceChoice.sayOnceOnDriver(b.device, jsc);

            List<RoundStats> history = new ArrayList<>();
            OptState shared = null;
            Map<Integer, OptState> perPartition = b.averageOptimizerState ? null : new TreeMap<>();
            int start = 0;
            TrainerCheckpoint ckpt = b.checkpointDir == null ? null
                    : new TrainerCheckpoint(b.checkpointDir, jsc.hadoopConfiguration());
            if (ckpt != null) {
                TrainerCheckpoint.Contents c = ckpt.latest();
                if (c != null) {
                    checkSettings(c.settings(), ckpt);
                    model.loadStateDict(c.model());
                    shared = c.shared();
                    if (perPartition != null && c.perPartition() != null) {
                        perPartition.putAll(c.perPartition());
                    }
                    history.addAll(c.history());
                    start = c.round();
                    LOG.info("Ember: resuming from checkpoint {} after round {}", ckpt.dir(), start);
                }
            }
            int resumedAfter = start;
            LOG.info("Ember: training {} rows on {} workers: {} rounds of {} steps (batch {} per worker, {} steps"
                    + " per epoch, {} epochs)", rows, b.numWorkers, rounds, b.stepsPerRound, b.batchSize,
                    stepsPerEpoch, b.epochs);
            String lastSummary = "";
            // the state a round starts from; after a round, the averaged state serves its validation and the next round
            stateB = jsc.broadcast(new RoundState(ArrayMap.of(model.stateDict()), shared, perPartition));
            for (int r = start; r < rounds; r++) {
                long t0 = System.nanoTime();
                jsc.setJobDescription("Ember training round " + (r + 1) + "/" + rounds
                        + (lastSummary.isEmpty() ? "" : "; last: " + lastSummary));
                Partial total = data.mapPartitionsWithIndex(new WorkerTask(planB, stateB, r), true)
                        .treeAggregate(Partial.empty(), Partial::merge, Partial::merge, b.treeDepth);
                stateB.destroy();
                stateB = null;
                if (total.samples == 0) {
                    throw new IllegalStateException("DistributedTrainer: round " + (r + 1) + " saw no samples");
                }
                model.loadStateDict(total.model.toArrays(total.samples));
                if (b.averageOptimizerState) {
                    shared = OptState.of(new OptState(total.optimizerMeta, total.optimizer).toState(total.samples),
                            1.0);
                } else {
                    perPartition.putAll(total.perPartition);
                }
                boolean validate = validation != null && ((r + 1) % b.validateEvery == 0 || r + 1 == rounds);
                if (r + 1 < rounds || validate) {
                    stateB = jsc.broadcast(new RoundState(ArrayMap.of(model.stateDict()), shared, perPartition));
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                double valLoss = Double.NaN;
                double valAcc = Double.NaN;
                if (validate) {
                    jsc.setJobDescription("Ember validation after round " + (r + 1) + "/" + rounds);
                    double[] v = validation.mapPartitionsWithIndex(new Validation(planB, stateB), true)
                            .reduce(DistributedTrainer::add);
                    valLoss = v[2] > 0 ? v[0] / v[2] : Double.NaN;
                    valAcc = v[3] > 0 ? v[1] / v[3] : Double.NaN;
                }
                long endStep = plan.endStep(r);
                RoundStats stats = new RoundStats(r + 1, rounds, (double) endStep / stepsPerEpoch,
                        total.lossSum / total.samples, total.samples, seconds, total.samples / seconds, valLoss,
                        valAcc);
                history.add(stats);
                lastSummary = stats.summary();
                LOG.info("Ember: {}", lastSummary);
                if (ckpt != null && ((r + 1) % b.checkpointEvery == 0 || r + 1 == rounds)) {
                    ckpt.write(new TrainerCheckpoint.Contents(r + 1, settings(), model.stateDict(), shared,
                            perPartition, history), b.keepCheckpoints);
                }
                for (TrainingListener l : b.listeners) {
                    l.onRound(stats);
                }
            }
            jsc.setJobDescription(null);
            TrainingResult result = new TrainingResult(model, history, resumedAfter, skippedRows);
            for (TrainingListener l : b.listeners) {
                l.onEnd(result);
            }
            return result;
        } finally {
            data.unpersist(false);
            if (validation != null) {
                validation.unpersist(false);
            }
            if (planB != null) {
                planB.destroy();
            }
            if (stateB != null) {
                stateB.destroy();
            }
        }
    }

    private static double[] add(double[] a, double[] c) {
        double[] s = a.clone();
        for (int i = 0; i < s.length; i++) {
            s[i] += c[i];
        }
        return s;
    }

    /** The settings a checkpoint must share with the fit that resumes from it. */
    private Map<String, Object> settings() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("numWorkers", b.numWorkers);
        s.put("batchSize", b.batchSize);
        s.put("stepsPerRound", b.stepsPerRound);
        s.put("epochs", b.epochs);
        s.put("seed", b.seed);
        s.put("optimizer", b.optimizer.toString());
        s.put("averageOptimizerState", b.averageOptimizerState);
        s.put("lrSchedule", b.lrSchedule + (b.warmupSteps > 0 ? "+warmup" + b.warmupSteps : ""));
        s.put("model", b.model.typeName());
        return s;
    }

    private void checkSettings(Map<String, Object> saved, TrainerCheckpoint ckpt) {
        Map<String, Object> now = settings();
        List<String> diffs = new ArrayList<>();
        for (Map.Entry<String, Object> e : now.entrySet()) {
            Object was = saved.get(e.getKey());
            if (was == null || !String.valueOf(was).equals(String.valueOf(e.getValue()))) {
                diffs.add(e.getKey() + " was " + was + ", now " + e.getValue());
            }
        }
        if (!diffs.isEmpty()) {
            throw new IllegalStateException("DistributedTrainer: the checkpoint in " + ckpt.dir()
                    + " was written with other settings (" + String.join("; ", diffs)
                    + "); use another checkpoint directory or the same settings");
        }
    }

    /** The trainer's settings. Every setter checks its argument; {@link #build()} checks that all needed are set. */
    public static final class Builder {
        private Module model;
        private Module loss;
        private OptimizerSpec optimizer;
        private int batchSize = 64;
        private int stepsPerRound = 50;
        private int epochs = 1;
        private int numWorkers = 2;
        private long seed = 42;
        private boolean averageOptimizerState = true;
        private Dataset<Row> validation;
        private int validateEvery = 1;
        private String checkpointDir;
        private int checkpointEvery = 1;
        private int keepCheckpoints = 2;
        private String device = "auto";
        private String lrSchedule = "constant";
        private int warmupSteps;
        private StorageLevel storageLevel = StorageLevel.MEMORY_ONLY();
        private int treeDepth = 2;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /** The model to train (updated in place). Its type must be built in or registered in ModuleRegistry. */
        public Builder model(Module model) {
            this.model = Objects.requireNonNull(model, "DistributedTrainer: model is null");
            return this;
        }

        /** The loss, e.g. {@code new CrossEntropyLoss()} or {@code new MSELoss()}. */
        public Builder loss(Module loss) {
            if (!(loss instanceof Loss)) {
                throw new IllegalArgumentException("DistributedTrainer: loss must be an io.ember.nn.Loss (such as"
                        + " CrossEntropyLoss or MSELoss), got " + (loss == null ? "null" : loss.typeName()));
            }
            this.loss = loss;
            return this;
        }

        public Builder optimizer(OptimizerSpec optimizer) {
            this.optimizer = Objects.requireNonNull(optimizer, "DistributedTrainer: optimizer is null");
            return this;
        }

        /** Rows per step on each worker (default 64). */
        public Builder batchSize(int batchSize) {
            this.batchSize = positive("batchSize", batchSize);
            return this;
        }

        /** K: local steps per worker between two averagings (default 50). */
        public Builder stepsPerRound(int steps) {
            this.stepsPerRound = positive("stepsPerRound", steps);
            return this;
        }

        /** Passes over the data (default 1). */
        public Builder epochs(int epochs) {
            this.epochs = positive("epochs", epochs);
            return this;
        }

        /** Parallel workers = partitions of the training data (default 2). */
        public Builder numWorkers(int numWorkers) {
            this.numWorkers = positive("numWorkers", numWorkers);
            return this;
        }

        /** The seed of the shuffles and of the tasks' random numbers (default 42). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Average the optimizer state across workers each round (default true), or keep it per partition. */
        public Builder averageOptimizerState(boolean average) {
            this.averageOptimizerState = average;
            return this;
        }

        /** Validation data (read with the training InputSpec): loss and accuracy every {@code validateEvery} rounds. */
        public Builder validation(Dataset<Row> validation) {
            this.validation = validation;
            return this;
        }

        public Builder validateEvery(int rounds) {
            this.validateEvery = positive("validateEvery", rounds);
            return this;
        }

        /**
         * Checkpoints after every {@code everyRounds} rounds (and after the last) into {@code dir}, any Hadoop
         * FileSystem URI; a fit with a checkpoint there resumes after its round.
         */
        public Builder checkpoint(String dir, int everyRounds) {
            if (dir == null || dir.isBlank()) {
                throw new IllegalArgumentException("DistributedTrainer: checkpoint directory is empty");
            }
            this.checkpointDir = dir;
            this.checkpointEvery = positive("checkpoint everyRounds", everyRounds);
            return this;
        }

        /** How many checkpoints to keep (default 2, the newest). */
        public Builder keepCheckpoints(int keep) {
            this.keepCheckpoints = positive("keepCheckpoints", keep);
            return this;
        }

        /** "auto" (default: the task's assigned GPU when Ember's CUDA backend is present, else CPU), "cpu", "cuda". */
        public Builder device(String device) {
            this.device = DeviceChoice.validate(device);
            return this;
        }

        /**
         * The learning rate over the run, by global step (every worker takes the same rate at the same step):
         * "constant" (default) or "cosine" (from the optimizer's rate down to 0 over all steps, like
         * CosineAnnealingLR stepped per batch).
         */
        public Builder lrSchedule(String schedule) {
            String s = schedule == null ? "" : schedule.trim().toLowerCase(java.util.Locale.ROOT);
            if (!s.equals("constant") && !s.equals("cosine")) {
                throw new IllegalArgumentException("DistributedTrainer: lrSchedule must be constant or cosine, got '"
                        + schedule + "'");
            }
            this.lrSchedule = s;
            return this;
        }

        /** A linear warm-up of the learning rate over the first {@code steps} steps (default 0: none). */
        public Builder warmupSteps(int steps) {
            if (steps < 0) {
                throw new IllegalArgumentException("DistributedTrainer: warmupSteps must be >= 0, got " + steps);
            }
            this.warmupSteps = steps;
            return this;
        }

        /** Where the executors cache the prepared tensor batches (default MEMORY_ONLY). */
        public Builder storageLevel(StorageLevel level) {
            this.storageLevel = Objects.requireNonNull(level, "DistributedTrainer: storageLevel is null");
            return this;
        }

        /** treeAggregate's depth (default 2). */
        public Builder treeDepth(int depth) {
            this.treeDepth = positive("treeDepth", depth);
            return this;
        }

        public Builder listener(TrainingListener listener) {
            listeners.add(Objects.requireNonNull(listener, "DistributedTrainer: listener is null"));
            return this;
        }

        public DistributedTrainer build() {
            if (model == null) {
                throw new IllegalStateException("DistributedTrainer.build: no model (call model(...))");
            }
            if (loss == null) {
                throw new IllegalStateException("DistributedTrainer.build: no loss (call loss(...))");
            }
            if (optimizer == null) {
                throw new IllegalStateException("DistributedTrainer.build: no optimizer (call optimizer(...))");
            }
            RoundPlan.files(model); // fails now, on the driver, if the model cannot be written as a model file
            return new DistributedTrainer(this);
        }

        private static int positive(String name, int v) {
            if (v < 1) {
                throw new IllegalArgumentException("DistributedTrainer: " + name + " must be >= 1, got " + v);
            }
            return v;
        }
    }
}
