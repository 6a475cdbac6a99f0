package io.ember.spark.data;

import org.apache.spark.sql.SparkSession;

/** A small local SparkSession for the data tests (one per test class, stopped in its @AfterAll). */
final class SparkSessions {
    private SparkSessions() {
    }

    static SparkSession local(String name) {
        SparkSession s = SparkSession.builder()
                .master("local[2]")
                .appName(name)
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
