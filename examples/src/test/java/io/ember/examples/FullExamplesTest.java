package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ember.tensor.Generator;
import java.nio.file.Files;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples' accuracy targets on the whole Fashion-MNIST set (Debian's dataset-fashion-mnist or FMNIST_DIR):
 * several minutes, so tagged "full" and run with {@code mvn -Pfull test}. Skipped without the full set.
 */
@Tag("full")
class FullExamplesTest {
    @TempDir
    java.nio.file.Path tmp;

    private static FashionMnist full() throws Exception {
        String dir = System.getenv("FMNIST_DIR");
        java.nio.file.Path p = dir != null ? java.nio.file.Path.of(dir) : FashionMnist.SYSTEM_DIR;
        assumeTrue(Files.exists(p.resolve("train-images-idx3-ubyte.gz")),
                "the full Fashion-MNIST set is not at " + p + " (apt-get install dataset-fashion-mnist)");
        return FashionMnist.load(p.toString());
    }

    @Test
    void mlp_tenEpochs_reaches088() throws Exception {
        FashionMnist d = full();
        Generator.manualSeed(42);
        double acc = Classifier.trainAndCheck("mlp", Models.mlp(), d.trainImages, d.trainLabels, d.testImages,
                d.testLabels, 10, 64, 1e-3, 42, tmp.resolve("mlp"));
        assertTrue(acc >= 0.88, "MLP test accuracy " + acc);
    }

    @Test
    void cnn_twoEpochs_reaches090() throws Exception {
        FashionMnist d = full();
        Generator.manualSeed(42);
        double acc = Classifier.trainAndCheck("cnn", Models.cnn(), FashionMnistCnn.images(d.trainImages),
                d.trainLabels, FashionMnistCnn.images(d.testImages), d.testLabels, 2, 64, FashionMnistCnn.LR, 42,
                tmp.resolve("cnn"));
        assertTrue(acc >= 0.90, "CNN test accuracy " + acc);
    }

    @Test
    void sparkMlp_threeEpochsOnLocal2_reaches087() throws Exception {
        FashionMnist d = full();
        double acc = SparkTrainExample.run(new String[] {"--data", d.dir.toString(), "--master", "local[2]",
                "--save", tmp.resolve("spark-mlp").toString(), "--parquet", tmp.resolve("parquet").toString(),
                "--scored", tmp.resolve("spark-mlp-scored").toString()});
        assertTrue(acc >= 0.87, "Spark MLP test accuracy " + acc);
    }
}
