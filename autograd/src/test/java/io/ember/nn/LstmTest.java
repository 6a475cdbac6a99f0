package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Autograd;
import io.ember.autograd.GradCheck;
import io.ember.autograd.RecurrentFunctions;
import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LstmTest {
    @Test
    void forward_twoLayersBidirectionalBatchFirstWithStates_matchesLoop() {
        Generator.manualSeed(21);
        LSTM lstm = new LSTM(3, 4, 2, true, true, 0, true);
        Tensor x = Tensor.randn(new Generator(1), 2, 5, 3);
        Tensor h0 = Tensor.randn(new Generator(2), 4, 2, 4);
        Tensor c0 = Tensor.randn(new Generator(3), 4, 2, 4);
        RNNBase.Output o = lstm.forward(x, new RNNBase.State(h0, c0));
        RnnTest.Reference r = RnnTest.Reference.run("lstm", lstm.namedParameters(), 2, true,
                RnnTest.toArray3(x.transpose(0, 1)), RnnTest.toArray3(h0), RnnTest.toArray3(c0), null);
        assertEquals(List.of(2, 5, 8), List.of(o.output().size(0), o.output().size(1), o.output().size(2)));
        RnnTest.assertClose(r.out, o.output().transpose(0, 1), 1e-5);
        RnnTest.assertClose(r.hN, o.hN(), 1e-5);
        RnnTest.assertClose(r.cN, o.cN(), 1e-5);
    }

    @Test
    void forward_stateCarriesOver_equalsOneLongCall() {
        LSTM lstm = new LSTM(2, 3);
        Tensor x = Tensor.randn(new Generator(4), 6, 2, 2);
        RNNBase.Output whole = lstm.forward(x, null);
        List<Tensor> halves = new ArrayList<>();
        Tensor a = Tensor.of(x.data().narrow(0, 0, 3).contiguous());
        Tensor b = Tensor.of(x.data().narrow(0, 3, 3).contiguous());
        RNNBase.Output first = lstm.forward(a, null);
        RNNBase.Output second = lstm.forward(b, first.state());
        halves.add(second.hN());
        assertTrue(whole.hN().data().allClose(second.hN().data(), 1e-5, 1e-6));
        assertTrue(whole.cN().data().allClose(second.cN().data(), 1e-5, 1e-6));
    }

    @Test
    void gradcheck_float64_allParametersAndInput() {
        Generator.manualSeed(22);
        LSTM lstm = new LSTM(2, 2, 2, true, false, 0, true);
        lstm.to(DType.FLOAT64);
        List<Tensor> params = lstm.parameters();
        Tensor x = Tensor.of(NDArray.randn(new Generator(5), 3, 2, 2).to(DType.FLOAT64)).requiresGrad(true);
        Tensor h0 = Tensor.of(NDArray.randn(new Generator(6), 4, 2, 2).to(DType.FLOAT64)).requiresGrad(true);
        Tensor c0 = Tensor.of(NDArray.randn(new Generator(7), 4, 2, 2).to(DType.FLOAT64)).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>(List.of(x, h0, c0));
        inputs.addAll(params);
        GradCheck.check(in -> {
            RNNBase.Output o = lstm.forward(in[0], new RNNBase.State(in[1], in[2]));
            return RecurrentFunctions.concat(List.of(o.output().reshape(-1), o.hN().reshape(-1),
                    o.cN().reshape(-1)), 0);
        }, inputs.toArray(new Tensor[0]));
    }

    @Test
    void forward_cellStateForGru_throws() {
        GRU gru = new GRU(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gru.forward(
                Tensor.zeros(2, 1, 2), new RNNBase.State(Tensor.zeros(1, 1, 3), Tensor.zeros(1, 1, 3))));
        assertEquals("GRU: only LSTM takes a cell state; got c0 [1, 1, 3]", e.getMessage());
    }

    @Test
    void forward_wrongInitialState_throws() {
        LSTM lstm = new LSTM(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(
                Tensor.zeros(2, 4, 2), new RNNBase.State(Tensor.zeros(1, 1, 3), null)));
        assertEquals("lstm: expected h0 [1, 4, 3], got [1, 1, 3]", e.getMessage());
    }

    @Test
    void dropout_onlyInTraining() {
        Generator.manualSeed(23);
        LSTM lstm = new LSTM(2, 8, 2, true, false, 0.9, false);
        Tensor x = Tensor.randn(new Generator(8), 4, 3, 2);
        lstm.eval();
        Tensor a = lstm.forward(x);
        Tensor b = lstm.forward(x);
        assertTrue(a.data().allClose(b.data()));
        lstm.train();
        Tensor c = lstm.forward(x);
        assertTrue(!a.data().allClose(c.data(), 1e-3, 1e-4));
    }

    @Test
    void config_registryAndPrintedTree() {
        LSTM lstm = new LSTM(64, 256, 1, true, true, 0, false);
        assertEquals("LSTM(64, 256, batchFirst=true)", lstm.toString());
        Module m = ModuleRegistry.create("LSTM", lstm.config());
        assertTrue(m instanceof LSTM);
        assertEquals(lstm.config(), m.config());
        assertEquals(List.of(1024, 64), List.of(lstm.namedParameters().get("weightIh_l0").size(0),
                lstm.namedParameters().get("weightIh_l0").size(1)));
    }

    /** A char-level LSTM with a hand-written SGD loop learns to predict a repeated pattern. */
    @Test
    void charLstm_repeatedPattern_lossDrops() {
        Generator.manualSeed(24);
        String text = "abcdabcdabcdabcdabcdabcd";
        int vocab = 4;
        int steps = text.length() - 1;
        LSTM lstm = new LSTM(vocab, 16);
        Tensor wOut = Tensor.of(NDArray.uniform(new Generator(9), -0.25, 0.25, vocab, 16)).requiresGrad(true);
        Tensor bOut = Tensor.zeros(vocab).requiresGrad(true);
        float[] onehot = new float[steps * vocab];
        float[] target = new float[steps * vocab];
        for (int t = 0; t < steps; t++) {
            onehot[t * vocab + text.charAt(t) - 'a'] = 1;
            target[t * vocab + text.charAt(t + 1) - 'a'] = 1;
        }
        Tensor x = Tensor.of(onehot, steps, 1, vocab);
        Tensor y = Tensor.of(target, steps, vocab);
        List<Tensor> params = new ArrayList<>(lstm.parameters());
        params.add(wOut);
        params.add(bOut);
        double first = 0;
        double last = 0;
        for (int it = 0; it < 150; it++) {
            Tensor h = lstm.forward(x).reshape(steps, 16);
            Tensor logp = h.matmul(wOut.t()).add(bOut).logSoftmax(1);
            Tensor loss = logp.mul(y).sum().mul(-1.0 / steps);
            for (Tensor p : params) {
                p.zeroGrad();
            }
            loss.backward();
            try (Autograd.Scope s = Autograd.noGrad()) {
                for (Tensor p : params) {
                    p.addInPlace(p.grad(), -0.5);
                }
            }
            if (it == 0) {
                first = loss.item();
            }
            last = loss.item();
        }
        assertTrue(first > 1.2, "initial loss " + first);
        assertTrue(last < 0.3, "loss went from " + first + " to " + last);
    }
}
