package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.Generator;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiheadAttentionTest {
    @Test
    void forward_withKeyPaddingAndCausalMask_matchesLoop() {
        Generator.manualSeed(51);
        int e = 4, heads = 2, len = 3, n = 2, hd = 2;
        MultiheadAttention mha = new MultiheadAttention(e, heads);
        Map<String, Tensor> p = mha.namedParameters();
        try (var s = io.ember.autograd.Autograd.noGrad()) {
            p.get("inProjBias").uniformInPlace(new Generator(5), -0.5, 0.5);
            p.get("outProj.bias").uniformInPlace(new Generator(6), -0.5, 0.5);
        }
        Tensor x = Tensor.randn(new Generator(1), len, n, e);
        boolean[] causal = new boolean[len * len];
        for (int i = 0; i < len; i++) {
            for (int j = i + 1; j < len; j++) {
                causal[i * len + j] = true;
            }
        }
        boolean[] pad = {false, false, false, false, false, true}; // batch 1 ignores key 2
        MultiheadAttention.Output o = mha.forward(x, x, x, Tensor.of(pad, n, len), true, Tensor.of(causal, len, len));
        Tensor w = p.get("inProjWeight");
        Tensor bIn = p.get("inProjBias");
        Tensor wo = p.get("outProj.weight");
        Tensor bo = p.get("outProj.bias");
        for (int b = 0; b < n; b++) {
            double[][][] proj = new double[3][len][e];
            for (int part = 0; part < 3; part++) {
                for (int t = 0; t < len; t++) {
                    for (int i = 0; i < e; i++) {
                        double v = bIn.getDouble(part * e + i);
                        for (int k = 0; k < e; k++) {
                            v += w.getDouble(part * e + i, k) * x.getDouble(t, b, k);
                        }
                        proj[part][t][i] = v;
                    }
                }
            }
            double[][] avg = new double[len][len];
            double[][] concat = new double[len][e];
            for (int h = 0; h < heads; h++) {
                for (int t = 0; t < len; t++) {
                    double[] sc = new double[len];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int s = 0; s < len; s++) {
                        double v = 0;
                        for (int k = 0; k < hd; k++) {
                            v += proj[0][t][h * hd + k] * proj[1][s][h * hd + k];
                        }
                        boolean masked = causal[t * len + s] || pad[b * len + s];
                        sc[s] = masked ? Double.NEGATIVE_INFINITY : v / Math.sqrt(hd);
                        max = Math.max(max, sc[s]);
                    }
                    double z = 0;
                    for (int s = 0; s < len; s++) {
                        sc[s] = Math.exp(sc[s] - max);
                        z += sc[s];
                    }
                    for (int s = 0; s < len; s++) {
                        sc[s] /= z;
                        avg[t][s] += sc[s] / heads;
                        for (int k = 0; k < hd; k++) {
                            concat[t][h * hd + k] += sc[s] * proj[2][s][h * hd + k];
                        }
                    }
                }
            }
            for (int t = 0; t < len; t++) {
                for (int i = 0; i < e; i++) {
                    double v = bo.getDouble(i);
                    for (int k = 0; k < e; k++) {
                        v += wo.getDouble(i, k) * concat[t][k];
                    }
                    assertEquals(v, o.output().getDouble(t, b, i), 1e-5);
                }
                for (int s = 0; s < len; s++) {
                    assertEquals(avg[t][s], o.weights().getDouble(b, t, s), 1e-6);
                }
            }
        }
    }

    @Test
    void forward_floatMaskEqualsBoolMask_andBatchFirstTransposes() {
        Generator.manualSeed(52);
        MultiheadAttention a = new MultiheadAttention(6, 3, 0, true, false);
        Tensor x = Tensor.randn(new Generator(2), 4, 2, 6);
        boolean[] causal = new boolean[16];
        float[] additive = new float[16];
        for (int i = 0; i < 4; i++) {
            for (int j = i + 1; j < 4; j++) {
                causal[i * 4 + j] = true;
                additive[i * 4 + j] = Float.NEGATIVE_INFINITY;
            }
        }
        Tensor o1 = a.forward(x, x, x, null, false, Tensor.of(causal, 4, 4)).output();
        Tensor o2 = a.forward(x, x, x, null, false, Tensor.of(additive, 4, 4)).output();
        assertTrue(o1.data().allClose(o2.data(), 1e-6, 1e-6));
        MultiheadAttention bf = new MultiheadAttention(6, 3, 0, true, true);
        bf.loadStateDict(a.stateDict());
        Tensor o3 = bf.forward(x.transpose(0, 1), x.transpose(0, 1), x.transpose(0, 1), null, false,
                Tensor.of(causal, 4, 4)).output();
        assertTrue(o3.transpose(0, 1).data().allClose(o1.data(), 1e-6, 1e-6));
    }

    @Test
    void backward_reachesAllParameters_andConfigRoundTrips() {
        MultiheadAttention a = new MultiheadAttention(4, 2, 0, true, false, 3, 5);
        Tensor q = Tensor.randn(new Generator(3), 2, 1, 4);
        Tensor k = Tensor.randn(new Generator(4), 3, 1, 3);
        Tensor v = Tensor.randn(new Generator(5), 3, 1, 5);
        a.forward(q, k, v, null, false, null).output().sum().backward();
        for (Map.Entry<String, Tensor> p : a.namedParameters().entrySet()) {
            assertTrue(p.getValue().grad() != null, p.getKey());
        }
        assertEquals("MultiheadAttention(embedDim=4, numHeads=2, kdim=3, vdim=5\n  (outProj): "
                + "RnnAttentionProjection(in=4, out=4, bias=true)\n)", a.toString());
        Module m = ModuleRegistry.create("MultiheadAttention", a.config());
        assertEquals(a.stateDict().keySet(), m.stateDict().keySet());
    }
}
