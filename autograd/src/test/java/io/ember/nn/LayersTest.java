package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import org.junit.jupiter.api.Test;

class LayersTest {
    private static Tensor randn(long seed, int... shape) {
        return Tensor.randn(new Generator(seed), shape).to(DType.FLOAT64);
    }

    @Test
    void linear_forward_matchesLoop() {
        Linear fc = new Linear(5, 3, true, new Generator(1));
        fc.to(DType.FLOAT64);
        Tensor x = randn(2, 4, 5);
        double[] y = fc.forward(x).toDoubleArray();
        double[] w = fc.weight().toDoubleArray();
        double[] b = fc.bias().toDoubleArray();
        double[] xs = x.toDoubleArray();
        for (int n = 0; n < 4; n++) {
            for (int o = 0; o < 3; o++) {
                double s = b[o];
                for (int i = 0; i < 5; i++) {
                    s += xs[n * 5 + i] * w[o * 5 + i];
                }
                assertEquals(s, y[n * 3 + o], 1e-12);
            }
        }
    }

    @Test
    void linear_wrongInput_namesExpectedShape() {
        Linear fc = new Linear(784, 256);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fc.forward(Tensor.zeros(64, 785)));
        assertEquals("Linear: expected input [..., 784], got [64, 785]", e.getMessage());
    }

    @Test
    void linear_init_withinPyTorchBounds_andSeeded() {
        Linear fc = new Linear(100, 50, true, new Generator(7));
        double bound = 1 / Math.sqrt(100);
        for (double v : fc.weight().toDoubleArray()) {
            assertTrue(Math.abs(v) <= bound);
        }
        for (double v : fc.bias().toDoubleArray()) {
            assertTrue(Math.abs(v) <= bound);
        }
        // uniform on [-b, b] has std b / sqrt(3)
        assertEquals(bound / Math.sqrt(3), fc.weight().data().std(false).item(), bound * 0.05);
        Linear same = new Linear(100, 50, true, new Generator(7));
        assertArrayEquals(fc.weight().toDoubleArray(), same.weight().toDoubleArray(), 0);
        assertNull(new Linear(3, 2, false).bias());
    }

    /** Naive conv2d over double arrays. */
    static double[] conv2dLoop(double[] x, int n, int c, int h, int w, double[] wt, int o, int kh, int kw,
            double[] b, int[] s, int[] p, int[] d, int groups, int oh, int ow) {
        double[] out = new double[n * o * oh * ow];
        int cg = c / groups;
        int og = o / groups;
        for (int b0 = 0; b0 < n; b0++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double acc = b == null ? 0 : b[oc];
                        for (int ic = 0; ic < cg; ic++) {
                            for (int u = 0; u < kh; u++) {
                                for (int v = 0; v < kw; v++) {
                                    int yy = i * s[0] - p[0] + u * d[0];
                                    int xx = j * s[1] - p[1] + v * d[1];
                                    if (yy < 0 || yy >= h || xx < 0 || xx >= w) {
                                        continue;
                                    }
                                    int cin = g * cg + ic;
                                    acc += x[((b0 * c + cin) * h + yy) * w + xx]
                                            * wt[((oc * cg + ic) * kh + u) * kw + v];
                                }
                            }
                        }
                        out[((b0 * o + oc) * oh + i) * ow + j] = acc;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void conv2d_strideDilationPaddingGroups_matchesLoop() {
        Conv2d conv = new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2,
                true, new Generator(3));
        conv.to(DType.FLOAT64);
        Tensor x = randn(4, 2, 4, 7, 6);
        Tensor y = conv.forward(x);
        int oh = (7 + 2 - 1 * 2 - 1) / 2 + 1;
        int ow = (6 + 4 - 2 * 1 - 1) / 1 + 1;
        assertArrayEquals(new int[] {2, 6, oh, ow}, y.sizes());
        double[] ref = conv2dLoop(x.toDoubleArray(), 2, 4, 7, 6, conv.weight().toDoubleArray(), 6, 3, 2,
                conv.bias().toDoubleArray(), new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}, 2, oh, ow);
        assertArrayEquals(ref, y.toDoubleArray(), 1e-10);
        // unbatched input gives the same values without the batch dim
        Tensor y0 = conv.forward(x.select(0, 1));
        assertArrayEquals(y.select(0, 1).toDoubleArray(), y0.toDoubleArray(), 1e-12);
    }

    @Test
    void conv2d_wrongChannels_failsClearly() {
        Conv2d conv = new Conv2d(3, 8, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> conv.forward(Tensor.zeros(8, 4, 28, 28)));
        assertEquals("Conv2d: expected input [N, 3, H, W] or [3, H, W], got [8, 4, 28, 28]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 8, new int[] {3, 3}, new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, 2, true));
    }

    @Test
    void conv1d_forward_matchesLoop() {
        Conv1d conv = new Conv1d(2, 3, 3, 2, 1, 2, 1, true, new Generator(5));
        conv.to(DType.FLOAT64);
        Tensor x = randn(6, 2, 2, 9);
        Tensor y = conv.forward(x);
        int ol = (9 + 2 - 2 * 2 - 1) / 2 + 1;
        assertArrayEquals(new int[] {2, 3, ol}, y.sizes());
        double[] xs = x.toDoubleArray();
        double[] w = conv.weight().toDoubleArray();
        double[] b = conv.bias().toDoubleArray();
        double[] ys = y.toDoubleArray();
        for (int n = 0; n < 2; n++) {
            for (int o = 0; o < 3; o++) {
                for (int t = 0; t < ol; t++) {
                    double acc = b[o];
                    for (int c = 0; c < 2; c++) {
                        for (int k = 0; k < 3; k++) {
                            int pos = t * 2 - 1 + k * 2;
                            if (pos >= 0 && pos < 9) {
                                acc += xs[(n * 2 + c) * 9 + pos] * w[(o * 2 + c) * 3 + k];
                            }
                        }
                    }
                    assertEquals(acc, ys[(n * 3 + o) * ol + t], 1e-10);
                }
            }
        }
    }

    @Test
    void pools_forward_matchLoops() {
        Tensor x = randn(8, 1, 2, 5, 6);
        double[] xs = x.toDoubleArray();
        // max pool 2x2 stride 2 padding 1
        Tensor mp = new MaxPool2d(2, 2, 1).forward(x);
        assertArrayEquals(new int[] {1, 2, 3, 4}, mp.sizes());
        // avg pool 3x3 stride 2 padding 1, count include pad
        Tensor ap = new AvgPool2d(3, 2, 1).forward(x);
        assertArrayEquals(new int[] {1, 2, 3, 3}, ap.sizes());
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u < 2; u++) {
                        for (int v = 0; v < 2; v++) {
                            int yy = i * 2 - 1 + u;
                            int xx = j * 2 - 1 + v;
                            if (yy >= 0 && yy < 5 && xx >= 0 && xx < 6) {
                                m = Math.max(m, xs[(c * 5 + yy) * 6 + xx]);
                            }
                        }
                    }
                    assertEquals(m, mp.getDouble(0, c, i, j), 0);
                }
                for (int j = 0; j < 3; j++) {
                    double s = 0;
                    for (int u = 0; u < 3; u++) {
                        for (int v = 0; v < 3; v++) {
                            int yy = i * 2 - 1 + u;
                            int xx = j * 2 - 1 + v;
                            if (yy >= 0 && yy < 5 && xx >= 0 && xx < 6) {
                                s += xs[(c * 5 + yy) * 6 + xx];
                            }
                        }
                    }
                    assertEquals(s / 9, ap.getDouble(0, c, i, j), 1e-12);
                }
            }
        }
        // adaptive: windows [floor(i*H/oh), ceil((i+1)*H/oh))
        Tensor ad = new AdaptiveAvgPool2d(3, 4).forward(x);
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    int h0 = i * 5 / 3;
                    int h1 = ((i + 1) * 5 + 2) / 3;
                    int w0 = j * 6 / 4;
                    int w1 = ((j + 1) * 6 + 3) / 4;
                    double s = 0;
                    for (int yy = h0; yy < h1; yy++) {
                        for (int xx = w0; xx < w1; xx++) {
                            s += xs[(c * 5 + yy) * 6 + xx];
                        }
                    }
                    assertEquals(s / ((h1 - h0) * (w1 - w0)), ad.getDouble(0, c, i, j), 1e-12);
                }
            }
        }
    }

    @Test
    void embedding_lookup_paddingRowZeroAndNoGrad() {
        Embedding emb = new Embedding(5, 3, -1, new Generator(9));
        assertEquals(4, emb.paddingIdx());
        assertArrayEquals(new double[] {0, 0, 0}, emb.weight().data().select(0, 4).toDoubleArray(), 0);
        Tensor idx = Tensor.of(new long[] {1, 4, 1, 0}, 2, 2);
        Tensor out = emb.forward(idx);
        assertArrayEquals(new int[] {2, 2, 3}, out.sizes());
        assertArrayEquals(emb.weight().data().select(0, 1).toDoubleArray(), out.data().select(0, 0).select(0, 0)
                .toDoubleArray(), 0);
        out.sum().backward();
        double[] g = emb.weight().grad().toDoubleArray();
        assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0}, g, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> emb.forward(Tensor.of(new long[] {7}, 1)));
        assertEquals("embedding: index 7 is out of range for 5 embeddings", e.getMessage());
        // N(0, 1) init
        Embedding big = new Embedding(200, 50, null, new Generator(3));
        assertEquals(0, big.weight().data().mean().item(), 0.03);
        assertEquals(1, big.weight().data().std(true).item(), 0.03);
    }

    @Test
    void flattenIdentityDropout_behaveLikePyTorch() {
        Tensor x = randn(1, 2, 3, 4, 5);
        assertArrayEquals(new int[] {2, 60}, new Flatten().forward(x).sizes());
        assertArrayEquals(new int[] {2, 12, 5}, new Flatten(1, 2).forward(x).sizes());
        assertSame(x, new Identity().forward(x));
        Dropout d = new Dropout(0.25, new Generator(4));
        Tensor ones = Tensor.ones(DType.FLOAT64, 100, 100);
        double[] y = d.forward(ones).toDoubleArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.75, v, 1e-12);
            }
        }
        assertEquals(0.25, zeros / 10000.0, 0.02);
        d.eval();
        assertSame(ones, d.forward(ones));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5));
    }

    @Test
    void activations_matchFormulas() {
        double[] xs = {-2.5, -1, -0.1, 0, 0.3, 1.7};
        Tensor x = Tensor.of(xs, 6);
        double[] relu = new ReLU().forward(x).toDoubleArray();
        double[] leaky = new LeakyReLU(0.2).forward(x).toDoubleArray();
        double[] elu = new ELU(1.5).forward(x).toDoubleArray();
        double[] silu = new SiLU().forward(x).toDoubleArray();
        double[] sig = new Sigmoid().forward(x).toDoubleArray();
        double[] tanh = new Tanh().forward(x).toDoubleArray();
        double[] geluTanh = new GELU("tanh").forward(x).toDoubleArray();
        double[] gelu = new GELU().forward(x).toDoubleArray();
        // Phi at these points (from erf tables): Phi(-2.5)=0.0062096653, Phi(-1)=0.1586552539,
        // Phi(-0.1)=0.4601721627, Phi(0)=0.5, Phi(0.3)=0.6179114222, Phi(1.7)=0.9554345372
        double[] phi = {0.0062096653, 0.1586552539, 0.4601721627, 0.5, 0.6179114222, 0.9554345372};
        for (int i = 0; i < xs.length; i++) {
            double v = xs[i];
            double s = 1 / (1 + Math.exp(-v));
            assertEquals(Math.max(0, v), relu[i], 1e-12);
            assertEquals(v >= 0 ? v : 0.2 * v, leaky[i], 1e-12);
            assertEquals(v > 0 ? v : 1.5 * (Math.exp(v) - 1), elu[i], 1e-12);
            assertEquals(v * s, silu[i], 1e-12);
            assertEquals(s, sig[i], 1e-12);
            assertEquals(Math.tanh(v), tanh[i], 1e-12);
            double t = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            assertEquals(t, geluTanh[i], 1e-10);
            assertEquals(v * phi[i], gelu[i], 1e-8);
        }
        assertThrows(IllegalArgumentException.class, () -> new GELU("fast"));
    }

    @Test
    void softmaxModules_matchLoop() {
        Tensor x = randn(3, 2, 4);
        double[] xs = x.toDoubleArray();
        double[] sm = new Softmax(1).forward(x).toDoubleArray();
        double[] lsm = new LogSoftmax(-1).forward(x).toDoubleArray();
        for (int r = 0; r < 2; r++) {
            double z = 0;
            for (int j = 0; j < 4; j++) {
                z += Math.exp(xs[r * 4 + j]);
            }
            for (int j = 0; j < 4; j++) {
                assertEquals(Math.exp(xs[r * 4 + j]) / z, sm[r * 4 + j], 1e-12);
                assertEquals(xs[r * 4 + j] - Math.log(z), lsm[r * 4 + j], 1e-12);
            }
        }
    }
}
