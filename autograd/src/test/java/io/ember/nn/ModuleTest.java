package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleTest {
    private static Sequential net() {
        return new Sequential(new Linear(4, 3, true, new Generator(1)), new ReLU(), new BatchNorm1d(3),
                new Dropout(0.1), new Linear(3, 2, false, new Generator(2)));
    }

    private static Map<String, NDArray> copy(Map<String, NDArray> sd) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        sd.forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    @Test
    void namedParameters_and_stateDict_useDottedNamesInOrder() {
        Sequential s = net();
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "4.weight"),
                List.copyOf(s.namedParameters().keySet()));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "2.bias", "2.running_mean", "2.running_var",
                "2.num_batches_tracked", "4.weight"), List.copyOf(s.stateDict().keySet()));
        assertEquals(4 * 3 + 3 + 3 + 3 + 3 * 2, s.numParameters());
        assertTrue(s.parameters().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void loadStateDict_roundTrip_copiesIntoSameTensors() {
        Sequential a = net();
        Sequential b = new Sequential(new Linear(4, 3, true, new Generator(8)), new ReLU(), new BatchNorm1d(3),
                new Dropout(0.1), new Linear(3, 2, false, new Generator(9)));
        Tensor w = b.namedParameters().get("0.weight");
        Module.LoadResult r = b.loadStateDict(copy(a.stateDict()));
        assertTrue(r.missingKeys().isEmpty() && r.unexpectedKeys().isEmpty());
        assertSame(w, b.namedParameters().get("0.weight"));
        assertArrayEquals(a.namedParameters().get("0.weight").toDoubleArray(), w.toDoubleArray(), 0);
    }

    @Test
    void loadStateDict_strictMismatch_namesKeys_andChangesNothing() {
        Sequential s = net();
        Map<String, NDArray> before = copy(s.stateDict());
        Map<String, NDArray> bad = copy(before);
        bad.remove("2.running_var");
        bad.put("extra.weight", NDArray.zeros(1));
        bad.put("0.bias", NDArray.full(9, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad));
        assertEquals("loadStateDict: state dict does not match Sequential; missing keys [2.running_var]; "
                + "unexpected keys [extra.weight]", e.getMessage());
        assertArrayEquals(before.get("0.bias").toDoubleArray(), s.stateDict().get("0.bias").toDoubleArray(), 0);
        // non-strict loads what matches and reports the rest
        Module.LoadResult r = s.loadStateDict(bad, false);
        assertEquals(List.of("2.running_var"), r.missingKeys());
        assertEquals(List.of("extra.weight"), r.unexpectedKeys());
        assertArrayEquals(new double[] {9, 9, 9}, s.stateDict().get("0.bias").toDoubleArray(), 0);
    }

    @Test
    void loadStateDict_shapeMismatch_namesKey_andChangesNothing() {
        Sequential s = net();
        Map<String, NDArray> before = copy(s.stateDict());
        Map<String, NDArray> bad = copy(before);
        bad.put("0.bias", NDArray.full(5, 3)); // valid, would be copied first
        bad.put("4.weight", NDArray.zeros(3, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.loadStateDict(bad));
        assertTrue(e.getMessage().contains("'4.weight'"), e.getMessage());
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertArrayEquals(before.get("0.bias").toDoubleArray(), s.stateDict().get("0.bias").toDoubleArray(), 0);
    }

    @Test
    void trainEval_propagatesToDescendants() {
        Sequential s = new Sequential(net(), new Dropout(0.5));
        s.eval();
        assertTrue(s.modules().stream().noneMatch(Module::isTraining));
        s.train();
        assertTrue(s.modules().stream().allMatch(Module::isTraining));
        assertEquals(1 + 1 + 5 + 1, s.modules().size());
    }

    @Test
    void toString_printsTreeLikePyTorch() {
        Sequential s = new Sequential(new Linear(784, 256), new ReLU(), new Dropout(0.2), new Linear(256, 10));
        assertEquals("Sequential(\n"
                + "  (0): Linear(inFeatures=784, outFeatures=256, bias=true)\n"
                + "  (1): ReLU()\n"
                + "  (2): Dropout(p=0.2)\n"
                + "  (3): Linear(inFeatures=256, outFeatures=10, bias=true)\n"
                + ")", s.toString());
        assertEquals("Conv2d(3, 8, kernelSize=(3, 3), stride=(1, 1), padding=(1, 1))",
                new Conv2d(3, 8, 3, 1, 1).toString());
    }

    @Test
    void to_convertsParametersAndBuffers_keepingTensors() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor rm = bn.runningMean();
        bn.to(DType.FLOAT64);
        assertSame(rm, bn.runningMean());
        assertEquals(DType.FLOAT64, bn.runningMean().dtype());
        assertEquals(DType.FLOAT64, bn.weight().dtype());
        assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
        assertSame(rm, bn.namedBuffers().get("running_mean"));
    }

    @Test
    void containers_getAddAndErrors() {
        Sequential s = new Sequential().add("fc", new Linear(2, 2)).add("act", new Tanh());
        assertTrue(s.get(-1) instanceof Tanh);
        assertEquals(2, s.size());
        assertThrows(IndexOutOfBoundsException.class, () -> s.get(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.add("fc", new ReLU()));
        assertEquals("registerModule: 'fc' is already registered in Sequential", e.getMessage());
        ModuleList l = new ModuleList(new Linear(2, 3), new Linear(3, 1));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(l.namedParameters().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> l.forward(Tensor.zeros(2)));
        ModuleDict d = new ModuleDict().put("enc", new Linear(2, 2)).put("act", new ReLU());
        assertTrue(d.get("act") instanceof ReLU);
        e = assertThrows(IllegalArgumentException.class, () -> d.get("dec"));
        assertEquals("ModuleDict: no module 'dec'; keys [enc, act]", e.getMessage());
        assertFalse(d.containsKey("dec"));
    }
}
