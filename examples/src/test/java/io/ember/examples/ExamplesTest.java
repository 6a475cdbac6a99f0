package io.ember.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.io.ModelIO;
import io.ember.nn.Module;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples' training code on the shipped sample: they learn, save, reload and predict the same. */
class ExamplesTest {
    @TempDir
    Path tmp;

    @Test
    void mlp_oneEpochOnTheSample_learnsAndReloads() throws Exception {
        FashionMnist d = FashionMnist.sample();
        Generator.manualSeed(1);
        double acc = Classifier.trainAndCheck("mlp", Models.mlp(), d.trainImages, d.trainLabels, d.testImages,
                d.testLabels, 1, 64, 1e-3, 1, tmp.resolve("mlp"));
        assertTrue(acc > 0.70, "test accuracy after one epoch on 6,000 images: " + acc);
        assertTrue(Files.exists(tmp.resolve("mlp").resolve("model.json")));
    }

    @Test
    void cnn_oneEpochOnPartOfTheSample_learnsAndReloads() throws Exception {
        FashionMnist d = FashionMnist.sample();
        Generator.manualSeed(2);
        NDArray x = FashionMnistCnn.images(d.trainImages.narrow(0, 0, 2048));
        NDArray tx = FashionMnistCnn.images(d.testImages.narrow(0, 0, 500));
        double acc = Classifier.trainAndCheck("cnn", Models.cnn(), x, d.trainLabels.narrow(0, 0, 2048), tx,
                d.testLabels.narrow(0, 0, 500), 1, 64, 1e-3, 2, tmp.resolve("cnn"));
        assertTrue(acc > 0.55, "test accuracy after 32 steps: " + acc);
    }

    @Test
    void charLstm_learnsARepeatedText_generatesAndReloads() throws Exception {
        String text = "the quick brown fox jumps over the lazy dog. ".repeat(40);
        Path file = tmp.resolve("text.txt");
        Files.writeString(file, text);
        Path save = tmp.resolve("lstm");
        CharLstmExample.main(new String[] {"--text", file.toString(), "--steps", "120", "--seq", "32", "--batch",
            "16", "--hidden", "64", "--embed", "16", "--layers", "2", "--bidirectional", "false", "--dropout", "0.1",
            "--lr", "1e-2", "--save", save.toString(), "--prompt", "the quick", "--generate", "40",
            "--temperature", "0.2"});
        Models.CharLstm.register();
        Module m = ModelIO.load(save);
        assertTrue(m instanceof Models.CharLstm, m.getClass().getName());
        // after 120 steps on a 45-character cycle the model continues the cycle almost exactly
        String vocabUsed = text.chars().distinct().sorted().collect(StringBuilder::new,
                StringBuilder::appendCodePoint, StringBuilder::append).toString();
        String out = CharLstmExample.generate(m, vocabUsed, "the quick", 20, 0.01, 32, new Generator(3));
        assertEquals(20, out.length());
        assertTrue(" brown fox jumps ove".equals(out) || text.contains("the quick" + out.substring(0, 8)),
                "generated '" + out + "'");
    }
}
