package io.ember.optim.lr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.autograd.Tensor;
import io.ember.optim.Adagrad;
import io.ember.optim.Adam;
import io.ember.optim.Optimizer;
import io.ember.optim.ParamGroup;
import io.ember.optim.SGD;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerTest {
    private static SGD sgd(double lr) {
        return new SGD(List.of(Tensor.zeros(2).requiresGrad(true)), new SGD.Options().lr(lr).momentum(0.9));
    }

    /** The lr right after construction, then after each of {@code steps} further steps. */
    private static double[] sequence(LRScheduler s, int steps) {
        double[] out = new double[steps + 1];
        out[0] = s.optimizer().paramGroups().get(0).lr();
        assertEquals(out[0], s.getLastLr().get(0));
        for (int i = 1; i <= steps; i++) {
            s.step();
            out[i] = s.optimizer().paramGroups().get(0).lr();
            assertEquals(out[i], s.getLastLr().get(0), 0);
        }
        return out;
    }

    private static void assertSeq(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12, "epoch " + i);
        }
    }

    @Test
    void stepLR_decaysEveryStepSize() {
        assertSeq(new double[] {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025},
                sequence(new StepLR(sgd(0.1), 3, 0.5), 7));
    }

    @Test
    void multiStepLR_repeatedMilestoneCountsTwice() {
        assertSeq(new double[] {1, 1, 0.1, 0.1, 0.1, 0.001, 0.001},
                sequence(new MultiStepLR(sgd(1), new int[] {5, 2, 5}, 0.1), 6));
    }

    @Test
    void exponentialLR_multipliesEachEpoch() {
        assertSeq(new double[] {0.2, 0.18, 0.162, 0.1458}, sequence(new ExponentialLR(sgd(0.2), 0.9), 3));
    }

    @Test
    void cosineAnnealingLR_followsClosedForm() {
        double[] seq = sequence(new CosineAnnealingLR(sgd(0.1), 10, 0.01), 14);
        assertEquals(0.1, seq[0], 1e-15);
        assertEquals(0.055, seq[5], 1e-15); // half way: the mean of 0.1 and 0.01
        assertEquals(0.01, seq[10], 1e-15);
        for (int t = 0; t <= 14; t++) {
            double expected = 0.01 + 0.09 * (1 + Math.cos(Math.PI * t / 10)) / 2;
            assertEquals(expected, seq[t], 1e-15, "epoch " + t);
        }
        assertEquals(seq[8], seq[12], 1e-15); // past tMax it rises again, symmetric about tMax
    }

    @Test
    void linearLR_warmsUpThenHolds() {
        assertSeq(new double[] {0.1, 0.175, 0.25, 0.325, 0.4, 0.4}, sequence(new LinearLR(sgd(0.4), 0.25, 1, 4), 5));
    }

    @Test
    void lambdaLR_scalesBaseRate() {
        assertSeq(new double[] {0.5, 0.25, 0.5 / 3}, sequence(new LambdaLR(sgd(0.5), e -> 1.0 / (e + 1)), 2));
    }

    @Test
    void oneCycleLR_cos_matchesHandValuesAndCyclesMomentum() {
        SGD opt = sgd(123);
        OneCycleLR s = new OneCycleLR(opt, 1.0, 10); // initial 0.04, min 4e-6; phases end at steps 2 and 9
        double[] m = new double[11];
        double[] lr = new double[11];
        lr[0] = opt.paramGroups().get(0).lr();
        m[0] = opt.paramGroups().get(0).getDouble("momentum");
        for (int i = 1; i <= 10; i++) {
            s.step();
            lr[i] = opt.paramGroups().get(0).lr();
            m[i] = opt.paramGroups().get(0).getDouble("momentum");
        }
        assertEquals(0.04, lr[0], 1e-15);
        assertEquals(0.52, lr[1], 1e-15); // cos at pct 1/2: midway between 0.04 and 1
        assertEquals(1.0, lr[2], 1e-15);
        for (int t = 2; t <= 10; t++) {
            double pct = (t - 2) / 7.0;
            assertEquals(4e-6 + (1 - 4e-6) / 2 * (1 + Math.cos(Math.PI * pct)), lr[t], 1e-14, "step " + t);
        }
        assertEquals(4e-6, lr[9], 1e-15);
        assertEquals(0.95, m[0], 1e-15);
        assertEquals(0.90, m[1], 1e-15);
        assertEquals(0.85, m[2], 1e-15);
        assertEquals(0.95, m[9], 1e-15);
        assertEquals(0.04, opt.paramGroups().get(0).getDouble("initialLr"), 1e-15);
        var e = assertThrows(IllegalStateException.class, s::step);
        assertEquals("OneCycleLR: tried to step 11 times, but totalSteps is 10", e.getMessage());
    }

    @Test
    void oneCycleLR_linearThreePhase_matchesHandValues() {
        Adam opt = new Adam(List.of(Tensor.zeros(1).requiresGrad(true)), 1e-3);
        OneCycleLR s = new OneCycleLR(opt, new OneCycleLR.Options(2.0, 10).pctStart(0.25).divFactor(10)
                .finalDivFactor(100).anneal(OneCycleLR.Anneal.LINEAR).threePhase(true));
        // initial 0.2, min 0.002; phases end at 1.5, 3, 9
        double[] expected = {0.2, 0.2 + 1.8 / 1.5, 2.0 - 1.8 * 0.5 / 1.5, 0.2, 0.2 - 0.198 / 6,
                0.2 - 0.198 * 2 / 6, 0.2 - 0.198 * 3 / 6, 0.2 - 0.198 * 4 / 6, 0.2 - 0.198 * 5 / 6, 0.002,
                0.0}; // step 10 overshoots the last phase: clamped at 0 (PyTorch: 0.002 - 0.198 / 6 < 0)
        double[] beta1 = {0.95, 0.95 - 0.1 / 1.5, 0.85 + 0.1 * 0.5 / 1.5, 0.95, 0.95};
        for (int t = 0; t <= 10; t++) {
            if (t > 0) {
                s.step();
            }
            assertEquals(expected[t], opt.paramGroups().get(0).lr(), 1e-12, "step " + t);
            if (t < beta1.length) {
                assertEquals(beta1[t], opt.paramGroups().get(0).getDouble("beta1"), 1e-12, "beta1 step " + t);
            }
        }
    }

    @Test
    void oneCycleLR_badArguments_failClearly() {
        Adagrad ada = new Adagrad(List.of(Tensor.zeros(1).requiresGrad(true)), 0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(ada, 1, 10));
        assertEquals("OneCycleLR: Adagrad has neither a momentum nor a beta1 option; use cycleMomentum(false)",
                e.getMessage());
        new OneCycleLR(ada, new OneCycleLR.Options(1, 10).cycleMomentum(false));
        e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(sgd(1), 1, 0));
        assertEquals("OneCycleLR: totalSteps must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new OneCycleLR(sgd(1), new OneCycleLR.Options(1, 10).pctStart(1.5)));
        assertEquals("OneCycleLR: pctStart must be in [0, 1], got 1.5", e.getMessage());
    }

    @Test
    void reduceLROnPlateau_minRel_patienceAndCooldown() {
        SGD opt = sgd(1);
        var s = new ReduceLROnPlateau(opt, new ReduceLROnPlateau.Options().factor(0.5).patience(2).cooldown(1)
                .threshold(0.1));
        double[] metrics = {10, 9.5, 9.2, 9.3, 8, 8, 8, 8, 8, 8, 8, 8};
        double[] expected = {1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.25, 0.125};
        for (int i = 0; i < metrics.length; i++) {
            s.step(metrics[i]);
            assertEquals(expected[i], opt.paramGroups().get(0).lr(), 0, "epoch " + (i + 1));
            assertEquals(expected[i], s.getLastLr().get(0), 0);
        }
        assertEquals(8, s.best());
    }

    @Test
    void reduceLROnPlateau_maxAbs_stopsAtMinLr() {
        SGD opt = sgd(1);
        var s = new ReduceLROnPlateau(opt, new ReduceLROnPlateau.Options().mode(ReduceLROnPlateau.Mode.MAX)
                .thresholdMode(ReduceLROnPlateau.ThresholdMode.ABS).threshold(0.5).patience(0).minLr(0.05));
        double[] metrics = {1, 1.4, 2.0, 2.0, 2.0};
        double[] expected = {1, 0.1, 0.1, 0.05, 0.05};
        for (int i = 0; i < metrics.length; i++) {
            s.step(metrics[i]);
            assertEquals(expected[i], opt.paramGroups().get(0).lr(), 1e-15, "epoch " + (i + 1));
        }
        var e = assertThrows(IllegalArgumentException.class,
                () -> new ReduceLROnPlateau(opt, new ReduceLROnPlateau.Options().factor(1)));
        assertEquals("ReduceLROnPlateau: factor must be in [0, 1), got 1.0", e.getMessage());
    }

    @Test
    void reduceLROnPlateau_stateDict_continuesIdentically() {
        SGD a = sgd(1);
        var sa = new ReduceLROnPlateau(a, new ReduceLROnPlateau.Options().patience(1));
        for (double m : new double[] {5, 6, 4}) {
            sa.step(m);
        }
        Map<String, Object> state = sa.stateDict();
        SGD b = sgd(1);
        b.loadStateDict(a.stateDict());
        var sb = new ReduceLROnPlateau(b, new ReduceLROnPlateau.Options().patience(1));
        sb.loadStateDict(state);
        for (double m : new double[] {4.5, 4.5, 3, 3.5, 3.5}) {
            sa.step(m);
            sb.step(m);
            assertEquals(a.paramGroups().get(0).lr(), b.paramGroups().get(0).lr(), 0);
        }
        assertEquals(0.01, b.paramGroups().get(0).lr(), 1e-15);
        var sc = new ReduceLROnPlateau(sgd(1), new ReduceLROnPlateau.Options().patience(3));
        var e = assertThrows(IllegalArgumentException.class, () -> sc.loadStateDict(state));
        assertEquals("ReduceLROnPlateau.loadStateDict: patience is 1 in the state but 3 in this scheduler",
                e.getMessage());
    }

    @Test
    void sequentialLR_warmupThenDecay() {
        SGD opt = sgd(1);
        var warm = new LinearLR(opt, 0.1, 1, 3);
        var decay = new ExponentialLR(opt, 0.5);
        var s = new SequentialLR(opt, List.of(warm, decay), new int[] {3});
        assertSeq(new double[] {0.1, 0.4, 0.7, 1.0, 0.5, 0.25}, sequence(s, 5));
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SequentialLR(opt, List.of(warm, decay), new int[] {}));
        assertEquals("SequentialLR: expected 1 milestones for 2 schedulers, got []", e.getMessage());
    }

    @Test
    void secondScheduler_usesInitialLrNotCurrent() {
        SGD opt = sgd(1);
        new LinearLR(opt, 0.5, 1, 2); // sets lr to 0.5 at once
        var s = new StepLR(opt, 1, 0.5);
        assertEquals(List.of(1.0), s.getLastLr()); // base from initialLr = 1, not 0.5
    }

    @Test
    void paramGroups_eachOwnBaseRate() {
        Tensor a = Tensor.zeros(1).requiresGrad(true);
        Tensor b = Tensor.zeros(1).requiresGrad(true);
        Optimizer opt = new SGD(new SGD.Options().lr(1), new ParamGroup(List.of(a)),
                new ParamGroup(List.of(b)).set("lr", 0.1));
        var s = new ExponentialLR(opt, 0.5);
        s.step();
        assertEquals(List.of(0.5, 0.05), s.getLastLr());
    }

    @Test
    void stateDict_roundTrip_continuesAndChecksHyperparameters() {
        SGD a = sgd(1);
        var sa = new CosineAnnealingLR(a, 8, 0.1);
        for (int i = 0; i < 3; i++) {
            sa.step();
        }
        Map<String, Object> state = sa.stateDict();
        assertEquals(3, state.get("lastEpoch"));
        SGD b = sgd(1);
        var sb = new CosineAnnealingLR(b, 8, 0.1);
        sb.loadStateDict(new LinkedHashMap<>(state));
        List<Double> la = new ArrayList<>();
        List<Double> lb = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sa.step();
            sb.step();
            la.add(a.paramGroups().get(0).lr());
            lb.add(b.paramGroups().get(0).lr());
        }
        assertEquals(la, lb);
        assertEquals(0.1 + 0.9 * (1 + Math.cos(Math.PI * 7 / 8)) / 2, lb.get(3), 1e-15);
        var other = new CosineAnnealingLR(sgd(1), 9, 0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> other.loadStateDict(state));
        assertEquals("CosineAnnealingLR.loadStateDict: tMax is 8 in the state but 9 in this scheduler",
                e.getMessage());
        assertEquals(0, other.lastEpoch());
        var step = new StepLR(sgd(1), 2);
        e = assertThrows(IllegalArgumentException.class, () -> step.loadStateDict(state));
        assertEquals("StepLR.loadStateDict: the state is from CosineAnnealingLR, not StepLR", e.getMessage());
    }

    @Test
    void constructors_badArguments_failClearly() {
        var e = assertThrows(IllegalArgumentException.class, () -> new StepLR(sgd(1), 0, 0.1));
        assertEquals("StepLR: stepSize must be >= 1, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(sgd(1), -0.5));
        assertEquals("ExponentialLR: gamma must be > 0, got -0.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new LinearLR(sgd(1), 0, 1, 5));
        assertEquals("LinearLR: startFactor must be in (0, 1], got 0.0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(sgd(1), 0));
        assertEquals("CosineAnnealingLR: tMax must be >= 1, got 0", e.getMessage());
    }
}
