package io.ember.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OptimizerTest {
    private static final double[] TARGET = {3, -2, 0.5, 1};
    private static final double[] WEIGHT = {1, 2, 0.5, 4};

    /** f(x) = sum(w * (x - c)^2), minimised at c. */
    private static Tensor quadratic(Tensor x) {
        Tensor c = Tensor.of(NDArray.of(TARGET, 4).to(x.dtype()));
        Tensor w = Tensor.of(NDArray.of(WEIGHT, 4).to(x.dtype()));
        return x.sub(c).pow(2).mul(w).sum();
    }

    static Stream<Arguments> optimizers() {
        return Stream.of(
                Arguments.of("SGD", (Function<List<Tensor>, Optimizer>) ps -> new SGD(ps,
                        new SGD.Options().lr(0.05).momentum(0.9).nesterov(true))),
                Arguments.of("Adam", (Function<List<Tensor>, Optimizer>) ps -> new Adam(ps, 0.1)),
                Arguments.of("AdamW", (Function<List<Tensor>, Optimizer>) ps -> new AdamW(ps,
                        new AdamW.Options().lr(0.1).weightDecay(0))),
                Arguments.of("RMSprop", (Function<List<Tensor>, Optimizer>) ps -> new RMSprop(ps,
                        new RMSprop.Options().lr(0.01).momentum(0.5))),
                Arguments.of("Adagrad", (Function<List<Tensor>, Optimizer>) ps -> new Adagrad(ps, 0.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void step_quadratic_reachesMinimum(String name, Function<List<Tensor>, Optimizer> make) {
        Tensor x = Tensor.zeros(4).requiresGrad(true);
        Optimizer opt = make.apply(List.of(x));
        double first = quadratic(x).item();
        for (int i = 0; i < 1500; i++) {
            opt.zeroGrad();
            quadratic(x).backward();
            opt.step();
        }
        assertTrue(quadratic(x).item() < 1e-3 * first, name + " loss " + quadratic(x).item());
        assertArrayEquals(TARGET, x.toDoubleArray(), 0.03, name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("optimizers")
    void loadStateDict_newOptimizer_continuesIdentically(String name, Function<List<Tensor>, Optimizer> make) {
        Tensor a = Tensor.zeros(4).requiresGrad(true);
        Optimizer optA = make.apply(List.of(a));
        for (int i = 0; i < 5; i++) {
            optA.zeroGrad();
            quadratic(a).backward();
            optA.step();
        }
        OptimizerState sd = optA.stateDict();
        Tensor b = Tensor.of(a.data().clone()).requiresGrad(true);
        Optimizer optB = make.apply(List.of(b));
        optB.loadStateDict(sd);
        for (int i = 0; i < 5; i++) {
            for (var pair : List.of(List.of(a, optA), List.of(b, optB))) {
                Optimizer o = (Optimizer) pair.get(1);
                o.zeroGrad();
                quadratic((Tensor) pair.get(0)).backward();
                o.step();
            }
            assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0, name + " step " + i);
        }
        // a fresh optimizer without the state diverges, so the state mattered
        Tensor c = Tensor.of(b.data().clone()).requiresGrad(true);
        Optimizer optC = make.apply(List.of(c));
        optB.zeroGrad();
        quadratic(b).backward();
        optB.step();
        optC.zeroGrad();
        quadratic(c).backward();
        optC.step();
        assertTrue(!java.util.Arrays.equals(b.toDoubleArray(), c.toDoubleArray()), name);
    }

    @Test
    void stateDict_adam_hasStepsOptionsAndArrays() {
        Tensor p = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor q = Tensor.of(new float[] {3}, 1).requiresGrad(true);
        Adam opt = new Adam(new Adam.Options().lr(0.1).amsgrad(true), new ParamGroup(List.of(p)),
                new ParamGroup(List.of(q)).set("lr", 0.5));
        p.setGrad(Tensor.of(new float[] {1, 1}, 2));
        opt.step();
        opt.step();
        OptimizerState sd = opt.stateDict();
        assertEquals("Adam", sd.meta().get("optimizer"));
        List<?> groups = (List<?>) sd.meta().get("groups");
        assertEquals(0.1, ((Map<?, ?>) groups.get(0)).get("lr"));
        assertEquals(0.5, ((Map<?, ?>) groups.get(1)).get("lr"));
        assertEquals(List.of(1), ((Map<?, ?>) groups.get(1)).get("params"));
        assertEquals(Map.of("0", Map.of("step", 2L)), sd.meta().get("state"));
        assertEquals(List.of("state.0.expAvg", "state.0.expAvgSq", "state.0.maxExpAvgSq"),
                new ArrayList<>(sd.tensors().keySet()));
        // m after two steps of g = 1: 0.1, then 0.9 * 0.1 + 0.1 = 0.19
        assertEquals(0.19, sd.tensors().get("state.0.expAvg").getDouble(0), 1e-6);
        opt.step();
        assertEquals(0.19, sd.tensors().get("state.0.expAvg").getDouble(0), 1e-6, "state dict is a copy");
    }

    private static Adam trained(Tensor p) {
        Adam opt = new Adam(List.of(p), 0.1);
        p.setGrad(Tensor.of(new float[] {1, -1}, 2));
        opt.step();
        return opt;
    }

    @Test
    void loadStateDict_mismatches_failClearlyAndLoadNothing() {
        Tensor p = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        OptimizerState good = trained(p).stateDict();

        Tensor q = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Adam target = new Adam(List.of(q), 0.01);
        OptimizerState before = target.stateDict();

        Tensor r = Tensor.of(new float[] {1, 2, 3}, 3).requiresGrad(true);
        var e1 = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(r), 0.1).loadStateDict(good));
        assertEquals("Adam.loadStateDict: 'state.0.expAvg' has shape [2], parameter 0 has shape [3]",
                e1.getMessage());

        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(q, r), 0.1).loadStateDict(good));
        assertEquals("Adam.loadStateDict: parameter group 0 has 1 parameters in the state dict, 2 in this optimizer",
                e2.getMessage());

        var e3 = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(q), 0.1).loadStateDict(good));
        assertEquals("SGD.loadStateDict: the state dict is from Adam, not SGD", e3.getMessage());

        Map<String, Object> meta = new LinkedHashMap<>(good.meta());
        List<Object> groups = new ArrayList<>((List<?>) meta.get("groups"));
        groups.add(groups.get(0));
        meta.put("groups", groups);
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(new OptimizerState(meta, good.tensors())));
        assertEquals("Adam.loadStateDict: the state dict has 2 parameter groups, this optimizer has 1",
                e4.getMessage());

        // a bad tensor after good ones: nothing at all is loaded, the lr included
        Map<String, NDArray> tensors = new LinkedHashMap<>(good.tensors());
        tensors.put("state.0.bogus", NDArray.zeros(2));
        var e5 = assertThrows(IllegalArgumentException.class,
                () -> target.loadStateDict(new OptimizerState(good.meta(), tensors)));
        assertTrue(e5.getMessage().startsWith("Adam.loadStateDict: unknown state 'bogus' in 'state.0.bogus'"),
                e5.getMessage());
        assertEquals(0.01, target.paramGroups().get(0).lr());
        assertEquals(before.meta(), target.stateDict().meta());
        assertTrue(target.stateDict().tensors().isEmpty());

        target.loadStateDict(good);
        assertEquals(0.1, target.paramGroups().get(0).lr());
        assertEquals(good.meta(), target.stateDict().meta());
    }

    @Test
    void loadStateDict_float64State_castToParamDtype() {
        Tensor p = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        OptimizerState sd = trained(p).stateDict();
        Map<String, NDArray> wide = new LinkedHashMap<>();
        sd.tensors().forEach((k, v) -> wide.put(k, v.to(DType.FLOAT64)));
        Tensor q = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Adam opt = new Adam(List.of(q), 0.1);
        opt.loadStateDict(new OptimizerState(sd.meta(), wide));
        assertEquals(DType.FLOAT32, opt.stateDict().tensors().get("state.0.expAvg").dtype());
    }

    @Test
    void constructor_badArguments_nameArgumentAndValue() {
        List<Tensor> ps = List.of(Tensor.zeros(2).requiresGrad(true));
        assertMessage("SGD: lr must be >= 0, got -0.1", () -> new SGD(ps, -0.1));
        assertMessage("SGD: momentum must be >= 0, got -0.5", () -> new SGD(ps, new SGD.Options().momentum(-0.5)));
        assertMessage("SGD: nesterov requires momentum > 0 and dampening = 0, got momentum=0.0, dampening=0.0",
                () -> new SGD(ps, new SGD.Options().nesterov(true)));
        assertMessage("SGD: nesterov requires momentum > 0 and dampening = 0, got momentum=0.9, dampening=0.1",
                () -> new SGD(ps, new SGD.Options().nesterov(true).momentum(0.9).dampening(0.1)));
        assertMessage("Adam: beta1 must be in [0, 1), got 1.0", () -> new Adam(ps, new Adam.Options().betas(1, 0.9)));
        assertMessage("Adam: beta2 must be in [0, 1), got -0.1",
                () -> new Adam(ps, new Adam.Options().betas(0.9, -0.1)));
        assertMessage("AdamW: eps must be >= 0, got -1.0E-8", () -> new AdamW(ps, new AdamW.Options().eps(-1e-8)));
        assertMessage("Adam: weightDecay must be >= 0, got -0.01",
                () -> new Adam(ps, new Adam.Options().weightDecay(-0.01)));
        assertMessage("Adam: lr must be >= 0, got NaN", () -> new Adam(ps, Double.NaN));
        assertMessage("RMSprop: alpha must be >= 0, got -0.9", () -> new RMSprop(ps, new RMSprop.Options().alpha(-0.9)));
        assertMessage("Adagrad: lrDecay must be >= 0, got -1.0",
                () -> new Adagrad(ps, new Adagrad.Options().lrDecay(-1)));
        assertMessage("Adagrad: initialAccumulatorValue must be >= 0, got -1.0",
                () -> new Adagrad(ps, new Adagrad.Options().initialAccumulatorValue(-1)));
        assertMessage("Adam: got an empty parameter list", () -> new Adam(List.of(), 0.1));
        assertMessage("SGD: parameter 1 appears more than once; each parameter may be in one group only",
                () -> new SGD(List.of(ps.get(0), ps.get(0)), 0.1));
        Tensor nonLeaf = ps.get(0).mul(2.0);
        assertMessage("SGD: can't optimize a non-leaf tensor (parameter 0 was made by MulScalarBackward)",
                () -> new SGD(List.of(nonLeaf), 0.1));
        assertMessage("SGD: parameters must be floating point, parameter 0 is int64",
                () -> new SGD(List.of(Tensor.of(new long[] {1}, 1)), 0.1));
        assertMessage("SGD: momentum must be >= 0, got -1.0 (parameter group 1)",
                () -> new SGD(new SGD.Options(), new ParamGroup(List.of(ps.get(0))),
                        new ParamGroup(List.of(Tensor.zeros(1).requiresGrad(true))).set("momentum", -1)));
        assertMessage("SGD: unknown option 'betas'; options are [lr, momentum, dampening, weightDecay, nesterov, "
                + "maximize]", () -> new SGD(new SGD.Options(), new ParamGroup(ps).set("betas", 0.9)));
        assertMessage("SGD: option 'nesterov' must be a boolean, got 1.0",
                () -> new SGD(new SGD.Options(), new ParamGroup(ps).set("nesterov", 1)));
    }

    private static void assertMessage(String expected, Runnable r) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        assertEquals(expected, e.getMessage());
    }

    @Test
    void paramGroups_ownLrAndOptions_override() {
        Tensor a = Tensor.of(new double[] {1}, 1).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {1}, 1).requiresGrad(true);
        SGD opt = new SGD(new SGD.Options().lr(0.1), new ParamGroup(List.of(a)),
                new ParamGroup(List.of(b)).set("lr", 0.01).set("weightDecay", 1));
        a.setGrad(Tensor.of(new double[] {2}, 1));
        b.setGrad(Tensor.of(new double[] {2}, 1));
        opt.step();
        assertEquals(1 - 0.1 * 2, a.getDouble(0), 1e-15);
        assertEquals(1 - 0.01 * (2 + 1), b.getDouble(0), 1e-15);
        opt.paramGroups().get(0).setLr(0.5);
        opt.step();
        assertEquals(0.8 - 0.5 * 2, a.getDouble(0), 1e-15);
        assertMessage("SGD: lr must be >= 0, got -1.0 (parameter group 0)",
                () -> opt.paramGroups().get(0).setLr(-1));
        assertEquals(0.5, opt.paramGroups().get(0).lr());
        assertMessage("SGD: parameter group 0 already belongs to another optimizer",
                () -> new SGD(new SGD.Options(), opt.paramGroups().get(0)));
    }

    @Test
    void step_paramWithoutGrad_isSkippedWithoutState() {
        Tensor a = Tensor.of(new float[] {1, 2}, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {3, 4}, 2).requiresGrad(true);
        Adam opt = new Adam(List.of(a, b), 0.1);
        a.setGrad(Tensor.of(new float[] {1, 1}, 2));
        opt.step();
        assertArrayEquals(new double[] {3, 4}, b.toDoubleArray(), 0);
        assertEquals(Map.of("0", Map.of("step", 1L)), opt.stateDict().meta().get("state"));
        // first Adam step moves each coordinate by lr (m_hat / sqrt(v_hat) = 1)
        assertArrayEquals(new double[] {0.9, 1.9}, a.toDoubleArray(), 1e-6);
    }

    @Test
    void zeroGrad_setsGradsToNull() {
        Tensor a = Tensor.zeros(2).requiresGrad(true);
        SGD opt = new SGD(List.of(a), 0.1);
        a.mul(3.0).sum().backward();
        assertArrayEquals(new double[] {3, 3}, a.grad().toDoubleArray(), 0);
        opt.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void step_closure_returnsLossAndUpdates() {
        Tensor x = Tensor.zeros(4).requiresGrad(true);
        SGD opt = new SGD(List.of(x), 0.1);
        Tensor loss = opt.step(() -> {
            opt.zeroGrad();
            Tensor l = quadratic(x);
            l.backward();
            return l;
        });
        assertEquals(9 + 8 + 0.125 + 4, loss.item(), 1e-6);
        // x = 0.1 * 2 * w * c
        assertArrayEquals(new double[] {0.6, -0.8, 0.05, 0.8}, x.toDoubleArray(), 1e-6);
        assertSame(x, opt.paramGroups().get(0).params().get(0));
    }
}
