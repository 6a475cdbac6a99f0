package io.ember.nn.utils;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClipGradTest {
    private static Tensor withGrad(double[] grad) {
        Tensor p = Tensor.zeros(io.ember.tensor.DType.FLOAT64, grad.length).requiresGrad(true);
        p.setGrad(Tensor.of(grad, grad.length));
        return p;
    }

    @Test
    void clipGradNorm_twoNorm_scalesToMaxNorm() {
        // grads [3, 4] and [12]: total 2-norm sqrt(9 + 16 + 144) = 13
        Tensor a = withGrad(new double[] {3, 4});
        Tensor b = withGrad(new double[] {12});
        Tensor none = Tensor.zeros(2).requiresGrad(true);
        double total = ClipGrad.clipGradNorm(List.of(a, none, b), 6.5);
        assertEquals(13, total, 1e-12);
        double c = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[] {3 * c, 4 * c}, a.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {12 * c}, b.grad().toDoubleArray(), 1e-12);
        assertEquals(null, none.grad());
    }

    @Test
    void clipGradNorm_belowMax_leavesGrads() {
        Tensor a = withGrad(new double[] {3, 4});
        assertEquals(5, ClipGrad.clipGradNorm(List.of(a), 10), 1e-12);
        assertArrayEquals(new double[] {3, 4}, a.grad().toDoubleArray(), 0);
    }

    @Test
    void clipGradNorm_infNorm_usesLargestAbsolute() {
        Tensor a = withGrad(new double[] {1, -7});
        Tensor b = withGrad(new double[] {5, 2});
        double total = ClipGrad.clipGradNorm(List.of(a, b), 3.5, Double.POSITIVE_INFINITY);
        assertEquals(7, total, 0);
        double c = 3.5 / (7 + 1e-6);
        assertArrayEquals(new double[] {c, -7 * c}, a.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {5 * c, 2 * c}, b.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void clipGradNorm_oneNorm_float32() {
        Tensor a = Tensor.zeros(3).requiresGrad(true);
        a.setGrad(Tensor.of(new float[] {1, -2, 3}, 3));
        assertEquals(6, ClipGrad.clipGradNorm(List.of(a), 3, 1), 1e-6);
        assertArrayEquals(new double[] {0.5, -1, 1.5}, a.grad().toDoubleArray(), 1e-6);
    }

    @Test
    void clipGradNorm_nonfinite_throwsWhenAsked() {
        Tensor a = withGrad(new double[] {1, Double.NaN});
        var e = assertThrows(IllegalStateException.class,
                () -> ClipGrad.clipGradNorm(List.of(a), 1, 2, true));
        assertEquals("clipGradNorm: the total norm of order 2.0 of the gradients is NaN; set errorIfNonfinite to false "
                + "to clip anyway", e.getMessage());
        assertTrue(Double.isNaN(ClipGrad.clipGradNorm(List.of(a), 1, 2, false)));
    }

    @Test
    void clipGradNorm_badArguments_failClearly() {
        var e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(), -1));
        assertEquals("clipGradNorm: maxNorm must be >= 0, got -1.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(), 1, 0));
        assertEquals("clipGradNorm: normType must be > 0 (or Infinity), got 0.0", e.getMessage());
        assertEquals(0, ClipGrad.clipGradNorm(List.of(Tensor.zeros(2).requiresGrad(true)), 1));
    }

    @Test
    void clipGradValue_clampsEachElement() {
        Tensor a = withGrad(new double[] {-3, 0.5, 2, -0.1});
        ClipGrad.clipGradValue(List.of(a), 1);
        assertArrayEquals(new double[] {-1, 0.5, 1, -0.1}, a.grad().toDoubleArray(), 0);
        var e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(List.of(a), -1));
        assertEquals("clipGradValue: clipValue must be >= 0, got -1.0", e.getMessage());
    }
}
