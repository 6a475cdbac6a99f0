package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RnnTest {
    /** Naive double-precision recurrences written from PyTorch's equations, independent of the code under test. */
    static final class Reference {
        final double[][][] out;
        final double[][][] hN;
        final double[][][] cN;

        private Reference(double[][][] out, double[][][] hN, double[][][] cN) {
            this.out = out;
            this.hN = hN;
            this.cN = cN;
        }

        private static double sig(double v) {
            return 1 / (1 + Math.exp(-v));
        }

        private static double[] affine(Tensor w, Tensor b, double[] v) {
            int rows = w.size(0);
            double[] r = new double[rows];
            for (int i = 0; i < rows; i++) {
                double s = b == null ? 0 : b.getDouble(i);
                for (int k = 0; k < v.length; k++) {
                    s += w.getDouble(i, k) * v[k];
                }
                r[i] = s;
            }
            return r;
        }

        /** x [T][B][I] time-major; h0, c0 [L*D][B][H] or null; lengths null for all T. */
        static Reference run(String mode, Map<String, Tensor> p, int layers, boolean bidir, double[][][] x,
                double[][][] h0, double[][][] c0, int[] lengths) {
            int steps = x.length;
            int batch = x[0].length;
            int hidden = p.get("weightHh_l0").size(1);
            int dirs = bidir ? 2 : 1;
            double[][][] in = x;
            double[][][] hN = new double[layers * dirs][batch][hidden];
            double[][][] cN = new double[layers * dirs][batch][hidden];
            for (int l = 0; l < layers; l++) {
                double[][][] out = new double[steps][batch][hidden * dirs];
                for (int d = 0; d < dirs; d++) {
                    String s = "_l" + l + (d == 1 ? "_reverse" : "");
                    Tensor wIh = p.get("weightIh" + s);
                    Tensor wHh = p.get("weightHh" + s);
                    Tensor bIh = p.get("biasIh" + s);
                    Tensor bHh = p.get("biasHh" + s);
                    int idx = l * dirs + d;
                    for (int b = 0; b < batch; b++) {
                        int len = lengths == null ? steps : lengths[b];
                        double[] h = h0 == null ? new double[hidden] : h0[idx][b].clone();
                        double[] c = c0 == null ? new double[hidden] : c0[idx][b].clone();
                        for (int k = 0; k < len; k++) {
                            int t = d == 1 ? len - 1 - k : k;
                            double[] gi = affine(wIh, bIh, in[t][b]);
                            double[] gh = affine(wHh, bHh, h);
                            double[] nh = new double[hidden];
                            for (int j = 0; j < hidden; j++) {
                                switch (mode) {
                                    case "lstm" -> {
                                        double i = sig(gi[j] + gh[j]);
                                        double f = sig(gi[hidden + j] + gh[hidden + j]);
                                        double g = Math.tanh(gi[2 * hidden + j] + gh[2 * hidden + j]);
                                        double o = sig(gi[3 * hidden + j] + gh[3 * hidden + j]);
                                        c[j] = f * c[j] + i * g;
                                        nh[j] = o * Math.tanh(c[j]);
                                    }
                                    case "gru" -> {
                                        double r = sig(gi[j] + gh[j]);
                                        double z = sig(gi[hidden + j] + gh[hidden + j]);
                                        double n = Math.tanh(gi[2 * hidden + j] + r * gh[2 * hidden + j]);
                                        nh[j] = (1 - z) * n + z * h[j];
                                    }
                                    case "tanh" -> nh[j] = Math.tanh(gi[j] + gh[j]);
                                    default -> nh[j] = Math.max(0, gi[j] + gh[j]);
                                }
                            }
                            h = nh;
                            System.arraycopy(h, 0, out[t][b], d * hidden, hidden);
                        }
                        hN[idx][b] = h;
                        cN[idx][b] = c;
                    }
                }
                in = out;
            }
            return new Reference(in, hN, cN);
        }
    }

    static double[][][] toArray3(Tensor t) {
        double[][][] a = new double[t.size(0)][t.size(1)][t.size(2)];
        for (int i = 0; i < t.size(0); i++) {
            for (int j = 0; j < t.size(1); j++) {
                for (int k = 0; k < t.size(2); k++) {
                    a[i][j][k] = t.getDouble(i, j, k);
                }
            }
        }
        return a;
    }

    static void assertClose(double[][][] expected, Tensor actual, double tol) {
        assertEquals(expected.length, actual.size(0));
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected[i].length; j++) {
                for (int k = 0; k < expected[i][j].length; k++) {
                    double a = actual.getDouble(i, j, k);
                    assertTrue(Math.abs(expected[i][j][k] - a) <= tol, "at [" + i + ", " + j + ", " + k
                            + "]: expected " + expected[i][j][k] + ", got " + a);
                }
            }
        }
    }

    @Test
    void forward_tanhTwoLayersBidirectional_matchesLoop() {
        Generator.manualSeed(11);
        RNN rnn = new RNN(3, 4, 2, "tanh", true, false, 0, true);
        Tensor x = Tensor.randn(new Generator(1), 5, 2, 3);
        Tensor h0 = Tensor.randn(new Generator(2), 4, 2, 4);
        RNNBase.Output o = rnn.forward(x, new RNNBase.State(h0));
        Reference r = Reference.run("tanh", rnn.namedParameters(), 2, true, toArray3(x), toArray3(h0), null, null);
        assertClose(r.out, o.output(), 1e-5);
        assertClose(r.hN, o.hN(), 1e-5);
    }

    @Test
    void forward_reluBatchFirstNoBias_matchesLoop() {
        Generator.manualSeed(12);
        RNN rnn = new RNN(3, 5, 1, "relu", false, true, 0, false);
        Tensor x = Tensor.randn(new Generator(3), 2, 4, 3);
        Tensor out = rnn.forward(x);
        assertEquals(java.util.List.of(2, 4, 5), java.util.List.of(out.size(0), out.size(1), out.size(2)));
        Reference r = Reference.run("relu", rnn.namedParameters(), 1, false, toArray3(x.transpose(0, 1)), null, null,
                null);
        assertClose(r.out, out.transpose(0, 1), 1e-5);
    }

    @Test
    void parameters_pytorchNamesAndShapes() {
        RNN rnn = new RNN(3, 4, 2, "tanh", true, false, 0, true);
        Map<String, Tensor> p = rnn.namedParameters();
        assertEquals(java.util.List.of("weightIh_l0", "weightHh_l0", "biasIh_l0", "biasHh_l0", "weightIh_l0_reverse",
                "weightHh_l0_reverse", "biasIh_l0_reverse", "biasHh_l0_reverse", "weightIh_l1", "weightHh_l1",
                "biasIh_l1", "biasHh_l1", "weightIh_l1_reverse", "weightHh_l1_reverse", "biasIh_l1_reverse",
                "biasHh_l1_reverse"), new java.util.ArrayList<>(p.keySet()));
        assertEquals(java.util.List.of(4, 8), java.util.List.of(p.get("weightIh_l1").size(0),
                p.get("weightIh_l1").size(1)));
        double bound = 1 / Math.sqrt(4);
        for (Tensor t : p.values()) {
            for (double v : t.toDoubleArray()) {
                assertTrue(Math.abs(v) <= bound);
            }
        }
    }

    @Test
    void constructor_badNonlinearity_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RNN(3, 4, 1, "sigmoid", true, false, 0, false));
        assertEquals("RNN: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'", e.getMessage());
    }

    @Test
    void forward_wrongInputSize_throws() {
        RNN rnn = new RNN(3, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rnn.forward(Tensor.zeros(5, 2, 7)));
        assertEquals("RNN: expected input [..., 3], got [5, 2, 7]", e.getMessage());
    }

    @Test
    void forward_unbatched_matchesBatchOfOne() {
        RNN rnn = new RNN(3, 4);
        Tensor x = Tensor.randn(new Generator(4), 5, 3);
        Tensor a = rnn.forward(x);
        Tensor b = rnn.forward(x.unsqueeze(1)).squeeze(1);
        assertTrue(a.data().allClose(b.data()));
    }

    @Test
    void registry_rebuildsFromConfig_andPrints() {
        RNN rnn = new RNN(3, 4, 2, "relu", true, true, 0.5, false);
        Module m = ModuleRegistry.create("RNN", rnn.config());
        assertEquals(rnn.config(), m.config());
        assertEquals("RNN(3, 4, numLayers=2, batchFirst=true, dropout=0.5, nonlinearity=relu)", m.toString());
        rnn.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, rnn.forward(Tensor.zeros(DType.FLOAT64, 2, 1, 3)).dtype());
    }
}
