package io.ember.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecurrentFunctionsTest {
    private static Tensor param(Generator g, int... shape) {
        return Tensor.of(NDArray.uniform(g, -0.8, 0.8, shape).to(DType.FLOAT64)).requiresGrad(true);
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void lstmLayer_gradcheck_float64() {
        Generator g = new Generator(1);
        int t = 3, b = 2, h = 3;
        Tensor xg = param(g, t, b, 4 * h);
        Tensor w = param(g, 4 * h, h);
        Tensor h0 = param(g, b, h);
        Tensor c0 = param(g, b, h);
        for (boolean reverse : new boolean[] {false, true}) {
            GradCheck.check(in -> {
                Tensor[] r = RecurrentFunctions.lstmLayer(in[0], in[1], in[2], in[3], null, reverse);
                return r[0].sum().add(r[1].mul(r[1]).sum()).add(r[2].mul(2.0).sum());
            }, xg, w, h0, c0);
        }
    }

    @Test
    void lstmLayer_withLengths_gradcheck() {
        Generator g = new Generator(2);
        Tensor xg = param(g, 4, 3, 8);
        Tensor w = param(g, 8, 2);
        Tensor h0 = param(g, 3, 2);
        Tensor c0 = param(g, 3, 2);
        int[] lengths = {4, 1, 2};
        for (boolean reverse : new boolean[] {false, true}) {
            GradCheck.check(in -> {
                Tensor[] r = RecurrentFunctions.lstmLayer(in[0], in[1], in[2], in[3], lengths, reverse);
                return RecurrentFunctions.concat(List.of(r[0].reshape(-1), r[1].reshape(-1), r[2].reshape(-1)), 0);
            }, xg, w, h0, c0);
        }
    }

    @Test
    void gruLayer_gradcheck_withAndWithoutLengths() {
        Generator g = new Generator(3);
        Tensor xg = param(g, 3, 3, 6);
        Tensor w = param(g, 6, 2);
        Tensor bias = param(g, 6);
        Tensor h0 = param(g, 3, 2);
        for (int[] lengths : new int[][] {null, {3, 2, 1}}) {
            for (boolean reverse : new boolean[] {false, true}) {
                GradCheck.check(in -> {
                    Tensor[] r = RecurrentFunctions.gruLayer(in[0], in[1], in[2], in[3], lengths, reverse);
                    return RecurrentFunctions.concat(List.of(r[0].reshape(-1), r[1].reshape(-1)), 0);
                }, xg, w, bias, h0);
            }
        }
    }

    @Test
    void rnnLayer_gradcheck_tanhAndRelu() {
        Generator g = new Generator(4);
        Tensor xg = param(g, 3, 2, 3);
        Tensor w = param(g, 3, 3);
        Tensor h0 = param(g, 2, 3);
        for (boolean relu : new boolean[] {false, true}) {
            for (int[] lengths : new int[][] {null, {1, 3}}) {
                GradCheck.check(in -> {
                    Tensor[] r = RecurrentFunctions.rnnLayer(in[0], in[1], in[2], relu, lengths, true);
                    return RecurrentFunctions.concat(List.of(r[0].reshape(-1), r[1].reshape(-1)), 0);
                }, xg, w, h0);
            }
        }
    }

    @Test
    void lstmCell_matchesEquations() {
        Generator g = new Generator(5);
        int b = 2, in = 3, h = 2;
        Tensor x = param(g, b, in);
        Tensor h0 = param(g, b, h);
        Tensor c0 = param(g, b, h);
        Tensor wIh = param(g, 4 * h, in);
        Tensor wHh = param(g, 4 * h, h);
        Tensor bIh = param(g, 4 * h);
        Tensor bHh = param(g, 4 * h);
        Tensor[] r = RecurrentFunctions.lstmCell(x, h0, c0, wIh, wHh, bIh, bHh);
        for (int n = 0; n < b; n++) {
            double[] pre = new double[4 * h];
            for (int q = 0; q < 4 * h; q++) {
                double s = bIh.getDouble(q) + bHh.getDouble(q);
                for (int k = 0; k < in; k++) {
                    s += wIh.getDouble(q, k) * x.getDouble(n, k);
                }
                for (int k = 0; k < h; k++) {
                    s += wHh.getDouble(q, k) * h0.getDouble(n, k);
                }
                pre[q] = s;
            }
            for (int j = 0; j < h; j++) {
                double c = sig(pre[h + j]) * c0.getDouble(n, j) + sig(pre[j]) * Math.tanh(pre[2 * h + j]);
                double hv = sig(pre[3 * h + j]) * Math.tanh(c);
                assertEquals(c, r[1].getDouble(n, j), 1e-12);
                assertEquals(hv, r[0].getDouble(n, j), 1e-12);
            }
        }
        GradCheck.check(a -> RecurrentFunctions.lstmCell(a[0], a[1], a[2], a[3], a[4], a[5], a[6])[0], x, h0, c0,
                wIh, wHh, bIh, bHh);
    }

    @Test
    void gruCell_matchesEquations() {
        Generator g = new Generator(6);
        int b = 2, in = 3, h = 2;
        Tensor x = param(g, b, in);
        Tensor h0 = param(g, b, h);
        Tensor wIh = param(g, 3 * h, in);
        Tensor wHh = param(g, 3 * h, h);
        Tensor bIh = param(g, 3 * h);
        Tensor bHh = param(g, 3 * h);
        Tensor r = RecurrentFunctions.gruCell(x, h0, wIh, wHh, bIh, bHh);
        for (int n = 0; n < b; n++) {
            double[] gi = new double[3 * h];
            double[] gh = new double[3 * h];
            for (int q = 0; q < 3 * h; q++) {
                gi[q] = bIh.getDouble(q);
                gh[q] = bHh.getDouble(q);
                for (int k = 0; k < in; k++) {
                    gi[q] += wIh.getDouble(q, k) * x.getDouble(n, k);
                }
                for (int k = 0; k < h; k++) {
                    gh[q] += wHh.getDouble(q, k) * h0.getDouble(n, k);
                }
            }
            for (int j = 0; j < h; j++) {
                double rr = sig(gi[j] + gh[j]);
                double z = sig(gi[h + j] + gh[h + j]);
                double nn = Math.tanh(gi[2 * h + j] + rr * gh[2 * h + j]);
                assertEquals((1 - z) * nn + z * h0.getDouble(n, j), r.getDouble(n, j), 1e-12);
            }
        }
        GradCheck.check(a -> RecurrentFunctions.gruCell(a[0], a[1], a[2], a[3], a[4], a[5]), x, h0, wIh, wHh, bIh,
                bHh);
    }

    @Test
    void lstmLayer_float32_matchesFloat64() {
        Generator g = new Generator(7);
        Tensor xg = Tensor.of(NDArray.uniform(g, -3, 3, 5, 4, 40));
        Tensor w = Tensor.of(NDArray.uniform(g, -0.5, 0.5, 40, 10));
        Tensor h0 = Tensor.of(NDArray.uniform(g, -1, 1, 4, 10));
        Tensor c0 = Tensor.of(NDArray.uniform(g, -1, 1, 4, 10));
        Tensor[] f = RecurrentFunctions.lstmLayer(xg, w, h0, c0, null, false);
        Tensor[] d = RecurrentFunctions.lstmLayer(xg.to(DType.FLOAT64), w.to(DType.FLOAT64), h0.to(DType.FLOAT64),
                c0.to(DType.FLOAT64), null, false);
        assertEquals(DType.FLOAT32, f[0].dtype());
        assertTrue(f[0].data().to(DType.FLOAT64).allClose(d[0].data(), 1e-5, 1e-5));
        assertTrue(f[2].data().to(DType.FLOAT64).allClose(d[2].data(), 1e-5, 1e-5));
    }

    @Test
    void lstmLayer_float32Gradients_matchFloat64() {
        // the float32 path (fast activations, transposed products) against the gradchecked float64 path
        Generator g = new Generator(17);
        int t = 6, b = 3, h = 12;
        NDArray xg = NDArray.uniform(g, -3, 3, t, b, 4 * h);
        NDArray w = NDArray.uniform(g, -0.5, 0.5, 4 * h, h);
        NDArray h0 = NDArray.uniform(g, -1, 1, b, h);
        NDArray c0 = NDArray.uniform(g, -1, 1, b, h);
        NDArray gOut = NDArray.uniform(g, -1, 1, t, b, h);
        NDArray gH = NDArray.uniform(g, -1, 1, b, h);
        NDArray gC = NDArray.uniform(g, -1, 1, b, h);
        for (int[] lengths : new int[][] {null, {6, 2, 0}}) {
            for (boolean reverse : new boolean[] {false, true}) {
                NDArray[] f = lstmGrads(DType.FLOAT32, xg, w, h0, c0, gOut, gH, gC, lengths, reverse);
                NDArray[] d = lstmGrads(DType.FLOAT64, xg, w, h0, c0, gOut, gH, gC, lengths, reverse);
                for (int i = 0; i < f.length; i++) {
                    assertEquals(DType.FLOAT32, f[i].dtype());
                    assertTrue(f[i].to(DType.FLOAT64).allClose(d[i], 1e-4, 1e-5),
                            "output/gradient " + i + " lengths " + java.util.Arrays.toString(lengths) + " reverse "
                                    + reverse);
                }
            }
        }
    }

    /** {out, hN, cN, dxg, dW, dh0, dc0} for loss sum(out gOut) + sum(hN gH) + sum(cN gC) in the given dtype. */
    private static NDArray[] lstmGrads(DType dt, NDArray xg, NDArray w, NDArray h0, NDArray c0, NDArray gOut,
            NDArray gH, NDArray gC, int[] lengths, boolean reverse) {
        Tensor[] in = {Tensor.of(xg.to(dt)).requiresGrad(true), Tensor.of(w.to(dt)).requiresGrad(true),
            Tensor.of(h0.to(dt)).requiresGrad(true), Tensor.of(c0.to(dt)).requiresGrad(true)};
        Tensor[] r = RecurrentFunctions.lstmLayer(in[0], in[1], in[2], in[3], lengths, reverse);
        r[0].mul(Tensor.of(gOut.to(dt))).sum().add(r[1].mul(Tensor.of(gH.to(dt))).sum())
                .add(r[2].mul(Tensor.of(gC.to(dt))).sum()).backward();
        return new NDArray[] {r[0].data(), r[1].data(), r[2].data(), in[0].grad().data(), in[1].grad().data(),
            in[2].grad().data(), in[3].grad().data()};
    }

    @Test
    void fastFloatActivations_matchMathWithinFewUlp() {
        float maxT = 0;
        float maxS = 0;
        for (int k = -200_000; k <= 200_000; k++) {
            float x = k * 1e-4f;
            for (float v : new float[] {x, x * 100f, x * 1e-20f}) {
                float t = RnnCellKernels.tanh(v);
                float s = RnnCellKernels.sigmoid(v);
                assertTrue(Math.abs(t) <= 1f && s >= 0f && s <= 1f, "range at " + v);
                maxT = Math.max(maxT, (float) Math.abs(t - Math.tanh(v)));
                maxS = Math.max(maxS, (float) Math.abs(s - 1 / (1 + Math.exp(-(double) v))));
                if (Math.abs(v) < 1e-3f) {
                    assertEquals(v, t, Math.abs(v) * 1e-6f, "tanh near 0 at " + v);
                }
            }
        }
        assertTrue(maxT < 4e-7f, "tanh error " + maxT);
        assertTrue(maxS < 2.5e-7f, "sigmoid error " + maxS);
        assertEquals(1f, RnnCellKernels.tanh(Float.POSITIVE_INFINITY));
        assertEquals(-1f, RnnCellKernels.tanh(Float.NEGATIVE_INFINITY));
        assertEquals(0f, RnnCellKernels.sigmoid(Float.NEGATIVE_INFINITY));
        assertTrue(Float.isNaN(RnnCellKernels.tanh(Float.NaN)));
        float[] a = {-30f, -0.5f, 0f, 0.25f, 4f, 30f};
        float[] b = a.clone();
        RnnCellKernels.tanhInPlace(a, 1, 5);
        RnnCellKernels.sigmoidInPlace(b, 0, 6);
        assertEquals(-30f, a[0]);
        assertEquals(30f, a[5]);
        assertEquals(Math.tanh(4.0), a[4], 4e-7);
        assertEquals(1 / (1 + Math.exp(30.0)), b[0], 2.5e-7);
        assertEquals(0.5f, b[2]);
    }

    @Test
    void rnn_noGrad_recordsNothing() {
        Generator g = new Generator(8);
        Tensor x = Tensor.randn(g, 2, 1, 3);
        List<Tensor> ws = List.of(param(g, 8, 3), param(g, 8, 2));
        try (Autograd.Scope s = Autograd.noGrad()) {
            RecurrentFunctions.Result r = RecurrentFunctions.rnn(RecurrentFunctions.Mode.LSTM,
                    x.to(DType.FLOAT64), null, null, ws, false, 1, false, 0, false, null, null);
            assertNull(r.output().gradFn());
        }
        RecurrentFunctions.Result r = RecurrentFunctions.rnn(RecurrentFunctions.Mode.LSTM, x.to(DType.FLOAT64), null,
                null, ws, false, 1, false, 0, false, null, null);
        assertEquals("LstmSequenceBackward", r.hN().gradFn().nextFunctions().get(0).name());
    }

    @Test
    void rnn_wrongWeightCount_throws() {
        Tensor x = Tensor.zeros(2, 1, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecurrentFunctions.rnn(
                RecurrentFunctions.Mode.GRU, x, null, null, List.of(Tensor.zeros(6, 3)), true, 1, false, 0, false,
                null, null));
        assertEquals("gru: expected 4 weight tensors (1 layers x 1 directions x 4), got 1", e.getMessage());
    }

    @Test
    void packPadded_thenPadPacked_roundTrips() {
        // T=3, B=3, lengths {2, 3, 1}: sorted order {1, 0, 2}, batch sizes {3, 2, 1}
        Tensor padded = Tensor.arange(9).to(DType.FLOAT64).reshape(3, 3, 1).requiresGrad(true);
        int[] bs = {3, 2, 1};
        int[] sorted = {1, 0, 2};
        Tensor packed = RecurrentFunctions.packPadded(padded, bs, sorted);
        assertEquals(List.of(1.0, 0.0, 2.0, 4.0, 3.0, 7.0), toList(packed));
        Tensor back = RecurrentFunctions.padPacked(packed, bs, sorted, 3, -1);
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, -1.0, -1.0, 7.0, -1.0), toList(back));
        GradCheck.check(in -> RecurrentFunctions.padPacked(RecurrentFunctions.packPadded(in[0], bs, sorted), bs,
                sorted, 3, 0), padded);
    }

    private static List<Double> toList(Tensor t) {
        List<Double> out = new java.util.ArrayList<>();
        for (double v : t.toDoubleArray()) {
            out.add(v);
        }
        return out;
    }
}
