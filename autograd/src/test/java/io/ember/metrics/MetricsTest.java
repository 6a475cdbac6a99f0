package io.ember.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void accuracy_logits_argmaxOverLastDim() {
        // argmax of each row: 1, 0, 2, 1 against labels 1, 0, 1, 0 -> 2 of 4
        NDArray logits = NDArray.of(new float[] {0.1f, 2f, -1f, 3f, 0f, 0f, 0f, 0f, 5f, 1f, 2f, 0.5f}, 4, 3);
        NDArray labels = NDArray.of(new long[] {1, 0, 1, 0}, 4);
        assertEquals(0.5, Metrics.accuracy(logits, labels), 0);
        assertEquals(2, Metrics.correct(logits, labels));
        assertEquals(0.5, Metrics.accuracy(Tensor.of(logits), Tensor.of(labels)), 0);
    }

    @Test
    void accuracy_indices_comparedDirectly() {
        NDArray pred = NDArray.of(new long[] {3, 1, 2, 2, 0}, 5);
        NDArray labels = NDArray.of(new long[] {3, 1, 0, 2, 1}, 5);
        assertEquals(0.6, Metrics.accuracy(pred, labels), 1e-15);
    }

    @Test
    void accuracy_shapeMismatch_failsClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Metrics.accuracy(NDArray.zeros(3, 2), NDArray.zeros(DType.INT64, 4)));
        assertEquals("accuracy: expected predictions [4, C] (logits) or [4] (class indices) for labels [4], got [3, 2]",
                e.getMessage());
    }

    /** t = 0 0 0 1 1 1 1 2 2 2, p = 0 0 1 1 1 1 2 0 2 2. */
    private static ConfusionMatrix handWorked() {
        ConfusionMatrix cm = new ConfusionMatrix(List.of("cat", "dog", "bird"));
        int[] t = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2};
        int[] p = {0, 0, 1, 1, 1, 1, 2, 0, 2, 2};
        float[] logits = new float[t.length * 3];
        for (int i = 0; i < t.length; i++) {
            logits[i * 3 + p[i]] = 1f; // one-hot of the prediction, via the logits path
        }
        long[] targets = new long[t.length];
        for (int i = 0; i < t.length; i++) {
            targets[i] = t[i];
        }
        cm.update(NDArray.of(logits, t.length, 3), NDArray.of(targets, t.length));
        return cm;
    }

    @Test
    void confusionMatrix_handWorked_countsAndScores() {
        ConfusionMatrix cm = handWorked();
        long[][] m = cm.matrix();
        assertArrayEquals(new long[] {2, 1, 0}, m[0]);
        assertArrayEquals(new long[] {0, 3, 1}, m[1]);
        assertArrayEquals(new long[] {1, 0, 2}, m[2]);
        assertArrayEquals(new long[] {2, 1, 0, 0, 3, 1, 1, 0, 2}, cm.toNDArray().toLongArray());
        assertEquals(10, cm.total());
        assertEquals(0.7, cm.accuracy(), 1e-15);
        // columns sum to 3, 4, 3; rows to 3, 4, 3
        assertEquals(2.0 / 3, cm.precision(0), 1e-15);
        assertEquals(3.0 / 4, cm.precision(1), 1e-15);
        assertEquals(2.0 / 3, cm.precision(2), 1e-15);
        assertEquals(2.0 / 3, cm.recall(0), 1e-15);
        assertEquals(3.0 / 4, cm.recall(1), 1e-15);
        assertEquals(3.0 / 4, cm.f1(1), 1e-15);
        assertEquals((2.0 / 3 + 3.0 / 4 + 2.0 / 3) / 3, cm.macroF1(), 1e-15);
        assertEquals(4, cm.support(1));
    }

    @Test
    void confusionMatrix_unevenClasses_precisionRecallDiffer() {
        ConfusionMatrix cm = new ConfusionMatrix(2);
        // true 1 predicted 1 x3, true 0 predicted 1 x1, true 1 predicted 0 x2, true 0 predicted 0 x4
        for (int i = 0; i < 3; i++) {
            cm.update(1, 1);
        }
        cm.update(1, 0);
        cm.update(0, 1);
        cm.update(0, 1);
        for (int i = 0; i < 4; i++) {
            cm.update(0, 0);
        }
        assertEquals(3.0 / 4, cm.precision(1), 1e-15); // 3 of 4 predicted 1
        assertEquals(3.0 / 5, cm.recall(1), 1e-15); // 3 of 5 true 1
        assertEquals(2 * 0.75 * 0.6 / 1.35, cm.f1(1), 1e-15);
        assertEquals(4.0 / 6, cm.precision(0), 1e-15);
        assertEquals(4.0 / 5, cm.recall(0), 1e-15);
        cm.reset();
        assertEquals(0, cm.total());
        assertTrue(Double.isNaN(cm.accuracy()));
        assertEquals(0, cm.precision(0), 0, "never predicted: 0");
    }

    @Test
    void confusionMatrix_outOfRange_failsClearly() {
        ConfusionMatrix cm = new ConfusionMatrix(3);
        assertEquals("ConfusionMatrix: target class 3 is out of range for 3 classes",
                assertThrows(IllegalArgumentException.class, () -> cm.update(0, 3)).getMessage());
        assertEquals("ConfusionMatrix.update: expected logits with 3 classes in the last dimension, got [2, 4]",
                assertThrows(IllegalArgumentException.class,
                        () -> cm.update(NDArray.zeros(2, 4), NDArray.of(new long[] {0, 1}, 2))).getMessage());
        assertEquals("ConfusionMatrix: predicted class 5 is out of range for 3 classes",
                assertThrows(IllegalArgumentException.class,
                        () -> cm.update(NDArray.of(new long[] {0, 5}, 2), NDArray.of(new long[] {0, 1}, 2)))
                        .getMessage());
        assertEquals(0, cm.total(), "a bad batch counts nothing");
    }

    @Test
    void confusionMatrix_toString_printsTable() {
        ConfusionMatrix cm = new ConfusionMatrix(List.of("neg", "pos"));
        int[] t = {0, 0, 1, 1, 1};
        int[] p = {0, 1, 1, 1, 0};
        for (int i = 0; i < t.length; i++) {
            cm.update(p[i], t[i]);
        }
        assertEquals("confusion matrix (rows: true class, columns: predicted), 5 samples\n"
                + "        neg   pos\n"
                + "neg       1     1\n"
                + "pos       1     2\n"
                + "\n"
                + "class precision    recall        f1   support\n"
                + "neg      0.5000    0.5000    0.5000         2\n"
                + "pos      0.6667    0.6667    0.6667         3\n"
                + "accuracy 0.6000, macro F1 0.5833", cm.toString());
    }
}
