package io.ember.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * A real Spark standalone cluster on loopback for integration tests: one Master and N Workers, each a separate JVM
 * started from this test JVM's own classpath, and the executor JVMs the Workers fork for each application.
 *
 * <p>No Spark distribution is needed: the cluster's {@code SPARK_HOME} is a folder under {@code target/} whose
 * {@code jars/} holds links to the jars of the test classpath (what a Spark installation ships), and the project's
 * class folders ({@code target/classes}, {@code target/test-classes}) reach the executors through
 * {@code spark.executor.extraClassPath}, the way an application's jar would. Everything binds to 127.0.0.1.
 *
 * <p>Logs go to {@code <baseDir>/logs} (daemons) and {@code <baseDir>/work-<i>/<app>/<executor>/stderr}
 * (executors); {@link #logsTail(int)} collects their ends for a failure message. {@link #close()} stops the
 * sessions it made and kills every process tree it started; the daemons also end by themselves when the test JVM
 * is gone (see {@link DaemonMain}). Jobs on a cluster can hang rather than fail (a lost cluster, executors that
 * cannot start), so tests run each action through {@link #within(Duration, String, Callable)}.
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.builder("smoke").workers(2).start()) {
 *     SparkSession spark = cluster.newSession("smoke");
 *     long n = cluster.within(Duration.ofSeconds(60), "count", () -> spark.range(100).count());
 * }
 * }</pre>
 */
public final class StandaloneCluster implements AutoCloseable {
    /** The executors' main class, as it appears on their command lines. */
    public static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://[^\\s]+)");
    private static final Pattern EXECUTOR_ID = Pattern.compile("--executor-id\\s+(\\S+)");

    private final Builder config;
    private final Path baseDir;
    private final Path sparkHome;
    private final Path logDir;
    private final List<String> classDirs = new ArrayList<>();
    private final List<String> jvmOptions;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<Daemon> daemons = new CopyOnWriteArrayList<>();
    private final List<SparkSession> sessions = new CopyOnWriteArrayList<>();
    private final List<Process> submissions = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook = new Thread(this::closeQuietly, "standalone-cluster-cleanup");
    private String masterUrl;
    private volatile boolean closed;

    private record Daemon(String name, Process process, Path log) {
    }

    /** An executor that {@link #killExecutor()} killed. */
    public record KilledExecutor(long pid, String executorId, String commandLine) {
    }

    /** Settings of a cluster; {@link #start()} starts it. */
    public static final class Builder {
        private final String name;
        private int workers = 2;
        private int coresPerWorker = 1;
        private String workerMemory = "1g";
        private String executorMemory = "512m";
        private String daemonHeap = "256m";
        private Duration startTimeout = Duration.ofSeconds(90);
        private boolean sparkOnly;

        private Builder(String name) {
            if (!name.matches("[A-Za-z0-9_.-]+")) {
                throw new IllegalArgumentException("StandaloneCluster: name must be letters, digits, '_', '.' or"
                        + " '-' (it names a folder), got '" + name + "'");
            }
            this.name = name;
        }

        /** Number of Worker JVMs (default 2). */
        public Builder workers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("StandaloneCluster: workers must be >= 1, got " + n);
            }
            workers = n;
            return this;
        }

        /** Cores each Worker offers, and each executor takes (default 1). */
        public Builder coresPerWorker(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("StandaloneCluster: coresPerWorker must be >= 1, got " + n);
            }
            coresPerWorker = n;
            return this;
        }

        /** Memory each Worker offers (default 1g); must hold the executor memory, or no executor ever starts. */
        public Builder workerMemory(String m) {
            workerMemory = m;
            return this;
        }

        /** {@code spark.executor.memory} of the sessions (default 512m; Spark needs >= 450m). */
        public Builder executorMemory(String m) {
            executorMemory = m;
            return this;
        }

        /** How long the Master and the Workers' registration may take (default 90 s). */
        public Builder startTimeout(Duration d) {
            startTimeout = d;
            return this;
        }

        /**
         * Makes {@code SPARK_HOME/jars} hold only what a Spark installation has: the test classpath's jars less
         * Ember's own (reactor and {@code io.ember} artifacts) and the libraries Ember brings that Spark does not ship
         * (bytedeco's OpenBLAS and JavaCPP, JCuda). Executors then have none of Ember: for applications that bring it
         * in their own jar, {@link #submit}. (Sessions from {@link #sessionBuilder} still get the class folders.)
         */
        public Builder sparkOnly() {
            sparkOnly = true;
            return this;
        }

        /** Starts the Master and the Workers and waits until the Master has registered every Worker. */
        public StandaloneCluster start() {
            long workerMb = megabytes(workerMemory);
            long executorMb = megabytes(executorMemory);
            if (executorMb < 450) {
                throw new IllegalArgumentException("StandaloneCluster: executorMemory must be >= 450m (Spark's"
                        + " floor), got " + executorMemory);
            }
            if (workerMb < executorMb) {
                throw new IllegalArgumentException("StandaloneCluster: workerMemory " + workerMemory
                        + " is below executorMemory " + executorMemory + "; no executor would ever start");
            }
            StandaloneCluster c = new StandaloneCluster(this);
            try {
                c.startDaemons();
                return c;
            } catch (RuntimeException | Error e) {
                String tail = c.logsTail(40);
                c.closeQuietly();
                throw new IllegalStateException("StandaloneCluster '" + name + "' failed to start: " + e.getMessage()
                        + "\n" + tail, e);
            }
        }
    }

    /** A cluster named {@code name} (its folder under {@code target/spark-cluster/}). */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    private StandaloneCluster(Builder config) {
        this.config = config;
        try {
            baseDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "spark-cluster")),
                    config.name + "-").toAbsolutePath();
            sparkHome = Files.createDirectories(baseDir.resolve("spark-home"));
            logDir = Files.createDirectories(baseDir.resolve("logs"));
            Files.createDirectories(baseDir.resolve("tmp"));
            linkClasspath(Files.createDirectories(sparkHome.resolve("jars")));
        } catch (IOException e) {
            throw new UncheckedIOException("StandaloneCluster: cannot prepare its folder under target/", e);
        }
        jvmOptions = sparkJvmOptions();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOCAL_HOSTNAME", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Jars of the test classpath become links in SPARK_HOME/jars; class folders are kept for extraClassPath. */
    private void linkClasspath(Path jars) throws IOException {
        Set<String> names = new HashSet<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath();
            if (Files.isDirectory(p)) {
                classDirs.add(p.toString());
            } else if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".jar")) {
                String name = p.getFileName().toString();
                if (config.sparkOnly && notInSpark(p)) {
                    continue;
                }
                if (!names.add(name)) {
                    name = (i++) + "-" + name;
                }
                Files.createSymbolicLink(jars.resolve(name), p);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("StandaloneCluster: no jars on java.class.path ("
                    + System.getProperty("java.class.path") + "); run from Maven's test classpath");
        }
    }

    /** Jars of Ember and of the libraries it brings that a Spark installation does not have. */
    static boolean notInSpark(Path jar) {
        String path = jar.toString().replace(File.separatorChar, '/');
        return jar.getFileName().toString().startsWith("ember-") || path.contains("/io/ember/")
                || path.contains("/org/bytedeco/") || path.contains("/org/jcuda/");
    }

    /**
     * Spark's add-opens list for the daemons: the {@code spark.add.opens} system property (src-test's pom sets it from
     * the parent pom), else the matching options this JVM was started with (surefire's argLine).
     */
    static List<String> sparkJvmOptions() {
        String prop = System.getProperty("spark.add.opens");
        if (prop != null && !prop.isBlank()) {
            return Arrays.asList(prop.trim().split("\\s+"));
        }
        return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--add-opens") || a.startsWith("--add-modules")
                        || a.startsWith("--add-exports") || a.startsWith("--enable-native-access")
                        || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect.")
                        || a.startsWith("-Dio.netty."))
                .collect(Collectors.toList());
    }

    private String daemonClasspath() {
        return sparkHome.resolve("jars") + File.separator + "*" + File.pathSeparator
                + String.join(File.pathSeparator, classDirs);
    }

    private void startDaemons() {
        Daemon master = launch("master", List.of("-Dspark.master.rest.enabled=false"),
                "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
        long deadline = System.nanoTime() + config.startTimeout.toNanos();
        while (masterUrl == null) {
            Matcher m = MASTER_URL.matcher(read(master.log));
            if (m.find()) {
                masterUrl = m.group(1);
            } else {
                checkAlive(master);
                pause(deadline, "the Master to start");
            }
        }
        for (int i = 0; i < config.workers; i++) {
            Path work = baseDir.resolve("work-" + i);
            Path local = baseDir.resolve("local-" + i);
            try {
                Files.createDirectories(work);
                Files.createDirectories(local);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            launch("worker-" + i, List.of("-Dspark.local.dir=" + local),
                    "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", "0",
                    "--webui-port", "0", "--cores", String.valueOf(config.coresPerWorker),
                    "--memory", config.workerMemory, "--work-dir", work.toString(), masterUrl);
        }
        while (count(read(master.log), "Registering worker ") < config.workers) {
            daemons.forEach(StandaloneCluster::checkAlive);
            pause(deadline, config.workers + " Workers to register with the Master");
        }
    }

    private Daemon launch(String name, List<String> extraOptions, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + config.daemonHeap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Djava.io.tmpdir=" + baseDir.resolve("tmp"));
        cmd.addAll(jvmOptions);
        cmd.addAll(extraOptions);
        cmd.add("-cp");
        cmd.add(daemonClasspath());
        cmd.add(DaemonMain.class.getName());
        cmd.add(mainClass);
        cmd.addAll(Arrays.asList(args));
        Path log = logDir.resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(baseDir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("HADOOP_")
                || k.equals("MASTER") || k.startsWith("PYSPARK"));
        pb.environment().putAll(env);
        try {
            Daemon d = new Daemon(name, pb.start(), log);
            daemons.add(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("StandaloneCluster: cannot start " + name + ": " + cmd, e);
        }
    }

    private static void checkAlive(Daemon d) {
        if (!d.process.isAlive()) {
            throw new IllegalStateException(d.name + " exited with status " + d.process.exitValue());
        }
    }

    private static void pause(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + what, e);
        }
    }

    /** {@code spark://127.0.0.1:port} of the Master. */
    public String masterUrl() {
        return masterUrl;
    }

    /** The cluster's folder (logs, work dirs, SPARK_HOME, scratch space shared by every JVM on this machine). */
    public Path baseDir() {
        return baseDir;
    }

    /** The number of Workers. */
    public int workers() {
        return config.workers;
    }

    /**
     * A SparkSession builder for an application on this cluster: loopback driver, no UI, the configured executor
     * memory and cores, {@code spark.task.maxFailures=4} (a killed executor counts as a task failure), the project's
     * class folders on the executors' classpath and their scratch space under {@link #baseDir()}.
     */
    public SparkSession.Builder sessionBuilder(String appName) {
        SparkSession.Builder b = SparkSession.builder().appName(appName).master(masterUrl)
                .config("spark.executor.extraClassPath", String.join(File.pathSeparator, classDirs));
        applicationConf().forEach(b::config);
        return b;
    }

    /** The settings of an application on this cluster, but its master and classpath. */
    private Map<String, String> applicationConf() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("spark.driver.host", "127.0.0.1");
        c.put("spark.driver.bindAddress", "127.0.0.1");
        c.put("spark.ui.enabled", "false");
        c.put("spark.executor.memory", config.executorMemory);
        c.put("spark.executor.cores", String.valueOf(config.coresPerWorker));
        c.put("spark.task.maxFailures", "4");
        c.put("spark.executor.extraJavaOptions", "-Djava.io.tmpdir=" + baseDir.resolve("tmp")
                + " -Dember.threads=" + config.coresPerWorker);
        c.put("spark.local.dir", baseDir.resolve("driver-local").toString());
        c.put("spark.sql.warehouse.dir", baseDir.resolve("warehouse").toUri().toString());
        c.put("spark.sql.shuffle.partitions", String.valueOf(2 * config.workers * config.coresPerWorker));
        c.put("spark.scheduler.minRegisteredResourcesRatio", "1.0");
        c.put("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s");
        return c;
    }

    /**
     * A new session from {@link #sessionBuilder(String)} (with {@code extraConf} on top) once every Worker runs an
     * executor for it; {@link #close()} stops it if the test did not.
     */
    public SparkSession newSession(String appName, Map<String, String> extraConf) {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        SparkSession.Builder b = sessionBuilder(appName);
        extraConf.forEach(b::config);
        SparkSession spark = b.getOrCreate();
        if (!masterUrl.equals(spark.sparkContext().master())) {
            throw new IllegalStateException("StandaloneCluster: getOrCreate returned a session on "
                    + spark.sparkContext().master() + " (another SparkContext is still running in this JVM; stop it"
                    + " first)");
        }
        sessions.add(spark);
        awaitExecutors(spark, config.workers, config.startTimeout);
        return spark;
    }

    /** {@link #newSession(String, Map)} with no extra settings. */
    public SparkSession newSession(String appName) {
        return newSession(appName, Map.of());
    }

    /** Executors registered with {@code spark}'s driver (the driver itself not counted). */
    public static int executorCount(SparkSession spark) {
        return spark.sparkContext().statusTracker().getExecutorInfos().length - 1;
    }

    /** Waits until {@code spark} has at least {@code n} executors; fails with the logs' tail otherwise. */
    public void awaitExecutors(SparkSession spark, int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (executorCount(spark) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("StandaloneCluster: " + executorCount(spark) + " of " + n
                        + " executors registered after " + timeout + "\n" + logsTail(30));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for executors", e);
            }
        }
    }

    /** The live executor JVMs the Workers of this cluster launched, oldest pid first. */
    public List<ProcessHandle> executorProcesses() {
        return daemons.stream()
                .filter(d -> d.name.startsWith("worker-"))
                .flatMap(d -> d.process.descendants())
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(EXECUTOR_MAIN)).orElse(false))
                .sorted(Comparator.comparingLong(ProcessHandle::pid))
                .collect(Collectors.toList());
    }

    /**
     * Kills one executor JVM with SIGKILL (no shutdown hooks, as when a machine dies) and waits until it is gone.
     *
     * @throws IllegalStateException if no executor is running
     */
    public KilledExecutor killExecutor() {
        List<ProcessHandle> running = executorProcesses();
        if (running.isEmpty()) {
            throw new IllegalStateException("StandaloneCluster.killExecutor: no executor process is running\n"
                    + logsTail(20));
        }
        return kill(running.get(0));
    }

    /**
     * Kills {@code victim}, one of {@link #executorProcesses()} found beforehand (so that the kill itself is
     * immediate), with SIGKILL and waits until it is gone.
     */
    public KilledExecutor kill(ProcessHandle victim) {
        String cmd = victim.info().commandLine().orElse("");
        Matcher m = EXECUTOR_ID.matcher(cmd);
        String id = m.find() ? m.group(1) : "?";
        victim.destroyForcibly();
        try {
            victim.onExit().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for executor " + id + " to die", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("executor " + id + " (pid " + victim.pid() + ") survived SIGKILL", e);
        }
        return new KilledExecutor(victim.pid(), id, cmd);
    }

    /**
     * Runs {@code job} on its own thread and returns its result, or fails the test (AssertionError with the logs'
     * tail) when it throws or does not finish within {@code timeout}: a job on a lost cluster waits forever.
     */
    public <T> T within(Duration timeout, String what, Callable<T> job) {
        ExecutorService ex = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "bounded-" + what);
            t.setDaemon(true);
            return t;
        });
        Future<T> f = ex.submit(job);
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            sessions.forEach(s -> s.sparkContext().cancelAllJobs());
            throw new AssertionError(what + " did not finish within " + timeout + "\n" + logsTail(40));
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed: " + e.getCause() + "\n" + logsTail(40), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + what, e);
        } finally {
            ex.shutdownNow();
        }
    }

    /** How a {@link #submit} ended: the driver's exit status and all it printed (stdout and stderr). */
    public record Submission(int exitCode, String output) {
    }

    /**
     * Runs {@code spark-submit --master <this cluster> --deploy-mode client <args>} the way Spark's
     * {@code bin/spark-submit} does, without the scripts: Spark's launcher ({@code org.apache.spark.launcher.Main},
     * what {@code bin/spark-class} runs, from {@code SPARK_HOME/jars}) builds the driver's command line (its JVM
     * options, Spark's add-opens list, the classpath of {@code SPARK_HOME/jars}), then that command runs
     * {@code org.apache.spark.deploy.SparkSubmit}. The cluster's application settings (loopback, memory, scratch
     * folders) go as {@code --conf} before {@code args}, which name the class, the application jar and its
     * arguments. Waits at most {@code timeout}, then kills the driver and fails with the logs' tail.
     */
    public Submission submit(String name, Duration timeout, String driverMemory, List<String> args) {
        List<String> submitArgs = new ArrayList<>(List.of("org.apache.spark.deploy.SparkSubmit", "--master",
                masterUrl, "--deploy-mode", "client", "--name", name, "--driver-memory", driverMemory,
                "--driver-java-options", "-Djava.io.tmpdir=" + baseDir.resolve("tmp")));
        applicationConf().forEach((k, v) -> submitArgs.addAll(List.of("--conf", k + "=" + v)));
        submitArgs.addAll(args);
        List<String> launcher = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx128m", "-cp", sparkHome.resolve("jars") + File.separator + "*",
                "org.apache.spark.launcher.Main"));
        launcher.addAll(submitArgs);
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> command = new ArrayList<>();
        Path launcherLog = logDir.resolve(name + "-launcher.log");
        Process lp = start(launcher, launcherLog, null);
        byte[] cmd;
        try {
            cmd = lp.getInputStream().readAllBytes();
            if (!lp.waitFor(30, TimeUnit.SECONDS) || lp.exitValue() != 0) {
                throw new AssertionError("Spark's launcher failed for " + name + ": " + read(launcherLog));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted launching " + name, e);
        } finally {
            lp.destroyForcibly();
        }
        // NUL-separated arguments, as bin/spark-class reads them (the first after a line break)
        for (String part : new String(cmd, StandardCharsets.UTF_8).split("\0")) {
            String arg = command.isEmpty() ? part.strip() : part;
            if (!arg.isEmpty()) {
                command.add(arg);
            }
        }
        Path log = logDir.resolve(name + ".log");
        Process driver = start(command, log, log);
        submissions.add(driver);
        try {
            long left = Math.max(0, deadline - System.nanoTime());
            if (!driver.waitFor(left, TimeUnit.NANOSECONDS)) {
                driver.descendants().forEach(ProcessHandle::destroyForcibly);
                driver.destroyForcibly();
                driver.onExit().get(30, TimeUnit.SECONDS);
                throw new AssertionError(name + " did not finish within " + timeout + "; its output:\n"
                        + read(log) + "\n" + logsTail(30));
            }
            return new Submission(driver.exitValue(), read(log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(name + " survived SIGKILL", e);
        } finally {
            submissions.remove(driver);
        }
    }

    /** Starts {@code cmd} in the cluster's folder and environment; stdout to {@code out} (null: a pipe). */
    private Process start(List<String> cmd, Path err, Path out) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(baseDir.toFile()).redirectError(err.toFile());
        if (out != null) {
            pb.redirectErrorStream(true).redirectOutput(out.toFile());
        }
        pb.environment().keySet().removeIf(k -> k.startsWith("SPARK_") || k.startsWith("HADOOP_")
                || k.equals("MASTER") || k.startsWith("PYSPARK"));
        pb.environment().putAll(env);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("StandaloneCluster: cannot start " + cmd, e);
        }
    }

    /** The last {@code lines} lines of every daemon log and every executor's stderr, each under its path. */
    public String logsTail(int lines) {
        List<Path> logs = new ArrayList<>();
        if (logDir != null && Files.isDirectory(logDir)) {
            try (Stream<Path> s = Files.list(logDir)) {
                s.sorted().forEach(logs::add);
            } catch (IOException e) {
                // keep what was found
            }
        }
        if (baseDir != null) {
            try (Stream<Path> s = Files.walk(baseDir, 4)) {
                s.filter(p -> p.getFileName().toString().equals("stderr")
                        && p.getParent().getParent().getFileName().toString().startsWith("app-")).sorted()
                        .forEach(logs::add);
            } catch (IOException | UncheckedIOException e) {
                // keep what was found
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Path p : logs) {
            List<String> all = Arrays.asList(read(p).split("\n"));
            sb.append("==> ").append(baseDir.relativize(p)).append(" (last ").append(Math.min(lines, all.size()))
                    .append(" lines) <==\n");
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    /** Stops the sessions made here (each within 30 s), then kills every executor, Worker and the Master. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SparkSession s : sessions) {
            stopSession(s, Duration.ofSeconds(30));
        }
        for (Process p : submissions) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Daemon d : daemons) {
            d.process.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        for (Daemon d : daemons) {
            d.process.destroyForcibly();
        }
        for (Daemon d : daemons) {
            try {
                d.process.onExit().get(30, TimeUnit.SECONDS);
                d.process.getOutputStream().close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | IOException e) {
                // nothing more to do: it got SIGKILL
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: this is the hook
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            // best effort
        }
    }

    /** Stops {@code spark} on another thread, waiting at most {@code timeout} (stopping can hang on a lost cluster). */
    public static void stopSession(SparkSession spark, Duration timeout) {
        Thread t = new Thread(spark::stop, "stop-session");
        t.setDaemon(true);
        t.start();
        try {
            t.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(cannot read " + p + ": " + e + ")";
        }
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    private static long megabytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([kKmMgG]?)[bB]?").matcher(size.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("StandaloneCluster: memory size like 512m or 1g expected, got '"
                    + size + "'");
        }
        long v = Long.parseLong(m.group(1));
        switch (m.group(2).toLowerCase()) {
            case "k":
                return v / 1024;
            case "g":
                return v * 1024;
            case "m":
                return v;
            default:
                return v / (1024 * 1024);
        }
    }
}
