package io.ember.nn.functional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.autograd.GradCheck;
import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import org.junit.jupiter.api.Test;

class FTest {
    @Test
    void oneHot_indices_encodeLastDim() {
        Tensor h = F.oneHot(Tensor.of(new long[] {2, 0, 1, 2}, 2, 2), -1);
        assertArrayEquals(new int[] {2, 2, 3}, h.sizes());
        assertEquals(DType.INT64, h.dtype());
        assertArrayEquals(new long[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1}, h.toLongArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.oneHot(Tensor.of(new long[] {4}, 1), 3));
        assertEquals("oneHot: index 4 is out of range for 3 classes", e.getMessage());
    }

    @Test
    void linear_badShapes_failClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.linear(Tensor.zeros(2, 3), Tensor.zeros(4, 5), null));
        assertEquals("linear: expected input [..., 5], got [2, 3]", e.getMessage());
    }

    @Test
    void conv1d_gradients_matchFiniteDifferences() {
        Generator g = new Generator(1);
        Tensor x = Tensor.randn(g, 2, 2, 6).to(DType.FLOAT64).requiresGrad(true);
        Tensor w = Tensor.randn(g, 4, 1, 3).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(g, 4).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> F.conv1d(in[0], in[1], in[2], 2, 1, 1, 2), x, w, b);
    }

    @Test
    void layerNormAndBatchNorm_withoutAffine_normalise() {
        Tensor x = Tensor.of(new double[] {1, 3, 5, 7}, 2, 2);
        double s = Math.sqrt(1 + 1e-5);
        assertArrayEquals(new double[] {-1 / s, 1 / s, -1 / s, 1 / s},
                F.layerNorm(x, new int[] {2}, null, null, 1e-5).toDoubleArray(), 1e-12);
        double t = Math.sqrt(4 + 1e-5);
        assertArrayEquals(new double[] {-2 / t, -2 / t, 2 / t, 2 / t},
                F.batchNorm(x, null, null, null, null, true, 0.1, 1e-5).toDoubleArray(), 1e-12);
    }

    @Test
    void dropout_badProbability_failsClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.dropout(Tensor.zeros(2), -0.1, true));
        assertEquals("dropout: probability must be in [0, 1], got -0.1", e.getMessage());
    }
}
