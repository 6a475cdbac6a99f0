package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.io.ModelIO;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job (examples/train.sh), run as a user runs it, on local[2]. */
class SparkTrainExampleTest {
    @Test
    void run_onTheShippedSample_trainsSavesAndReloads(@TempDir Path dir) throws Exception {
        Path save = dir.resolve("model");
        double acc = SparkTrainExample.run(new String[] {"--data", FashionMnist.sample().dir.toString(), "--epochs",
                "2", "--save", save.toString(), "--parquet", dir.resolve("parquet").toString()});
        // 2 epochs on 5,000 sample images: far above chance (0.1); the full set is the @Tag("full") test's job
        assertTrue(acc > 0.70, () -> "test accuracy " + acc);
        assertTrue(Files.exists(save.resolve(ModelIO.MODEL_JSON)));
    }
}
