package io.ember.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** The harness itself: a Master and two Workers on loopback run jobs, and survive the loss of an executor. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneClusterTest {
    private static final Duration JOB_TIMEOUT = Duration.ofSeconds(120);

    private static StandaloneCluster cluster;
    private static SparkSession spark;
    private static JavaSparkContext jsc;

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.builder("smoke").workers(2).coresPerWorker(1).workerMemory("1g").start();
        spark = cluster.newSession("cluster-smoke");
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(0)
    void start_memoryBelowSparkFloors_failsBeforeStartingAnything() {
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class,
                () -> StandaloneCluster.builder("bad").executorMemory("256m").start());
        assertEquals("StandaloneCluster: executorMemory must be >= 450m (Spark's floor), got 256m", low.getMessage());
        IllegalArgumentException worker = assertThrows(IllegalArgumentException.class,
                () -> StandaloneCluster.builder("bad").workerMemory("512m").executorMemory("1g").start());
        assertEquals("StandaloneCluster: workerMemory 512m is below executorMemory 1g; no executor would ever start",
                worker.getMessage());
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> StandaloneCluster.builder("a/b"));
        assertTrue(name.getMessage().contains("got 'a/b'"), name.getMessage());
    }

    private static List<Long> numbers(long n) {
        return LongStream.rangeClosed(1, n).boxed().collect(Collectors.toList());
    }

    @Test
    @Order(1)
    void sumOfSquares_fourPartitions_matchesClosedFormAndRunsInTwoExecutorJvms() {
        long n = 1000;
        long expected = n * (n + 1) * (2 * n + 1) / 6; // 333,833,500
        long driverPid = ProcessHandle.current().pid();
        long sum = cluster.within(JOB_TIMEOUT, "sum of squares",
                () -> jsc.parallelize(numbers(n), 4).map(x -> x * x).reduce(Long::sum));
        assertEquals(333_833_500L, expected);
        assertEquals(expected, sum);

        List<String> where = cluster.within(JOB_TIMEOUT, "executor ids",
                () -> jsc.parallelize(numbers(4), 4).map(x -> {
                    Thread.sleep(300); // both slots busy at once: each executor takes a task
                    return SparkEnv.get().executorId() + "@" + ProcessHandle.current().pid();
                }).collect());
        Set<String> executors = new HashSet<>(where);
        assertEquals(2, executors.stream().map(s -> s.split("@")[0]).distinct().count(), where.toString());
        for (String e : executors) {
            assertNotEquals(String.valueOf(driverPid), e.split("@")[1], "a task ran in the driver JVM: " + where);
        }
        assertEquals(2, cluster.executorProcesses().size());
    }

    @Test
    @Order(2)
    void sum_executorKilledMidJob_completesWithTheRightAnswer() throws Exception {
        ClusterEvents events = ClusterEvents.attach(spark);
        int partitions = 8;
        long n = 8000;
        AtomicReference<StandaloneCluster.KilledExecutor> killed = new AtomicReference<>();
        AtomicReference<Throwable> killError = new AtomicReference<>();
        Thread killer = new Thread(() -> {
            try {
                // both executors are running a task: kill one halfway through its sleep
                if (ClusterEvents.await(() -> events.tasksStarted() >= 2, 60_000)) {
                    Thread.sleep(700);
                    killed.set(cluster.killExecutor());
                }
            } catch (Throwable t) {
                killError.set(t);
            }
        }, "executor-killer");
        killer.start();
        long sum = cluster.within(JOB_TIMEOUT, "sum with a killed executor",
                () -> jsc.parallelize(numbers(n), partitions).map(x -> {
                    if (x % (n / partitions) == 1) {
                        Thread.sleep(1500); // once per partition: tasks last long enough to be killed mid-way
                    }
                    return x;
                }).reduce(Long::sum));
        killer.join(10_000);
        assertEquals(null, killError.get());
        assertEquals(n * (n + 1) / 2, sum);
        assertEquals(32_004_000L, sum);

        StandaloneCluster.KilledExecutor k = killed.get();
        assertTrue(k != null, "the killer found no executor to kill; " + events);
        assertFalse(ProcessHandle.of(k.pid()).map(ProcessHandle::isAlive).orElse(false));
        assertTrue(ClusterEvents.await(() -> events.tasksFailed() >= 1 && events.executorsRemoved() >= 1, 10_000),
                "expected a failed task and a removed executor: " + events);
        assertTrue(events.failures().stream().anyMatch(f -> f.contains("executor " + k.executorId())), events
                .toString());
        // the Worker replaces the lost executor
        assertTrue(ClusterEvents.await(() -> events.executorsAdded() >= 1
                && StandaloneCluster.executorCount(spark) == 2 && cluster.executorProcesses().size() == 2, 60_000),
                "no replacement executor: " + events + ", processes " + cluster.executorProcesses());
    }
}
