package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.autograd.GradCheck;
import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import org.junit.jupiter.api.Test;

class NormalizationTest {
    private static final double EPS = 1e-5;

    private static Tensor x1() {
        return Tensor.of(new double[] {1, 0, 2, 0, 6, 3}, 3, 2);
    }

    private static Tensor x2() {
        return Tensor.of(new double[] {2, -1, 2, 1, 5, 3}, 3, 2);
    }

    @Test
    void batchNorm1d_twoTrainingSteps_matchHandComputation() {
        BatchNorm1d bn = new BatchNorm1d(2);
        bn.to(DType.FLOAT64);
        Tensor y = bn.forward(x1());
        // column 0 = [1, 2, 6]: mean 3, biased var 14/3, unbiased 7; column 1 = [0, 0, 3]: mean 1, var 2, unbiased 3
        double s0 = Math.sqrt(14.0 / 3 + EPS);
        double s1 = Math.sqrt(2 + EPS);
        assertArrayEquals(new double[] {-2 / s0, -1 / s1, -1 / s0, -1 / s1, 3 / s0, 2 / s1}, y.toDoubleArray(),
                1e-12);
        assertArrayEquals(new double[] {0.3, 0.1}, bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1.6, 1.2}, bn.runningVar().toDoubleArray(), 1e-12);
        bn.forward(x2());
        // column 0 = [2, 2, 5]: mean 3, unbiased 3; column 1 = [-1, 1, 3]: mean 1, unbiased 4
        assertArrayEquals(new double[] {0.57, 0.19}, bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {1.74, 1.48}, bn.runningVar().toDoubleArray(), 1e-12);
        assertEquals(2, bn.numBatchesTracked().data().getLong());
        bn.eval();
        Tensor e = bn.forward(Tensor.of(new double[] {1, 1}, 1, 2));
        assertArrayEquals(new double[] {(1 - 0.57) / Math.sqrt(1.74 + EPS), (1 - 0.19) / Math.sqrt(1.48 + EPS)},
                e.toDoubleArray(), 1e-12);
        assertEquals(2, bn.numBatchesTracked().data().getLong());
    }

    @Test
    void batchNorm1d_nullMomentum_cumulativeAverage() {
        BatchNorm1d bn = new BatchNorm1d(2, EPS, null, true, true);
        bn.to(DType.FLOAT64);
        bn.forward(x1());
        bn.forward(x2());
        assertArrayEquals(new double[] {3, 1}, bn.runningMean().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {5, 3.5}, bn.runningVar().toDoubleArray(), 1e-12);
    }

    @Test
    void batchNorm_withoutTracking_usesBatchStatsInEval() {
        BatchNorm1d bn = new BatchNorm1d(2, EPS, 0.1, false, false);
        assertNull(bn.runningMean());
        assertEquals(0, bn.numParameters());
        bn.eval();
        Tensor y = bn.forward(x1());
        assertEquals(-2 / Math.sqrt(14.0 / 3 + EPS), y.getDouble(0, 0), 1e-12);
        assertEquals(0, bn.stateDict().size());
    }

    @Test
    void batchNorm2d_affine_matchesLoop() {
        BatchNorm2d bn = new BatchNorm2d(3);
        bn.to(DType.FLOAT64);
        Tensor x = Tensor.randn(new Generator(1), 2, 3, 2, 4).to(DType.FLOAT64);
        bn.weight().data().copyFrom(io.ember.tensor.NDArray.of(new double[] {0.5, 2, -1}, 3));
        bn.bias().data().copyFrom(io.ember.tensor.NDArray.of(new double[] {1, 0, 3}, 3));
        Tensor y = bn.forward(x);
        double[] w = {0.5, 2, -1};
        double[] b = {1, 0, 3};
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < 8; i++) {
                    sum += x.getDouble(n, c, i / 4, i % 4);
                }
            }
            double mean = sum / 16;
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < 8; i++) {
                    double d = x.getDouble(n, c, i / 4, i % 4) - mean;
                    sq += d * d;
                }
            }
            double var = sq / 16;
            for (int n = 0; n < 2; n++) {
                for (int i = 0; i < 8; i++) {
                    double ref = (x.getDouble(n, c, i / 4, i % 4) - mean) / Math.sqrt(var + EPS) * w[c] + b[c];
                    assertEquals(ref, y.getDouble(n, c, i / 4, i % 4), 1e-12);
                }
            }
            assertEquals(0.1 * mean, bn.runningMean().getDouble(c), 1e-12);
            assertEquals(0.9 + 0.1 * sq / 15, bn.runningVar().getDouble(c), 1e-12);
        }
    }

    @Test
    void batchNorm_badInput_failsClearly() {
        BatchNorm2d bn = new BatchNorm2d(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> bn.forward(Tensor.zeros(2, 4, 5, 5)));
        assertEquals("BatchNorm2d: expected input [N, 3, H, W], got [2, 4, 5, 5]", e.getMessage());
        BatchNorm1d one = new BatchNorm1d(3);
        e = assertThrows(IllegalArgumentException.class, () -> one.forward(Tensor.zeros(1, 3)));
        assertEquals("batchNorm: expected more than 1 value per channel when training, got input [1, 3]",
                e.getMessage());
    }

    @Test
    void batchNorm_gradients_matchFiniteDifferences() {
        BatchNorm1d bn = new BatchNorm1d(3);
        bn.to(DType.FLOAT64);
        Tensor x = Tensor.randn(new Generator(2), 4, 3, 2).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> bn.forward(in[0]), x, bn.weight(), bn.bias());
        bn.eval();
        GradCheck.check(in -> bn.forward(in[0]), x, bn.weight(), bn.bias());
    }

    @Test
    void layerNorm_forward_matchesLoop_andGradChecks() {
        LayerNorm ln = new LayerNorm(new int[] {2, 3}, 1e-5, true);
        ln.to(DType.FLOAT64);
        ln.weight().data().copyFrom(Tensor.randn(new Generator(3), 2, 3).data().to(DType.FLOAT64));
        ln.bias().data().copyFrom(Tensor.randn(new Generator(4), 2, 3).data().to(DType.FLOAT64));
        Tensor x = Tensor.randn(new Generator(5), 4, 2, 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor y = ln.forward(x);
        double[] xs = x.toDoubleArray();
        double[] w = ln.weight().toDoubleArray();
        double[] b = ln.bias().toDoubleArray();
        double[] ys = y.toDoubleArray();
        for (int n = 0; n < 4; n++) {
            double mean = 0;
            for (int i = 0; i < 6; i++) {
                mean += xs[n * 6 + i] / 6;
            }
            double var = 0;
            for (int i = 0; i < 6; i++) {
                var += (xs[n * 6 + i] - mean) * (xs[n * 6 + i] - mean) / 6;
            }
            for (int i = 0; i < 6; i++) {
                assertEquals((xs[n * 6 + i] - mean) / Math.sqrt(var + 1e-5) * w[i] + b[i], ys[n * 6 + i], 1e-12);
            }
        }
        GradCheck.check(in -> ln.forward(in[0]), x, ln.weight(), ln.bias());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ln.forward(Tensor.zeros(4, 3, 2)));
        assertEquals("LayerNorm: expected input [..., 2, 3], got [4, 3, 2]", e.getMessage());
    }

    @Test
    void layerNorm_withoutAffine_hasNoParameters() {
        LayerNorm ln = new LayerNorm(new int[] {4}, 1e-5, false);
        assertEquals(0, ln.numParameters());
        Tensor y = ln.forward(Tensor.of(new double[] {1, 2, 3, 4}, 1, 4));
        double s = Math.sqrt(1.25 + 1e-5);
        assertArrayEquals(new double[] {-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s}, y.toDoubleArray(), 1e-12);
    }
}
