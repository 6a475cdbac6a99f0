package io.ember.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import org.junit.jupiter.api.Test;

class EngineTest {
    @Test
    void backward_handWorkedChain_matchesCalculus() {
        // y = sum((a * b + a) ^ 2), a = [1, 2], b = [3, 4]: dy/da = 2 (ab + a)(b + 1), dy/db = 2 (ab + a) a
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3, 4}, 2).requiresGrad(true);
        Tensor y = a.mul(b).add(a).pow(2).sum();
        assertEquals(16 + 100, y.item(), 1e-12);
        y.backward();
        assertArrayEquals(new double[] {2 * 4 * 4, 2 * 10 * 5}, a.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {2 * 4 * 1, 2 * 10 * 2}, b.grad().toDoubleArray(), 1e-12);
        assertEquals("PowScalarBackward", y.gradFn().nextFunctions().get(0).name());
        assertEquals("SumBackward", y.gradFn().name());
    }

    @Test
    void backward_twice_accumulatesIntoLeaves() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        a.mul(2.0).sum().backward();
        a.mul(3.0).sum().backward();
        assertArrayEquals(new double[] {5, 5, 5}, a.grad().toDoubleArray(), 0);
        a.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void backward_sameGraphTwiceWithoutRetain_failsClearly() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor y = a.exp().sum();
        y.backward(null, true);
        y.backward(null, false);
        assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, a.grad().toDoubleArray(), 1e-12);
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().contains("second time"), e.getMessage());
    }

    @Test
    void backward_broadcastAdd_reducesGradientToInputShape() {
        Tensor x = Tensor.ones(DType.FLOAT64, 4, 3).requiresGrad(true);
        Tensor bias = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        x.add(bias).mul(x.add(bias)).sum().backward();
        // d/dbias sum((x+b)^2) = sum over rows 2 (1 + b)
        assertArrayEquals(new double[] {4 * 4, 4 * 6, 4 * 8}, bias.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new int[] {4, 3}, x.grad().sizes());
    }

    @Test
    void backward_nonScalarWithoutGradient_failsNamingShape() {
        Tensor a = Tensor.ones(DType.FLOAT64, 2, 2).requiresGrad(true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.mul(2.0).backward());
        assertTrue(e.getMessage().contains("[2, 2]"), e.getMessage());
    }

    @Test
    void noGrad_recordsNothing_andInPlaceOnLeafIsRejectedOutsideIt() {
        Tensor w = Tensor.ones(3).requiresGrad(true);
        try (var s = Autograd.noGrad()) {
            Tensor y = w.mul(2.0);
            assertFalse(y.requiresGrad());
            w.addInPlace(Tensor.ones(3));
        }
        assertEquals(2.0, w.getDouble(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.mulInPlace(2.0));
        assertTrue(e.getMessage().contains("noGrad"), e.getMessage());
        assertTrue(Autograd.isGradEnabled());
    }

    @Test
    void inferenceMode_tensorLaterUsedInGraph_failsClearly() {
        Tensor w = Tensor.ones(3).requiresGrad(true);
        Tensor t;
        try (var s = Autograd.inferenceMode()) {
            t = Tensor.ones(3).requiresGrad(true);
        }
        Tensor tt = t;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tt.mul(w));
        assertTrue(e.getMessage().contains("inference"), e.getMessage());
    }

    @Test
    void retainGrad_nonLeaf_keepsItsGradient() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor h = a.mul(3.0).retainGrad();
        h.mul(h).sum().backward();
        assertArrayEquals(new double[] {6, 12}, h.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {18, 36}, a.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void anomaly_backwardNaN_namesTheOp() {
        Tensor a = Tensor.of(new double[] {0, 1}, 2).requiresGrad(true);
        try (var s = Autograd.detectAnomaly()) {
            Tensor y = a.pow(0.5).sum(); // d/da at 0 is inf
            IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
            assertTrue(e.getMessage().contains("PowScalarBackward"), e.getMessage());
            IllegalStateException f = assertThrows(IllegalStateException.class, () -> a.log());
            assertTrue(f.getMessage().contains("log"), f.getMessage());
        }
    }

    static final class Cube extends Function {
        @Override
        protected Tensor forward(Context ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].mul(in[0]).mul(in[0]);
        }

        @Override
        protected Tensor[] backward(Context ctx, Tensor grad) {
            Tensor x = ctx.saved(0);
            return new Tensor[] {grad.mul(x.mul(x)).mul(3.0)};
        }
    }

    @Test
    void customFunction_gradcheckAndName() {
        Tensor x = Tensor.of(new double[] {0.5, -1.5, 2}, 3).requiresGrad(true);
        GradCheck.check(in -> new Cube().apply(in[0]), x);
        assertEquals("CubeBackward", new Cube().apply(x).gradFn().name());
    }

    @Test
    void gradcheck_wrongBackward_isCaught() {
        final class Wrong extends Function {
            @Override
            protected Tensor forward(Context ctx, Tensor... in) {
                return in[0].mul(in[0]);
            }

            @Override
            protected Tensor[] backward(Context ctx, Tensor grad) {
                return new Tensor[] {grad};
            }
        }
        Tensor x = Tensor.of(new double[] {0.5, 2}, 2).requiresGrad(true);
        assertThrows(AssertionError.class, () -> GradCheck.check(in -> new Wrong().apply(in[0]), x));
    }

    @Test
    void matmul_vectorAndBatchedBroadcast_gradcheck() {
        Tensor a = Tensor.randn(2, 3, 4).to(DType.FLOAT64).requiresGrad(true);
        Tensor b = Tensor.randn(4, 5).to(DType.FLOAT64).requiresGrad(true);
        Tensor v = Tensor.randn(4).to(DType.FLOAT64).requiresGrad(true);
        Tensor u = Tensor.randn(3).to(DType.FLOAT64).requiresGrad(true);
        GradCheck.check(in -> in[0].matmul(in[1]), a, b);
        GradCheck.check(in -> in[0].matmul(in[1]), a, v);
        GradCheck.check(in -> in[0].matmul(in[1]), u, Tensor.randn(3, 4).to(DType.FLOAT64).requiresGrad(true));
        GradCheck.check(in -> in[0].matmul(in[1]), v, v.detach().clone().requiresGrad(true));
    }

    @Test
    void backward_oneGradientToTwoLeaves_leavesGetIndependentArrays() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {3, 4}, 2).requiresGrad(true);
        a.add(b).sum().backward(); // Add hands the same gradient array to both leaves
        a.grad().data().mulInPlace(10.0);
        assertArrayEquals(new double[] {1, 1}, b.grad().toDoubleArray(), 0);
        Tensor w = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor x = Tensor.of(new double[] {1, -1, 2}, 1, 3);
        Tensor y = Functions.linear(x, w, null);
        y.backward(Tensor.of(new double[] {1, 1}, 1, 2), true);
        y.backward(Tensor.of(new double[] {1, 1}, 1, 2), true); // accumulates into the kept (exclusive) array
        assertArrayEquals(new double[] {2, -2, 4, 2, -2, 4}, w.grad().toDoubleArray(), 0);
    }

    @Test
    void linear_matchesLoopAndNamesAddmm() {
        Tensor x = Tensor.randn(2, 3, 4).to(DType.FLOAT64);
        Tensor w = Tensor.randn(5, 4).to(DType.FLOAT64);
        Tensor b = Tensor.randn(5).to(DType.FLOAT64);
        Tensor y = Functions.linear(x.requiresGrad(true), w.requiresGrad(true), b.requiresGrad(true));
        assertEquals("AddmmBackward", y.gradFn().name());
        assertArrayEquals(new int[] {2, 3, 5}, y.sizes());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int o = 0; o < 5; o++) {
                    double ref = b.getDouble(o);
                    for (int k = 0; k < 4; k++) {
                        ref += x.getDouble(i, j, k) * w.getDouble(o, k);
                    }
                    assertEquals(ref, y.getDouble(i, j, o), 1e-12);
                }
            }
        }
        GradCheck.check(in -> Functions.linear(in[0], in[1], in[2]), x, w, b);
        GradCheck.check(in -> Functions.linear(in[0], in[1], null), x.detach().clone().requiresGrad(true), w);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functions.linear(Tensor.ones(2, 3), Tensor.ones(5, 4), null));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[5, 4]"), e.getMessage());
    }
}
