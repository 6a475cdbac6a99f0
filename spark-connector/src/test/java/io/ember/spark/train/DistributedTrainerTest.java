package io.ember.spark.train;

import static io.ember.spark.train.TrainerTestData.assertSameState;
import static io.ember.spark.train.TrainerTestData.mlp;
import static io.ember.spark.train.TrainerTestData.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.data.Batch;
import io.ember.data.DataLoader;
import io.ember.data.TensorDataset;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Module;
import io.ember.optim.Adam;
import io.ember.optim.Optimizer;
import io.ember.optim.OptimizerState;
import io.ember.spark.data.TensorBatch;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DistributedTrainerTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = TrainerTestData.session("DistributedTrainerTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static DistributedTrainer.Builder trainer(Module model, int workers, int batch, int k, int epochs) {
        return DistributedTrainer.builder().model(model).loss(new CrossEntropyLoss())
                .optimizer(OptimizerSpec.adam(1e-2)).numWorkers(workers).batchSize(batch).stepsPerRound(k)
                .epochs(epochs).seed(11);
    }

    // ------------------------------------------------------------ the reference: the algorithm written out locally

    /** One worker's local training state in the reference: its model, optimizer and DataLoader epochs. */
    private static final class RefWorker {
        final Module model;
        final Optimizer opt;
        final DataLoader<?, Batch> loader;
        Iterator<Batch> epoch;

        RefWorker(Module model, TensorBatch data, long seed, int batch) {
            this.model = model;
            this.opt = new Adam(model.parameters(), 1e-2);
            this.loader = DataLoader.builder(TensorDataset.of(data.features(), data.labels())).batchSize(batch)
                    .shuffle(true).seed(seed).build();
        }

        long step() {
            if (epoch == null || !epoch.hasNext()) {
                epoch = loader.iterator();
            }
            Batch b = epoch.next();
            Tensor loss = new CrossEntropyLoss().forward(model.forward(b.get(0)), b.get(1));
            opt.zeroGrad();
            loss.backward();
            opt.step();
            return b.get(0).shape().get(0);
        }
    }

    /** Weighted average of maps of arrays, in double, computed element by element. */
    private static Map<String, NDArray> average(List<Map<String, NDArray>> states, long[] weights) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        double total = 0;
        for (long w : weights) {
            total += w;
        }
        for (String k : states.get(0).keySet()) {
            double[] acc = new double[states.get(0).get(k).numel()];
            for (int p = 0; p < states.size(); p++) {
                double[] v = states.get(p).get(k).toDoubleArray();
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += v[i] * weights[p];
                }
            }
            for (int i = 0; i < acc.length; i++) {
                acc[i] /= total;
            }
            out.put(k, NDArray.of(acc, states.get(0).get(k).shape().toArray()).to(states.get(0).get(k).dtype()));
        }
        return out;
    }

    /** Rounds of K steps per worker, averaging parameters and Adam's state, as the trainer's javadoc states it. */
    private static Map<String, NDArray> reference(List<TensorBatch> parts, int batch, int k, long totalSteps,
            long seed) {
        List<RefWorker> workers = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            workers.add(new RefWorker(mlp(5), parts.get(p), seed + p, batch));
        }
        for (long done = 0; done < totalSteps; done += k) {
            long[] samples = new long[parts.size()];
            for (int p = 0; p < parts.size(); p++) {
                for (long s = done; s < Math.min(totalSteps, done + k); s++) {
                    samples[p] += workers.get(p).step();
                }
            }
            List<Map<String, NDArray>> models = new ArrayList<>();
            List<Map<String, NDArray>> opts = new ArrayList<>();
            for (RefWorker w : workers) {
                models.add(w.model.stateDict());
                opts.add(w.opt.stateDict().tensors());
            }
            Map<String, NDArray> avgModel = average(models, samples);
            OptimizerState avgOpt = new OptimizerState(workers.get(0).opt.stateDict().meta(), average(opts, samples));
            for (RefWorker w : workers) {
                w.model.loadStateDict(avgModel);
                w.opt.loadStateDict(avgOpt);
            }
        }
        return workers.get(0).model.stateDict();
    }

    // ------------------------------------------------------------------------------------------------- tests

    @Test
    void fit_oneWorkerAllStepsInOneRound_equalsLocalTraining() {
        TensorBatch data = rows(200, 1);
        Module model = mlp(5);
        // 2 epochs of ceil(200/32) = 7 steps: one round of all 14 steps
        TrainingResult r = trainer(model, 1, 32, 1000, 2).build().fit(TrainerTestData.rdd(spark, List.of(data)), null);
        assertEquals(1, r.history().size());
        assertEquals(400, r.last().samples());
        Module local = mlp(5);
        RefWorker w = new RefWorker(local, data, 11, 32);
        for (int s = 0; s < 14; s++) {
            w.step();
        }
        assertSameState(local.stateDict(), r.model().stateDict(), 0);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fit_oneWorkerManyRounds_equalsLocalTraining(boolean averageOptimizerState) {
        // with one worker, averaging is the identity: the optimizer state must travel between rounds intact
        TensorBatch data = rows(150, 2);
        TrainingResult r = trainer(mlp(5), 1, 16, 4, 2).averageOptimizerState(averageOptimizerState).build()
                .fit(TrainerTestData.rdd(spark, List.of(data)), null);
        assertEquals(5, r.history().size()); // 2 epochs x 10 steps in rounds of 4
        Module local = mlp(5);
        RefWorker w = new RefWorker(local, data, 11, 16);
        for (int s = 0; s < 20; s++) {
            w.step();
        }
        assertSameState(local.stateDict(), r.model().stateDict(), 0);
    }

    @Test
    void fit_twoWorkersSeveralRounds_equalsWeightedAveragingWrittenOut() {
        // unequal partitions, so the weights (samples) differ and the last batch of an epoch is partial
        List<TensorBatch> parts = List.of(rows(130, 3), rows(90, 4));
        // steps per epoch = ceil(220 / (2 * 25)) = 5; 2 epochs = 10 steps in rounds of 3 (3, 3, 3, 1)
        List<RoundStats> seen = new ArrayList<>();
        TrainingResult r = trainer(mlp(5), 2, 25, 3, 2).listener(seen::add).build()
                .fit(TrainerTestData.rdd(spark, parts), null);
        assertEquals(4, r.history().size());
        assertEquals(r.history(), seen);
        assertEquals(2 * 3 * 25, seen.get(0).samples());
        assertEquals(2.0, r.last().epoch(), 1e-12);
        Map<String, NDArray> expected = reference(parts, 25, 3, 10, 11);
        assertSameState(expected, r.model().stateDict(), 2e-6);
    }

    @Test
    void fit_sameSettingsTwice_givesIdenticalModels() {
        List<TensorBatch> parts = List.of(rows(120, 5), rows(120, 6));
        TrainingResult a = trainer(mlp(5), 2, 16, 3, 1).build().fit(TrainerTestData.rdd(spark, parts), null);
        TrainingResult b = trainer(mlp(5), 2, 16, 3, 1).build().fit(TrainerTestData.rdd(spark, parts), null);
        assertSameState(a.model().stateDict(), b.model().stateDict(), 0);
        assertEquals(a.last().loss(), b.last().loss());
    }

    @Test
    void fit_lossFallsAndValidationIsReported() {
        List<TensorBatch> parts = List.of(rows(400, 7), rows(400, 8));
        TensorBatch val = rows(300, 9);
        TrainingResult r = trainer(mlp(5), 2, 32, 5, 4).build()
                .fit(TrainerTestData.rdd(spark, parts), TrainerTestData.rdd(spark, List.of(val)));
        RoundStats first = r.history().get(0);
        RoundStats last = r.last();
        assertTrue(last.loss() < first.loss() * 0.7, () -> "loss " + first.loss() + " -> " + last.loss());
        assertTrue(last.validationAccuracy() > 0.8, () -> "validation accuracy " + last.validationAccuracy());
        // the accuracy agrees with a forward pass of the returned model on the driver
        long[] pred = r.model().forward(Tensor.of(val.features())).data().argmax(1, false).toLongArray();
        long[] truth = val.labels().toLongArray();
        int correct = 0;
        for (int i = 0; i < pred.length; i++) {
            correct += pred[i] == truth[i] ? 1 : 0;
        }
        assertEquals(correct / 300.0, last.validationAccuracy(), 1e-12);
        assertFalse(Double.isNaN(last.validationLoss()));
    }

    @Test
    void fit_jobDescriptionsNameTheRound_andTasksUseTheirSlotsCores() throws Exception {
        List<String> descriptions = Collections.synchronizedList(new ArrayList<>());
        SparkListener l = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                descriptions.add(String.valueOf(jobStart.properties().getProperty("spark.job.description")));
            }
        };
        spark.sparkContext().addSparkListener(l);
        int before = Threads.get();
        try {
            Threads.set(2);
            trainer(mlp(5), 2, 16, 4, 1).build()
                    .fit(TrainerTestData.rdd(spark, List.of(rows(100, 1), rows(100, 2))), null);
            // local[2] with spark.task.cpus = 1: the tasks (in this JVM) set Ember's threads to 1
            assertEquals(1, Threads.get());
        } finally {
            Threads.set(before);
            spark.sparkContext().removeSparkListener(l);
        }
        spark.sparkContext().listenerBus().waitUntilEmpty();
        assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("Ember training round 1/2")), descriptions::toString);
        assertTrue(descriptions.stream().anyMatch(d -> d.startsWith("Ember training round 2/2; last: round 1/2")),
                descriptions::toString);
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void fit_resumesFromCheckpoint_likeAnUninterruptedRun(boolean averageOptimizerState, @TempDir Path dir)
            throws Exception {
        List<TensorBatch> parts = List.of(rows(100, 3), rows(80, 4));
        TrainingResult full = trainer(mlp(5), 2, 16, 2, 2).averageOptimizerState(averageOptimizerState).build()
                .fit(TrainerTestData.rdd(spark, parts), null);
        String ckpt = dir.toUri().toString(); // file:///..., through the Hadoop FileSystem API
        RuntimeException crash = assertThrows(RuntimeException.class, () -> trainer(mlp(5), 2, 16, 2, 2)
                .averageOptimizerState(averageOptimizerState).checkpoint(ckpt, 2).listener(s -> {
                    if (s.round() == 3) {
                        throw new RuntimeException("driver died after round 3");
                    }
                }).build().fit(TrainerTestData.rdd(spark, parts), null));
        assertEquals("driver died after round 3", crash.getMessage());
        // round 2's checkpoint is the newest complete one (round 3 was not due)
        assertTrue(Files.exists(dir.resolve("round-000002").resolve(TrainerCheckpoint.COMPLETE)));
        TrainingResult resumed = trainer(mlp(99), 2, 16, 2, 2).averageOptimizerState(averageOptimizerState)
                .checkpoint(ckpt, 2).build().fit(TrainerTestData.rdd(spark, parts), null);
        assertEquals(2, resumed.resumedAfterRound());
        assertEquals(full.history().size(), resumed.history().size());
        assertEquals(full.history().get(0).loss(), resumed.history().get(0).loss());
        assertSameState(full.model().stateDict(), resumed.model().stateDict(), 0);
    }

    @Test
    void fit_checkpointFromOtherSettings_isRefusedNamingThem(@TempDir Path dir) {
        List<TensorBatch> parts = List.of(rows(60, 3), rows(60, 4));
        String ckpt = dir.toUri().toString();
        trainer(mlp(5), 2, 16, 2, 1).checkpoint(ckpt, 1).build().fit(TrainerTestData.rdd(spark, parts), null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer(mlp(5), 2, 8, 2, 1)
                .checkpoint(ckpt, 1).build().fit(TrainerTestData.rdd(spark, parts), null));
        assertTrue(e.getMessage().contains("batchSize was 16, now 8"), e.getMessage());
    }

    @Test
    void builder_badSettings_clearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DistributedTrainer.builder().batchSize(0));
        assertEquals("DistributedTrainer: batchSize must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DistributedTrainer.builder().loss(mlp(1)));
        assertTrue(e.getMessage().startsWith("DistributedTrainer: loss must be an io.ember.nn.Loss"), e.getMessage());
        IllegalStateException s = assertThrows(IllegalStateException.class,
                () -> DistributedTrainer.builder().model(mlp(1)).loss(new CrossEntropyLoss()).build());
        assertEquals("DistributedTrainer.build: no optimizer (call optimizer(...))", s.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DistributedTrainer.builder().device("tpu"));
        assertEquals("DistributedTrainer: device must be auto, cpu or cuda, got 'tpu'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> trainer(mlp(5), 3, 16, 2, 1).build()
                .fit(TrainerTestData.rdd(spark, List.of(rows(10, 1), rows(10, 2))), null));
        assertEquals("DistributedTrainer.fit: numWorkers is 3 but the tensor batches have 2 partitions",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.of("lbfgs", 0.1));
        assertEquals("OptimizerSpec: unknown optimizer 'lbfgs'; known: [adagrad, adam, adamw, rmsprop, sgd]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OptimizerSpec.sgd(0.1).with("beta1", 0.9));
        assertTrue(e.getMessage().startsWith("OptimizerSpec: sgd has no option 'beta1'"), e.getMessage());
    }
}
