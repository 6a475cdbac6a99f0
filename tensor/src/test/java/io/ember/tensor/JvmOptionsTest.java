package io.ember.tensor;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JVM flags Ember passes (surefire argLine, launchers) are the ones Spark's own launcher passes. */
class JvmOptionsTest {

    private static List<String> sparkOptions() throws Exception {
        Class<?> c = Class.forName("org.apache.spark.launcher.JavaModuleOptions");
        String[] opts = (String[]) c.getMethod("defaultModuleOptionArray").invoke(null);
        return List.of(opts);
    }

    @Test
    void testJvm_hasEverySparkModuleOption() throws Exception {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String opt : sparkOptions()) {
            assertTrue(args.contains(opt), "surefire argLine lacks Spark's JVM option " + opt + "; JVM args: " + args);
        }
    }

    @Test
    void parentPom_listsEverySparkModuleOption() throws Exception {
        Path pom = Path.of("..", "pom.xml");
        String text = Files.readString(pom);
        int a = text.indexOf("<spark.add.opens>");
        int b = text.indexOf("</spark.add.opens>");
        assertTrue(a >= 0 && b > a, "pom.xml has no <spark.add.opens> property");
        List<String> listed = List.of(text.substring(a + "<spark.add.opens>".length(), b).trim().split("\\s+"));
        for (String opt : sparkOptions()) {
            assertTrue(listed.contains(opt), "pom.xml <spark.add.opens> lacks " + opt
                    + " (the launchers read this list)");
        }
    }
}
