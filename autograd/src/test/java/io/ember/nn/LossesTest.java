package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.GradCheck;
import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import org.junit.jupiter.api.Test;

class LossesTest {
    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64);
    }

    private static double[] logSoftmaxRow(double[] x, int off, int c) {
        double m = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            m = Math.max(m, x[off + j]);
        }
        double z = 0;
        for (int j = 0; j < c; j++) {
            z += Math.exp(x[off + j] - m);
        }
        double[] out = new double[c];
        for (int j = 0; j < c; j++) {
            out[j] = x[off + j] - m - Math.log(z);
        }
        return out;
    }

    @Test
    void crossEntropy_weightIgnoreSmoothing_everyReduction_matchesLoop() {
        int n = 5;
        int c = 4;
        Tensor x = randn(1, n, c);
        long[] t = {2, 0, -100, 3, 2};
        double[] w = {0.5, 1.0, 2.0, 1.5};
        double ls = 0.2;
        double[] xs = x.toDoubleArray();
        double[] per = new double[n];
        double wsum = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] == -100) {
                continue;
            }
            double[] lp = logSoftmaxRow(xs, i * c, c);
            double smooth = 0;
            for (int j = 0; j < c; j++) {
                smooth -= w[j] * lp[j];
            }
            per[i] = (1 - ls) * -w[(int) t[i]] * lp[(int) t[i]] + ls / c * smooth;
            wsum += w[(int) t[i]];
        }
        double total = 0;
        for (double v : per) {
            total += v;
        }
        Tensor target = Tensor.of(t, n);
        Tensor wt = Tensor.of(w, c);
        assertArrayEquals(per, new CrossEntropyLoss(wt, -100, ls, Reduction.NONE).forward(x, target)
                .toDoubleArray(), 1e-10);
        assertEquals(total, new CrossEntropyLoss(wt, -100, ls, Reduction.SUM).forward(x, target).item(), 1e-10);
        assertEquals(total / wsum, new CrossEntropyLoss(wt, -100, ls, Reduction.MEAN).forward(x, target).item(),
                1e-10);
    }

    @Test
    void crossEntropy_plainMean_matchesLoop_andSpatialTargets() {
        Tensor x = randn(2, 3, 4);
        long[] t = {1, 3, 0};
        double[] xs = x.toDoubleArray();
        double ref = 0;
        for (int i = 0; i < 3; i++) {
            ref -= logSoftmaxRow(xs, i * 4, 4)[(int) t[i]] / 3;
        }
        assertEquals(ref, new CrossEntropyLoss().forward(x, Tensor.of(t, 3)).item(), 1e-10);
        // [N, C, L] logits with [N, L] targets equal the flattened [N*L, C] case
        Tensor x3 = randn(3, 2, 4, 3);
        Tensor t3 = Tensor.of(new long[] {0, 1, 3, 2, 2, 0}, 2, 3);
        double a = new CrossEntropyLoss().forward(x3, t3).item();
        double b = new CrossEntropyLoss().forward(x3.permute(0, 2, 1).reshape(6, 4), t3.reshape(6)).item();
        assertEquals(b, a, 1e-10);
    }

    @Test
    void crossEntropy_probabilityTargets_matchLoop_andGradCheck() {
        Tensor x = randn(4, 3, 4).requiresGrad(true);
        Tensor p = randn(5, 3, 4).softmax(1);
        double[] w = {1, 2, 0.5, 1};
        CrossEntropyLoss loss = new CrossEntropyLoss(Tensor.of(w, 4), -100, 0.1, Reduction.MEAN);
        double[] xs = x.toDoubleArray();
        double[] ps = p.toDoubleArray();
        double ref = 0;
        for (int i = 0; i < 3; i++) {
            double[] lp = logSoftmaxRow(xs, i * 4, 4);
            for (int j = 0; j < 4; j++) {
                ref -= w[j] * (ps[i * 4 + j] * 0.9 + 0.1 / 4) * lp[j] / 3;
            }
        }
        assertEquals(ref, loss.forward(x, p).item(), 1e-10);
        CrossEntropyLoss f64 = (CrossEntropyLoss) loss.to(DType.FLOAT64);
        GradCheck.check(in -> f64.forward(in[0], p), x);
    }

    @Test
    void crossEntropy_badTargets_failClearly() {
        CrossEntropyLoss loss = new CrossEntropyLoss();
        Tensor x = Tensor.zeros(4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(x, Tensor.of(new long[] {0, 1, 2}, 3)));
        assertEquals("crossEntropy: expected target [4] for input [4, 3], got [3]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> loss.forward(x, Tensor.of(new long[] {0, 1, 3, 2}, 4)));
        assertEquals("crossEntropy: index 3 is out of range for 3 classes", e.getMessage());
    }

    @Test
    void nllLoss_weightedIgnore_everyReduction_matchesLoop() {
        Tensor lp = randn(6, 4, 3).logSoftmax(1);
        long[] t = {2, 1, 1, 0};
        double[] w = {3, 1, 0.5};
        double[] ls = lp.toDoubleArray();
        double[] per = new double[4];
        double sum = 0;
        double wsum = 0;
        for (int i = 0; i < 4; i++) {
            if (t[i] == 1) {
                continue; // ignored
            }
            per[i] = -w[(int) t[i]] * ls[i * 3 + (int) t[i]];
            sum += per[i];
            wsum += w[(int) t[i]];
        }
        Tensor target = Tensor.of(t, 4);
        Tensor wt = Tensor.of(w, 3);
        assertArrayEquals(per, new NLLLoss(wt, 1, Reduction.NONE).forward(lp, target).toDoubleArray(), 1e-12);
        assertEquals(sum, new NLLLoss(wt, 1, Reduction.SUM).forward(lp, target).item(), 1e-12);
        assertEquals(sum / wsum, new NLLLoss(wt, 1, Reduction.MEAN).forward(lp, target).item(), 1e-12);
    }

    @Test
    void regressionLosses_everyReduction_matchLoops() {
        double[] a = {0.5, -1.2, 3.0, 0.1, -0.4, 2.2};
        double[] b = {0.0, 0.3, 1.0, 0.1, -1.0, 2.0};
        Tensor x = Tensor.of(a, 2, 3);
        Tensor y = Tensor.of(b, 2, 3);
        double beta = 0.5;
        double[] mse = new double[6];
        double[] l1 = new double[6];
        double[] sl1 = new double[6];
        double[] sl0 = new double[6];
        for (int i = 0; i < 6; i++) {
            double d = a[i] - b[i];
            mse[i] = d * d;
            l1[i] = Math.abs(d);
            sl1[i] = Math.abs(d) < beta ? 0.5 * d * d / beta : Math.abs(d) - 0.5 * beta;
            sl0[i] = Math.abs(d);
        }
        checkReductions(mse, r -> new MSELoss(r).forward(x, y));
        checkReductions(l1, r -> new L1Loss(r).forward(x, y));
        checkReductions(sl1, r -> new SmoothL1Loss(r, beta).forward(x, y));
        checkReductions(sl0, r -> new SmoothL1Loss(r, 0).forward(x, y));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MSELoss().forward(x, Tensor.zeros(6)));
        assertEquals("mseLoss: input [2, 3] and target [6] must have the same shape", e.getMessage());
    }

    private static void checkReductions(double[] per, java.util.function.Function<Reduction, Tensor> f) {
        double sum = 0;
        for (double v : per) {
            sum += v;
        }
        assertArrayEquals(per, f.apply(Reduction.NONE).toDoubleArray(), 1e-12);
        assertEquals(sum, f.apply(Reduction.SUM).item(), 1e-12);
        assertEquals(sum / per.length, f.apply(Reduction.MEAN).item(), 1e-12);
    }

    @Test
    void bceLoss_weighted_clampsLogAtMinus100() {
        double[] p = {0.9, 0.2, 0.0, 1.0, 0.5, 0.7};
        double[] y = {1, 0, 1, 1, 0, 0.3};
        double[] w = {1, 2, 0.5};
        double[] per = new double[6];
        for (int i = 0; i < 6; i++) {
            double lx = Math.max(Math.log(p[i]), -100);
            double l1x = Math.max(Math.log(1 - p[i]), -100);
            per[i] = -w[i % 3] * (y[i] * lx + (1 - y[i]) * l1x);
        }
        assertEquals(50, per[2], 1e-12); // log(0) clamped: 0.5 * 100
        Tensor x = Tensor.of(p, 2, 3);
        Tensor t = Tensor.of(y, 2, 3);
        checkReductions(per, r -> new BCELoss(Tensor.of(w, 3), r).forward(x, t));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new BCELoss().forward(Tensor.of(new double[] {1.5}, 1), Tensor.of(new double[] {1}, 1)));
        assertTrue(e.getMessage().startsWith("binaryCrossEntropy: all elements of input should be between 0 and 1"));
        // at x = 0 the gradient stays finite (PyTorch divides by max(x (1 - x), 1e-12))
        Tensor x0 = Tensor.of(new double[] {0.0}, 1).requiresGrad(true);
        new BCELoss().forward(x0, Tensor.of(new double[] {1}, 1)).backward();
        assertEquals(-1e12, x0.grad().item(), 1);
    }

    @Test
    void bceWithLogits_posWeight_matchesLoop_andIsStable() {
        double[] x = {-100, -2, 0, 0.5, 3, 100};
        double[] y = {1, 0, 1, 0.5, 1, 0};
        double[] pw = {2, 0.5, 3};
        double[] w = {1, 0.5, 2, 1, 1, 1};
        double[] per = new double[6];
        for (int i = 0; i < 6; i++) {
            // -log(sigmoid(v)) = softplus(-v) and -log(1 - sigmoid(v)) = softplus(v), written stably
            double spNeg = Math.max(-x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
            double spPos = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
            per[i] = w[i] * (pw[i % 3] * y[i] * spNeg + (1 - y[i]) * spPos);
        }
        assertEquals(100, per[5], 1e-9);
        Tensor xt = Tensor.of(x, 2, 3);
        Tensor yt = Tensor.of(y, 2, 3);
        checkReductions(per, r -> new BCEWithLogitsLoss(Tensor.of(w, 2, 3), r, Tensor.of(pw, 3)).forward(xt, yt));
        assertTrue(Double.isFinite(new BCEWithLogitsLoss().forward(xt, yt).item()));
    }

    @Test
    void pointwiseLosses_gradients_matchFiniteDifferences() {
        Tensor x = randn(7, 3, 4).requiresGrad(true);
        Tensor y = randn(8, 3, 4).requiresGrad(true);
        Tensor prob = randn(9, 3, 4).sigmoid().detach().requiresGrad(true);
        Tensor target = randn(10, 3, 4).sigmoid().detach().requiresGrad(true);
        Tensor pw = Tensor.of(new double[] {1, 2, 0.5, 3}, 4);
        Tensor w = Tensor.of(new double[] {0.5, 1, 2}, 3, 1);
        GradCheck.check(in -> new SmoothL1Loss(Reduction.SUM, 0.7).forward(in[0], in[1]), x, y);
        GradCheck.check(in -> new MSELoss().forward(in[0], in[1]), x, y);
        GradCheck.check(in -> new L1Loss().forward(in[0], in[1]), x, y);
        BCELoss bce = (BCELoss) new BCELoss(w, Reduction.MEAN).to(DType.FLOAT64);
        GradCheck.check(in -> bce.forward(in[0], in[1]), prob, target);
        BCEWithLogitsLoss bcel = (BCEWithLogitsLoss) new BCEWithLogitsLoss(w, Reduction.SUM, pw).to(DType.FLOAT64);
        GradCheck.check(in -> bcel.forward(in[0], in[1]), x, target);
    }
}
