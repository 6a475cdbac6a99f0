package io.ember.spark.train;

import io.ember.autograd.Tensor;
import io.ember.data.Datasets;
import io.ember.nn.Loss;
import io.ember.nn.Module;
import io.ember.optim.Optimizer;
import io.ember.spark.data.TensorBatch;
import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import java.io.Serial;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;

/**
 * One task of one round, on an executor: rebuild the model from the plan, load the round's averaged state, train
 * the round's steps on this partition's cached batch, and return the state weighted by the samples seen.
 *
 * <p>Everything a task does depends only on the broadcast state, the partition's data, the seed, the partition
 * index and the round, so a retried task returns the same result. The partition's rows are shuffled once per
 * epoch with {@code new Generator(seed + partition)}, advanced epoch by epoch exactly as a shuffling
 * {@code DataLoader} with that seed does; the last batch of an epoch may be smaller. The task's default generator
 * (dropout masks) is seeded from (seed, partition, round).
 */
final class WorkerTask implements Function2<Integer, Iterator<TensorBatch>, Iterator<Partial>> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Broadcast<RoundPlan> plan;
    private final Broadcast<RoundState> state;
    private final int round;

    WorkerTask(Broadcast<RoundPlan> plan, Broadcast<RoundState> state, int round) {
        this.plan = plan;
        this.state = state;
        this.round = round;
    }

    @Override
    public Iterator<Partial> call(Integer partition, Iterator<TensorBatch> rows) {
        TensorBatch data = labelledRows(rows, partition, "partition");
        Partial out = Partial.empty();
        if (data.size() == 0) {
            return List.of(out).iterator();
        }
        RoundPlan p = plan.value();
        RoundState s = state.value();
        Device device = taskDevice(p);
        try (Generator.Scope g = Generator.useOnThisThread(new Generator(taskSeed(p.seed, partition, round)))) {
            Module cached = ModelCache.take(plan.id(), partition);
            Module model = cached != null ? cached : p.newModel();
            model.loadStateDict(s.model.toArrays());
            Loss loss = (Loss) p.newLoss();
            model.to(device);
            model.train();
            Optimizer opt = p.optimizer.create(model.parameters());
            OptState os = s.optimizerFor(partition);
            if (os != null) {
                opt.loadStateDict(os.toState(1.0));
            }
            int n = data.size();
            int batchesPerEpoch = (n + p.batchSize - 1) / p.batchSize;
            long first = p.firstStep(round);
            long end = p.endStep(round);
            EpochOrder order = new EpochOrder(p.seed + partition, n);
            for (long step = first; step < end; step++) {
                int epoch = (int) (step / batchesPerEpoch);
                int b = (int) (step % batchesPerEpoch);
                int[] perm = order.of(epoch);
                int from = b * p.batchSize;
                int to = Math.min(n, from + p.batchSize);
                long[] idx = new long[to - from];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = perm[from + i];
                }
                TensorBatch batch = data.select(NDArray.of(idx));
                // on a GPU the step's temporaries go back to the allocator at the end of the step (no-op on the CPU)
                try (io.ember.tensor.MemoryScope scope = io.ember.tensor.MemoryScope.open()) {
                    Tensor x = Tensor.of(batch.features()).to(device);
                    Tensor outp = model.forward(x);
                    Tensor l = loss.forward(outp, target(outp, Tensor.of(batch.labels()).to(device)));
                    double lr = p.lrAt(step);
                    for (io.ember.optim.ParamGroup group : opt.paramGroups()) {
                        group.setLr(lr);
                    }
                    opt.zeroGrad();
                    l.backward();
                    opt.step();
                    out.lossSum += l.item() * idx.length;
                }
                out.samples += idx.length;
            }
            model.to(Device.CPU);
            out.model = ArrayMap.weighted(model.stateDict(), out.samples);
            ModelCache.put(plan.id(), partition, model);
            if (p.averageOptimizerState) {
                OptState w = OptState.of(opt.stateDict(), out.samples);
                out.optimizer = w.tensors;
                out.optimizerMeta = w.metaJson;
                out.metaPartition = partition;
            } else {
                out.perPartition.put(partition, OptState.of(opt.stateDict(), 1.0));
            }
        }
        return List.of(out).iterator();
    }

    /**
     * The partition's one tensor batch, which must have labels unless it is empty; {@code what} names the partition
     * in errors ("partition", "validation partition").
     */
    static TensorBatch labelledRows(Iterator<TensorBatch> rows, int partition, String what) {
        if (!rows.hasNext()) {
            throw new IllegalStateException("DistributedTrainer: " + what + " " + partition + " has no tensor batch");
        }
        TensorBatch data = rows.next();
        if (rows.hasNext()) {
            throw new IllegalStateException("DistributedTrainer: " + what + " " + partition
                    + " has more than one tensor batch (expected SparkTensors.partitions' one per partition)");
        }
        if (data.size() > 0 && data.labels() == null) {
            throw new IllegalArgumentException("DistributedTrainer: " + what + " " + partition
                    + " has no labels (InputSpec needs a label column)");
        }
        return data;
    }

    /** Sets this task's threads to its cores and picks its device (see {@link DeviceChoice}). */
    static Device taskDevice(RoundPlan p) {
        useTaskCores();
        return DeviceChoice.choose(p.device, taskGpus(), DeviceChoice.cudaAvailable());
    }

    /** The labels as the loss wants them: a regression target [n] becomes [n, 1] for an output [n, 1]. */
    static Tensor target(Tensor output, Tensor labels) {
        if (labels.data().dtype() == DType.FLOAT32 && output.shape().rank() == 2 && output.shape().get(1) == 1
                && labels.shape().rank() == 1) {
            return labels.reshape(-1, 1);
        }
        return labels;
    }

    /** Sets Ember's threads to the cores this task was given (spark.task.cpus). */
    static void useTaskCores() {
        TaskContext ctx = TaskContext.get();
        if (ctx != null) {
            int cpus = Math.max(1, ctx.cpus());
            if (Threads.get() != cpus) {
                Threads.set(cpus);
            }
        }
    }

    static String[] taskGpus() {
        TaskContext ctx = TaskContext.get();
        if (ctx == null) {
            return null;
        }
        Map<String, ResourceInformation> res = scala.jdk.javaapi.CollectionConverters.asJava(ctx.resources());
        ResourceInformation gpu = res.get("gpu");
        return gpu == null ? null : gpu.addresses();
    }

    static long taskSeed(long seed, int partition, int round) {
        long h = seed * 0x9E3779B97F4A7C15L + partition;
        h = h * 0xBF58476D1CE4E5B9L + round;
        return h ^ (h >>> 31);
    }

    /** The shuffled order of each epoch: the generator's permutations drawn in epoch order. */
    static final class EpochOrder {
        private final Generator generator;
        private final int n;
        private int epoch = -1;
        private int[] perm;

        EpochOrder(long seed, int n) {
            this.generator = new Generator(seed);
            this.n = n;
        }

        int[] of(int wanted) {
            while (epoch < wanted) {
                perm = Datasets.permutation(n, generator);
                epoch++;
            }
            return perm;
        }
    }
}
