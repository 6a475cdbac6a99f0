package io.ember.nn.init;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.Generator;
import org.junit.jupiter.api.Test;

class InitTest {
    private static double maxAbs(Tensor t) {
        double m = 0;
        for (double v : t.toDoubleArray()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void fans_convWeight_likePyTorch() {
        assertArrayEquals(new int[] {3 * 5 * 5, 16 * 5 * 5}, Init.fans(Tensor.zeros(16, 3, 5, 5)));
        assertArrayEquals(new int[] {784, 256}, Init.fans(Tensor.zeros(256, 784)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(5)));
        assertEquals("Init: fan in and fan out need a tensor of at least 2 dimensions, got [5]", e.getMessage());
    }

    @Test
    void calculateGain_matchesPyTorchTable() {
        assertEquals(1, Init.calculateGain("linear"), 0);
        assertEquals(1, Init.calculateGain("conv2d"), 0);
        assertEquals(1, Init.calculateGain("sigmoid"), 0);
        assertEquals(5.0 / 3, Init.calculateGain("tanh"), 1e-15);
        assertEquals(Math.sqrt(2), Init.calculateGain("relu"), 1e-15);
        assertEquals(Math.sqrt(2 / (1 + 0.01 * 0.01)), Init.calculateGain("leaky_relu"), 1e-15);
        assertEquals(Math.sqrt(2 / (1 + 0.2 * 0.2)), Init.calculateGain("leakyRelu", 0.2), 1e-15);
        assertEquals(0.75, Init.calculateGain("selu"), 0);
        assertThrows(IllegalArgumentException.class, () -> Init.calculateGain("swish"));
    }

    @Test
    void kaimingUniform_boundIsGainSqrt3OverFan() {
        Tensor w = Tensor.zeros(200, 50);
        Init.kaimingUniform(w, 0, Init.Mode.FAN_IN, "relu", new Generator(1));
        double bound = Math.sqrt(2) * Math.sqrt(3.0 / 50);
        assertTrue(maxAbs(w) <= bound);
        assertTrue(maxAbs(w) > 0.95 * bound);
        assertEquals(bound / Math.sqrt(3), w.data().std(false).item(), bound * 0.03);
        Tensor v = Tensor.zeros(200, 50);
        Init.kaimingUniform(v, 0, Init.Mode.FAN_OUT, "relu", new Generator(1));
        assertTrue(maxAbs(v) <= Math.sqrt(2) * Math.sqrt(3.0 / 200));
    }

    @Test
    void kaimingNormal_xavier_statistics() {
        Tensor w = Tensor.zeros(300, 100);
        Init.kaimingNormal(w, 0, Init.Mode.FAN_IN, "relu", new Generator(2));
        assertEquals(Math.sqrt(2.0 / 100), w.data().std(true).item(), 0.02 * Math.sqrt(2.0 / 100));
        assertEquals(0, w.data().mean().item(), 0.003);
        Tensor x = Tensor.zeros(300, 100);
        Init.xavierUniform(x, 2.0, new Generator(3));
        double b = 2.0 * Math.sqrt(6.0 / 400);
        assertTrue(maxAbs(x) <= b && maxAbs(x) > 0.95 * b);
        Tensor y = Tensor.zeros(300, 100);
        Init.xavierNormal(y, 1.0, new Generator(4));
        assertEquals(Math.sqrt(2.0 / 400), y.data().std(true).item(), 0.02 * Math.sqrt(2.0 / 400));
    }

    @Test
    void plainFills_workOnParametersInPlace() {
        Tensor p = Tensor.zeros(3, 4).requiresGrad(true);
        Init.uniform(p, -0.1, 0.2, new Generator(5));
        for (double v : p.toDoubleArray()) {
            assertTrue(v >= -0.1 && v < 0.2);
        }
        Init.constant(p, 0.5);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, p.data().select(1, 0).toDoubleArray(), 0);
        Init.ones(p);
        assertEquals(12, p.data().sum().item(), 0);
        Init.zeros(p);
        assertEquals(0, p.data().sum().item(), 0);
        Tensor n = Init.normal(Tensor.zeros(100, 100), 3, 0.5, new Generator(6));
        assertEquals(3, n.data().mean().item(), 0.02);
        assertEquals(0.5, n.data().std(true).item(), 0.02);
        assertTrue(p.requiresGrad() && p.isLeaf());
    }
}
