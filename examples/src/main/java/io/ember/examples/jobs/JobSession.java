package io.ember.examples.jobs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The SparkSession of a job. Launched by {@code spark-submit}, a job finds {@code spark.master} in its SparkConf and
 * uses the session spark-submit configured, unchanged; started any other way (a launcher script, a test), it starts
 * an embedded Spark on {@code --master} (default {@code local[*]}).
 */
final class JobSession {
    /** Options every job has; {@link #start} reads them. */
    static void declare(Cli cli) {
        cli.option("master", "URL", "local[*]", "Spark master of the embedded Spark when not launched by spark-submit"
                + " (under spark-submit its --master is used)");
        cli.option("app-name", "NAME", null, "Spark application name (under spark-submit its --name wins)");
        cli.repeatable("conf", "KEY=VALUE", "a Spark setting for the session, e.g. --conf spark.sql.shuffle.partitions=8");
    }

    private JobSession() {
    }

    /** The --conf settings, checked before Spark starts. */
    static Map<String, String> conf(String lines) {
        Map<String, String> conf = new LinkedHashMap<>();
        if (lines == null) {
            return conf;
        }
        for (String kv : lines.split("\n")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new Cli.UsageException("option --conf: expected key=value, got '" + kv + "'");
            }
            conf.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
        }
        return conf;
    }

    /**
     * Starts (or, under spark-submit, joins) the session. Sets {@code spark.task.maxDirectResultSize=64m} unless
     * given: each training round's results (the parameters and the optimizer's state) then come back with the task
     * status instead of through the block manager.
     */
    static SparkSession start(String job, Map<String, String> opts, Cli cli, PrintStream out) {
        SparkConf given = new SparkConf();
        Map<String, String> conf = conf(opts.get("conf"));
        SparkSession.Builder b = SparkSession.builder();
        if (given.contains("spark.master")) {
            if (opts.containsKey("master") && !opts.get("master").equals(given.get("spark.master"))) {
                out.println(job + ": --master " + opts.get("master") + " ignored: spark-submit set the master to "
                        + given.get("spark.master"));
            }
        } else {
            b.master(cli.get(opts, "master")).config("spark.ui.showConsoleProgress", "false");
        }
        if (!given.contains("spark.app.name")) {
            b.appName(opts.getOrDefault("app-name", "ember-" + job));
        }
        if (!given.contains("spark.task.maxDirectResultSize") && !conf.containsKey("spark.task.maxDirectResultSize")) {
            b.config("spark.task.maxDirectResultSize", "64m");
        }
        conf.forEach(b::config);
        return b.getOrCreate();
    }

    /** Whether the Hadoop path exists (any FileSystem: file:, hdfs:, s3a:, ...). */
    static boolean exists(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            return p.getFileSystem(hadoop).exists(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot check " + path + ": " + e.getMessage(), e);
        }
    }
}
