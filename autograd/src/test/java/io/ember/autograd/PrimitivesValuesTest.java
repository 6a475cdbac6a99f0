package io.ember.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.Index;
import io.ember.tensor.NDArray;
import org.junit.jupiter.api.Test;

/** Forward values and special gradients of the non-trivial primitives, against naive loops in double. */
class PrimitivesValuesTest {
    private static final double[][] LOGITS = {
        {0.2, -1.0, 0.5, 1.5}, {2.0, 0.1, -0.3, 0.0}, {-0.7, 0.4, 0.9, -1.2}, {1.1, 1.1, -2.0, 0.3}, {0.0, 0.6, 0.6,
            -0.5}};
    private static final long[] TARGET = {1, -100, 3, 0, 2};
    private static final double[] W = {0.5, 1.5, 1.0, 2.0};

    private static Tensor logits() {
        double[] flat = new double[20];
        for (int i = 0; i < 5; i++) {
            System.arraycopy(LOGITS[i], 0, flat, i * 4, 4);
        }
        return Tensor.of(flat, 5, 4).requiresGrad(true);
    }

    /** Per-row losses and the MEAN denominator by PyTorch's formula, in plain double loops. */
    private static double[] ceRows(double[] w, double eps, double[] denom) {
        double[] out = new double[5];
        double d = 0;
        for (int i = 0; i < 5; i++) {
            if (TARGET[i] == -100) {
                continue;
            }
            double m = Double.NEGATIVE_INFINITY;
            for (double v : LOGITS[i]) {
                m = Math.max(m, v);
            }
            double s = 0;
            for (double v : LOGITS[i]) {
                s += Math.exp(v - m);
            }
            double lse = m + Math.log(s);
            int t = (int) TARGET[i];
            double wt = w == null ? 1 : w[t];
            double smooth = 0;
            for (int c = 0; c < 4; c++) {
                smooth += (w == null ? 1 : w[c]) * -(LOGITS[i][c] - lse);
            }
            out[i] = (1 - eps) * wt * -(LOGITS[i][t] - lse) + eps / 4 * smooth;
            d += wt;
        }
        denom[0] = d;
        return out;
    }

    @Test
    void crossEntropy_weightsIgnoreSmoothing_matchesLoop() {
        Tensor target = Tensor.of(TARGET, 5);
        Tensor weight = Tensor.of(W, 4);
        for (double eps : new double[] {0, 0.25}) {
            for (boolean weighted : new boolean[] {false, true}) {
                double[] denom = new double[1];
                double[] rows = ceRows(weighted ? W : null, eps, denom);
                double sum = 0;
                for (double v : rows) {
                    sum += v;
                }
                Tensor w = weighted ? weight : null;
                String what = "eps " + eps + " weighted " + weighted;
                assertArrayEquals(rows, Functions.crossEntropy(logits(), target, w, -100, eps, Reduction.NONE)
                        .toDoubleArray(), 1e-12, what);
                assertEquals(sum, Functions.crossEntropy(logits(), target, w, -100, eps, Reduction.SUM).item(),
                        1e-12, what);
                assertEquals(sum / denom[0], Functions.crossEntropy(logits(), target, w, -100, eps, Reduction.MEAN)
                        .item(), 1e-12, what);
            }
        }
    }

    @Test
    void crossEntropy_gradient_isSoftmaxMinusSmoothedOneHot() {
        Tensor x = logits();
        Functions.crossEntropy(x, Tensor.of(TARGET, 5), null, -100, 0.1, Reduction.SUM).backward();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < 5; i++) {
            double s = 0;
            for (double v : LOGITS[i]) {
                s += Math.exp(v);
            }
            for (int c = 0; c < 4; c++) {
                double want = TARGET[i] == -100 ? 0
                        : Math.exp(LOGITS[i][c]) / s - (c == TARGET[i] ? 0.9 : 0) - 0.1 / 4;
                assertEquals(want, g[i * 4 + c], 1e-12, "row " + i + " class " + c);
            }
        }
    }

    @Test
    void crossEntropy_spatial_matchesRowsOfMovedClassDim() {
        // [N=2, C=3, L=2] against the same scores laid out as rows [4, 3]
        double[] x = {0.1, 0.5, -0.2, 0.3, 1.0, -1.0, 0.7, 0.2, -0.4, 0.0, 0.9, 1.3};
        Tensor spatial = Tensor.of(x, 2, 3, 2);
        Tensor t = Tensor.of(new long[] {2, 0, 1, 1}, 2, 2);
        double[] rows = new double[12];
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 3; c++) {
                for (int l = 0; l < 2; l++) {
                    rows[(n * 2 + l) * 3 + c] = x[n * 6 + c * 2 + l];
                }
            }
        }
        Tensor flat = Tensor.of(rows, 4, 3);
        Tensor want = Functions.crossEntropy(flat, Tensor.of(new long[] {2, 0, 1, 1}, 4), null, -100, 0,
                Reduction.NONE);
        Tensor got = Functions.crossEntropy(spatial, t, null, -100, 0, Reduction.NONE);
        assertArrayEquals(new int[] {2, 2}, got.sizes());
        assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), 1e-12);
    }

    @Test
    void crossEntropy_targetOutOfRange_namesRowAndValue() {
        Tensor t = Tensor.of(new long[] {1, 0, 7, 2, 0}, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functions.crossEntropy(logits(), t, null, -100, 0, Reduction.MEAN));
        assertTrue(e.getMessage().contains("target 7 at row 2 is out of range for 4 classes"), e.getMessage());
    }

    @Test
    void crossEntropy_floatTarget_rejectedNamingDtype() {
        Tensor t = Tensor.of(new float[] {1, 0, 2, 2, 0}, 5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functions.crossEntropy(logits(), t, null, -100, 0, Reduction.MEAN));
        assertTrue(e.getMessage().contains("expected target of dtype int64") && e.getMessage().contains("got float32"),
                e.getMessage());
    }

    @Test
    void crossEntropy_shapeMismatch_rejectedNamingShapes() {
        Tensor t = Tensor.of(new long[] {1, 0, 2}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functions.crossEntropy(logits(), t, null, -100, 0, Reduction.MEAN));
        assertEquals("crossEntropy: expected target of shape [5] for input [5, 4], got [3]", e.getMessage());
    }

    @Test
    void nllLoss_weightsIgnore_matchesLoop() {
        Tensor lp = logits().logSoftmax(1);
        double[] denom = new double[1];
        double[] rows = ceRows(W, 0, denom);
        double sum = 0;
        for (double v : rows) {
            sum += v;
        }
        Tensor loss = Functions.nllLoss(lp, Tensor.of(TARGET, 5), Tensor.of(W, 4), -100, Reduction.MEAN);
        assertEquals(sum / denom[0], loss.item(), 1e-12);
    }

    @Test
    void adaptiveAvgPool2d_unevenWindows_matchPyTorchBounds() {
        int h = 5;
        int w = 7;
        int oh = 3;
        int ow = 4;
        double[] x = new double[h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.sin(i * 0.7) + i * 0.01;
        }
        Tensor out = Functions.adaptiveAvgPool2d(Tensor.of(x, 1, 1, h, w), oh, ow);
        assertArrayEquals(new int[] {1, 1, oh, ow}, out.sizes());
        for (int i = 0; i < oh; i++) {
            int hs = (int) Math.floor((double) i * h / oh);
            int he = (int) Math.ceil((double) (i + 1) * h / oh);
            for (int j = 0; j < ow; j++) {
                int ws = (int) Math.floor((double) j * w / ow);
                int we = (int) Math.ceil((double) (j + 1) * w / ow);
                double s = 0;
                for (int a = hs; a < he; a++) {
                    for (int b = ws; b < we; b++) {
                        s += x[a * w + b];
                    }
                }
                assertEquals(s / ((he - hs) * (we - ws)), out.getDouble(0, 0, i, j), 1e-12, "window " + i + "," + j);
            }
        }
    }

    @Test
    void max_ties_shareGradientEvenly() {
        Tensor x = Tensor.of(new double[] {1, 3, 3, 2}, 4).requiresGrad(true);
        x.max().backward();
        assertArrayEquals(new double[] {0, 0.5, 0.5, 0}, x.grad().toDoubleArray(), 0);
        Tensor y = Tensor.of(new double[] {1, 1, 5, 1, 2, 2}, 2, 3).requiresGrad(true);
        y.amin(new int[] {1}, false).sum().backward();
        assertArrayEquals(new double[] {0.5, 0.5, 0, 1, 0, 0}, y.grad().toDoubleArray(), 0);
    }

    @Test
    void maxDim_ties_gradientToReturnedIndex() {
        Tensor x = Tensor.of(new double[] {4, 1, 4, 0, 2, 2}, 2, 3).requiresGrad(true);
        TensorPair p = x.max(1, false);
        assertArrayEquals(new double[] {4, 2}, p.values().toDoubleArray(), 0);
        assertEquals(DType.INT64, p.indices().dtype());
        p.values().sum().backward();
        long[] idx = p.indices().toLongArray();
        double[] g = x.grad().toDoubleArray();
        for (int r = 0; r < 2; r++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(c == idx[r] ? 1 : 0, g[r * 3 + c], 0);
            }
        }
    }

    @Test
    void minimumMaximum_ties_splitHalf() {
        Tensor a = Tensor.of(new double[] {1, 2, 3}, 3).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {1, 5, 0}, 3).requiresGrad(true);
        a.maximum(b).sum().backward();
        assertArrayEquals(new double[] {0.5, 0, 1}, a.grad().toDoubleArray(), 0);
        assertArrayEquals(new double[] {0.5, 1, 0}, b.grad().toDoubleArray(), 0);
    }

    @Test
    void clamp_atBounds_gradientPasses() {
        Tensor x = Tensor.of(new double[] {-1, 0, 0.5, 1, 2}, 5).requiresGrad(true);
        x.clamp(0, 1).sum().backward();
        assertArrayEquals(new double[] {0, 1, 1, 1, 0}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void index_advancedDuplicates_accumulateGradient() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2).requiresGrad(true);
        Tensor y = x.index(Index.of(0, 2, 0), Index.of(1, 0, 1));
        assertArrayEquals(new double[] {2, 5, 2}, y.toDoubleArray(), 0);
        y.sum().backward();
        assertArrayEquals(new double[] {0, 2, 0, 0, 1, 0}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void index_mixedBasicAndArray_matchesLoop() {
        double[] v = new double[24];
        for (int i = 0; i < 24; i++) {
            v[i] = i;
        }
        Tensor x = Tensor.of(v, 2, 3, 4);
        Tensor y = x.index(Index.at(1), Index.of(2, 0), Index.slice(1, 4, 2));
        assertArrayEquals(new int[] {2, 2}, y.sizes());
        assertArrayEquals(new double[] {12 + 8 + 1, 12 + 8 + 3, 12 + 1, 12 + 3}, y.toDoubleArray(), 0);
    }

    @Test
    void embedding_paddingIdx_rowGetsNoGradient() {
        Tensor w = Tensor.ones(3, 2).to(DType.FLOAT64).detach().requiresGrad(true);
        Functions.embedding(w, Tensor.of(new long[] {0, 2, 2, 1}, 4), 2).sum().backward();
        assertArrayEquals(new double[] {1, 1, 1, 1, 0, 0}, w.grad().toDoubleArray(), 0);
    }

    @Test
    void dropout_training_zerosAboutPAndScalesTheRest() {
        Tensor x = Tensor.ones(DType.FLOAT64, 100, 100).requiresGrad(true);
        Tensor y = Functions.dropout(x, 0.3, true, new Generator(11));
        double[] v = y.toDoubleArray();
        int zeros = 0;
        for (double d : v) {
            if (d == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.7, d, 1e-12);
            }
        }
        assertEquals(0.3, zeros / 10000.0, 0.03);
        y.sum().backward();
        assertArrayEquals(v, x.grad().toDoubleArray(), 0);
        Tensor again = Functions.dropout(x.detach(), 0.3, true, new Generator(11));
        assertArrayEquals(v, again.toDoubleArray(), 0);
    }

    @Test
    void dropout_evalOrZero_identityAndOne_zeros() {
        Tensor x = Tensor.randn(3, 4);
        assertSame(x, Functions.dropout(x, 0.5, false, new Generator(1)));
        assertSame(x, Functions.dropout(x, 0, true, new Generator(1)));
        assertArrayEquals(new double[12], Functions.dropout(x, 1, true, new Generator(1)).toDoubleArray(), 0);
    }

    @Test
    void dropout_pOutOfRange_rejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Functions.dropout(Tensor.ones(2), 1.5, true, new Generator(1)));
        assertEquals("dropout: probability p must be in [0, 1], got 1.5", e.getMessage());
    }

    @Test
    void prod_withZeros_gradientIsProductOfOthers() {
        Tensor x = Tensor.of(new double[] {2, 0, 3, 0, 5, 4}, 2, 3).requiresGrad(true);
        x.prod(1, false).sum().backward();
        assertArrayEquals(new double[] {0, 6, 0, 20, 0, 0}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void varStd_matchLoop() {
        double[] v = {1, 4, 2, 8, 5, 7};
        double mean = 27.0 / 6;
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        Tensor x = Tensor.of(v, 2, 3);
        assertEquals(ss / 5, x.var(true).item(), 1e-12);
        assertEquals(Math.sqrt(ss / 6), x.std(false).item(), 1e-12);
        assertEquals(7.0 / 3, x.var(new int[] {1}, true, false).getDouble(0), 1e-12); // 1,4,2: squares 42/9, / 2
    }

    @Test
    void logSumExp_largeValues_stable() {
        Tensor x = Tensor.of(new double[] {1000, 1000, -1000, 0}, 2, 2);
        Tensor r = x.logSumExp(1, false);
        assertEquals(1000 + Math.log(2), r.getDouble(0), 1e-9);
        assertEquals(Math.log(1 + Math.exp(-1000)), r.getDouble(1), 1e-9);
    }

    @Test
    void splitChunkUnbind_shapesLikePyTorch() {
        Tensor x = Tensor.randn(5, 2);
        assertEquals(3, x.split(2, 0).size());
        assertEquals(1, x.split(2, 0).get(2).size(0));
        assertEquals(3, x.chunk(3, 0).size());
        assertArrayEquals(new int[] {2, 2}, x.chunk(3, 0).get(0).sizes());
        assertEquals(2, x.unbind(1).size());
        assertArrayEquals(new int[] {5}, x.unbind(1).get(0).sizes());
    }

    @Test
    void sign_floor_zeroGradientAndNames() {
        Tensor x = Tensor.of(new double[] {-1.5, 0.5}, 2).requiresGrad(true);
        Tensor f = x.floor();
        assertEquals("FloorBackward", f.gradFn().name());
        f.add(x.sign()).sum().backward();
        assertArrayEquals(new double[] {0, 0}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void maskedSelect_valuesAndGradient() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        Tensor mask = Tensor.of(new boolean[] {true, false, false, true}, 2, 2);
        Tensor y = x.maskedSelect(mask);
        assertArrayEquals(new double[] {1, 4}, y.toDoubleArray(), 0);
        y.mul(Tensor.of(new double[] {3, 5}, 2)).sum().backward();
        assertArrayEquals(new double[] {3, 0, 0, 5}, x.grad().toDoubleArray(), 0);
    }

    @Test
    void gelu_gradientAtZero_isHalf() {
        Tensor x = Tensor.of(new double[] {0}, 1).requiresGrad(true);
        x.gelu().sum().backward();
        assertEquals(0.5, x.grad().getDouble(0), 1e-15);
        assertTrue(NDArray.of(new float[] {1f}, 1).gelu().dtype() == DType.FLOAT32);
    }

    @Test
    void norm_zeroVector_zeroGradientNotNaN() {
        Tensor x = Tensor.zeros(DType.FLOAT64, 3).requiresGrad(true);
        x.norm().backward();
        assertArrayEquals(new double[] {0, 0, 0}, x.grad().toDoubleArray(), 0);
        Tensor y = Tensor.of(new double[] {3, -4}, 2);
        assertEquals(5, y.norm().item(), 1e-12);
        assertEquals(7, y.norm(1).item(), 1e-12);
        assertEquals(Math.cbrt(27 + 64), y.norm(3).item(), 1e-12);
    }
}
