package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.autograd.GradCheck;
import io.ember.autograd.RecurrentFunctions;
import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GruTest {
    @Test
    void forward_twoLayersBidirectionalWithState_matchesLoop() {
        Generator.manualSeed(31);
        GRU gru = new GRU(3, 4, 2, true, false, 0, true);
        Tensor x = Tensor.randn(new Generator(1), 5, 2, 3);
        Tensor h0 = Tensor.randn(new Generator(2), 4, 2, 4);
        RNNBase.Output o = gru.forward(x, new RNNBase.State(h0));
        RnnTest.Reference r = RnnTest.Reference.run("gru", gru.namedParameters(), 2, true, RnnTest.toArray3(x),
                RnnTest.toArray3(h0), null, null);
        RnnTest.assertClose(r.out, o.output(), 1e-5);
        RnnTest.assertClose(r.hN, o.hN(), 1e-5);
        assertEquals(null, o.cN());
    }

    @Test
    void forward_noBiasBatchFirst_matchesLoop() {
        Generator.manualSeed(32);
        GRU gru = new GRU(2, 3, 1, false, true, 0, false);
        Tensor x = Tensor.randn(new Generator(3), 2, 4, 2);
        RNNBase.Output o = gru.forward(x, null);
        RnnTest.Reference r = RnnTest.Reference.run("gru", gru.namedParameters(), 1, false,
                RnnTest.toArray3(x.transpose(0, 1)), null, null, null);
        RnnTest.assertClose(r.out, o.output().transpose(0, 1), 1e-5);
    }

    @Test
    void gradcheck_float64_allParametersAndInput() {
        Generator.manualSeed(33);
        GRU gru = new GRU(2, 2, 2, true, false, 0, true);
        gru.to(DType.FLOAT64);
        Tensor x = Tensor.of(NDArray.randn(new Generator(4), 3, 2, 2).to(DType.FLOAT64)).requiresGrad(true);
        Tensor h0 = Tensor.of(NDArray.randn(new Generator(5), 4, 2, 2).to(DType.FLOAT64)).requiresGrad(true);
        List<Tensor> inputs = new ArrayList<>(List.of(x, h0));
        inputs.addAll(gru.parameters());
        GradCheck.check(in -> {
            RNNBase.Output o = gru.forward(in[0], new RNNBase.State(in[1]));
            return RecurrentFunctions.concat(List.of(o.output().reshape(-1), o.hN().reshape(-1)), 0);
        }, inputs.toArray(new Tensor[0]));
    }

    @Test
    void registry_rebuildsFromConfig() {
        GRU gru = new GRU(5, 7, 3, false, false, 0.25, true);
        Module m = ModuleRegistry.create("GRU", gru.config());
        assertEquals("GRU(5, 7, numLayers=3, bias=false, dropout=0.25, bidirectional=true)", m.toString());
        assertEquals(gru.numParameters(), m.numParameters());
    }
}
