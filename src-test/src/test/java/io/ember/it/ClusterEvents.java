package io.ember.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;

/**
 * Counts what a test on a cluster wants to see happen: tasks started, tasks that ended in failure (with their
 * reasons), executors added and removed. Register with {@link #attach(SparkSession)}; Spark delivers events on its
 * listener bus thread, a little after they happen, so tests wait for counts with {@link #await}.
 */
public final class ClusterEvents extends SparkListener {
    private final AtomicInteger tasksStarted = new AtomicInteger();
    private final AtomicInteger tasksFailed = new AtomicInteger();
    private final AtomicInteger executorsAdded = new AtomicInteger();
    private final AtomicInteger executorsRemoved = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final List<Trigger> triggers = new CopyOnWriteArrayList<>();

    /** A new listener registered on {@code spark}'s context. */
    public static ClusterEvents attach(SparkSession spark) {
        ClusterEvents events = new ClusterEvents();
        spark.sparkContext().addSparkListener(events);
        return events;
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart start) {
        int n = tasksStarted.incrementAndGet();
        for (Trigger t : triggers) {
            if (n >= t.atCount && triggers.remove(t)) {
                Thread thread = new Thread(t.action, "cluster-events-trigger");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    /**
     * Runs {@code action} on a new thread as soon as {@code n} more tasks have started (counted from now): the
     * moment the scheduler has launched them, before they can finish, e.g. to kill an executor mid-task.
     */
    public void afterTasksStart(int n, Runnable action) {
        triggers.add(new Trigger(tasksStarted.get() + n, action));
    }

    private record Trigger(int atCount, Runnable action) {
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.reason() != Success$.MODULE$) {
            tasksFailed.incrementAndGet();
            failures.add("stage " + end.stageId() + " task " + end.taskInfo().index() + " on executor "
                    + end.taskInfo().executorId() + ": " + end.reason());
        }
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded added) {
        executorsAdded.incrementAndGet();
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
        executorsRemoved.incrementAndGet();
        failures.add("executor " + removed.executorId() + " removed: " + removed.reason());
    }

    public int tasksStarted() {
        return tasksStarted.get();
    }

    public int tasksFailed() {
        return tasksFailed.get();
    }

    public int executorsAdded() {
        return executorsAdded.get();
    }

    public int executorsRemoved() {
        return executorsRemoved.get();
    }

    /** Failed tasks and removed executors, with Spark's reasons, in the order they came. */
    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** Waits up to {@code millis} for {@code condition}; returns whether it came true. */
    public static boolean await(java.util.function.BooleanSupplier condition, long millis) {
        long deadline = System.currentTimeMillis() + millis;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "tasks started " + tasksStarted + ", failed " + tasksFailed + "; executors added " + executorsAdded
                + ", removed " + executorsRemoved + "; " + failures;
    }
}
