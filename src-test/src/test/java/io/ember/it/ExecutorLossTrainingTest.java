package io.ember.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.examples.Classifier;
import io.ember.examples.FashionMnist;
import io.ember.examples.SparkTrainExample;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Linear;
import io.ember.nn.Module;
import io.ember.nn.ReLU;
import io.ember.nn.Sequential;
import io.ember.spark.data.InputSpec;
import io.ember.spark.train.DistributedTrainer;
import io.ember.spark.train.OptimizerSpec;
import io.ember.spark.train.RoundStats;
import io.ember.spark.train.TrainingListener;
import io.ember.spark.train.TrainingResult;
import io.ember.tensor.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Distributed training survives the loss of an executor: on a real standalone cluster (a Master and two Worker JVMs
 * on loopback), Fashion-MNIST training runs once undisturbed and once with one executor JVM killed with SIGKILL
 * while a training round is running; both complete, and the test accuracies agree within one point. The rows go
 * the user's way: a DataFrame read from Parquet, converted on the executors through Arrow by
 * {@code DistributedTrainer.fit(Dataset, InputSpec)}; the killed executor's cached partition is rebuilt from the files.
 */
class ExecutorLossTrainingTest {
    private static final Duration FIT_TIMEOUT = Duration.ofSeconds(240);
    private static final int WORKERS = 2;
    private static final long MODEL_SEED = 7;

    private static StandaloneCluster cluster;
    private static SparkSession spark;
    private static FashionMnist data;
    private static Dataset<Row> train;

    @BeforeAll
    static void setUp() throws IOException {
        cluster = StandaloneCluster.builder("executor-loss").workers(WORKERS).coresPerWorker(1)
                .workerMemory("1g").executorMemory("640m").start();
        spark = cluster.newSession("executor-loss-training");
        data = FashionMnist.load(sampleDir().toString());
        // the training rows as the DataFrame a user has (features array<float> of x/255, label double), written to
        // Parquet and read back, so that executors recompute lost partitions from files as in production
        Path parquet = cluster.baseDir().resolve("fashion-mnist-train.parquet");
        cluster.within(Duration.ofSeconds(120), "writing the training rows",
                () -> {
                    SparkTrainExample.frame(spark, data.trainImages, data.trainLabels, WORKERS).write().parquet(
                            parquet.toString());
                    return null;
                });
        Dataset<Row> read = spark.read().parquet(parquet.toString());
        train = read.rdd().getNumPartitions() >= WORKERS ? read.coalesce(WORKERS) : read.repartition(WORKERS);
    }

    @AfterAll
    static void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The shipped sample: the pom points at it; else found from src-test/ or the repository root. */
    static Path sampleDir() {
        String prop = System.getProperty("ember.fashionMnist.sample");
        for (Path p : new Path[] {prop == null ? null : Path.of(prop),
                Path.of("../examples/data/fashion-mnist-sample"), FashionMnist.SAMPLE_DIR}) {
            if (p != null && Files.exists(p.resolve("train-images-idx3-ubyte.gz"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("Fashion-MNIST sample not found (examples/data/fashion-mnist-sample)");
    }

    static Module model() {
        Generator.manualSeed(MODEL_SEED);
        return new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
    }

    static TrainingResult fit(TrainingListener listener) {
        DistributedTrainer trainer = DistributedTrainer.builder()
                .model(model())
                .loss(new CrossEntropyLoss())
                .optimizer(OptimizerSpec.adam(1e-3))
                .batchSize(64).stepsPerRound(8).epochs(2).numWorkers(WORKERS).seed(42)
                .listener(listener)
                .build();
        return trainer.fit(train, InputSpec.features("features", 784).label("label"));
    }

    @Test
    void fit_executorKilledMidTraining_completesWithinOnePointOfUndisturbedAccuracy() throws Exception {
        long t0 = System.nanoTime();
        List<RoundStats> calm = new ArrayList<>();
        TrainingResult undisturbed = cluster.within(FIT_TIMEOUT, "undisturbed training", () -> fit(calm::add));
        double accUndisturbed = Classifier.accuracy(undisturbed.model(), data.testImages, data.testLabels);
        long t1 = System.nanoTime();

        ClusterEvents events = ClusterEvents.attach(spark);
        AtomicReference<StandaloneCluster.KilledExecutor> killed = new AtomicReference<>();
        AtomicReference<Throwable> killError = new AtomicReference<>();
        AtomicReference<Integer> killedDuringRound = new AtomicReference<>();
        AtomicBoolean armed = new AtomicBoolean();
        List<RoundStats> stormy = new ArrayList<>();
        TrainingListener killOnce = stats -> {
            stormy.add(stats);
            if (stats.round() == Math.max(1, stats.rounds() / 3) && armed.compareAndSet(false, true)) {
                // kill one executor the moment the scheduler has launched the next round's tasks on both
                ProcessHandle victim = cluster.executorProcesses().get(0);
                events.afterTasksStart(WORKERS, () -> {
                    try {
                        killedDuringRound.set(stats.round() + 1);
                        killed.set(cluster.kill(victim));
                    } catch (Throwable t) {
                        killError.set(t);
                    }
                });
            }
        };
        TrainingResult disturbed = cluster.within(FIT_TIMEOUT, "training with a killed executor",
                () -> fit(killOnce));
        double accDisturbed = Classifier.accuracy(disturbed.model(), data.testImages, data.testLabels);
        long t2 = System.nanoTime();
        ClusterEvents.await(() -> killed.get() != null || killError.get() != null, 10_000);
        double maxLossDiff = 0;
        for (int i = 0; i < Math.min(calm.size(), stormy.size()); i++) {
            maxLossDiff = Math.max(maxLossDiff, Math.abs(calm.get(i).loss() - stormy.get(i).loss()));
        }
        System.out.printf("undisturbed: %d rounds, accuracy %.4f, %.1f s; killed executor %s during round %s:"
                + " %d rounds, accuracy %.4f, %.1f s; largest difference of a round's loss %.3g; %s%n", calm.size(),
                accUndisturbed, (t1 - t0) / 1e9, killed.get() == null ? null : killed.get().executorId(),
                killedDuringRound.get(), stormy.size(), accDisturbed, (t2 - t1) / 1e9, maxLossDiff, events);

        assertNull(killError.get(), () -> "killing an executor failed: " + killError.get());
        StandaloneCluster.KilledExecutor k = killed.get();
        assertNotNull(k, "no executor was killed; " + events);
        assertFalse(ProcessHandle.of(k.pid()).map(ProcessHandle::isAlive).orElse(false));
        assertTrue(ClusterEvents.await(() -> events.tasksFailed() >= 1 && events.executorsRemoved() >= 1, 10_000),
                "expected a failed task and a removed executor: " + events);
        assertTrue(events.failures().stream().anyMatch(f -> f.contains("executor " + k.executorId())),
                events.toString());

        // both runs did all their rounds, and training learned something (10 classes: chance is 0.10)
        int rounds = calm.get(0).rounds();
        assertEquals(rounds, calm.size());
        assertEquals(rounds, stormy.size());
        assertTrue(rounds >= 6, "expected enough rounds to kill one a third of the way, got " + rounds);
        assertTrue(accUndisturbed > 0.70, "undisturbed accuracy " + accUndisturbed);
        assertTrue(Math.abs(accDisturbed - accUndisturbed) <= 0.01,
                "accuracy with a killed executor " + accDisturbed + " vs undisturbed " + accUndisturbed);
    }
}
