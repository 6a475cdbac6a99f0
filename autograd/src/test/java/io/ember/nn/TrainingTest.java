package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.tensor.Generator;
import org.junit.jupiter.api.Test;

class TrainingTest {
    @Test
    void mlp_plainSgd_decreasesLoss() {
        Generator g = new Generator(42);
        Sequential mlp = new Sequential(new Linear(2, 16, true, g), new ReLU(), new Linear(16, 2, true, g));
        // two classes: inside or outside the circle of radius 1
        Tensor x = Tensor.rand(g, 128, 2).mul(3).sub(1.5);
        double[] xs = x.toDoubleArray();
        long[] labels = new long[128];
        for (int i = 0; i < 128; i++) {
            labels[i] = xs[2 * i] * xs[2 * i] + xs[2 * i + 1] * xs[2 * i + 1] < 1 ? 1 : 0;
        }
        Tensor y = Tensor.of(labels, 128);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        double first = 0;
        double last = 0;
        for (int step = 0; step < 200; step++) {
            mlp.zeroGrad();
            Tensor loss = lossFn.forward(mlp.forward(x), y);
            loss.backward();
            try (Autograd.Scope s = Autograd.noGrad()) {
                for (Tensor p : mlp.parameters()) {
                    p.addInPlace(p.grad(), -0.5);
                }
            }
            if (step == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        assertTrue(last < 0.6 * first, "loss went from " + first + " to " + last);
    }
}
