package io.ember.optim;

import static io.ember.optim.OptimTesting.INIT;
import static io.ember.optim.OptimTesting.compare;
import static io.ember.optim.OptimTesting.param;

import io.ember.autograd.Tensor;
import io.ember.optim.OptimTesting.Layout;
import io.ember.optim.OptimTesting.Reference;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AdamTest {
    /** torch.optim.Adam / AdamW's documented algorithm, in double. */
    static Reference reference(double lr, double b1, double b2, double eps, double wd, boolean amsgrad,
            boolean maximize, boolean decoupled) {
        double[] m = new double[INIT.length];
        double[] v = new double[INIT.length];
        double[] vmax = new double[INIT.length];
        return (p, g, t) -> {
            for (int i = 0; i < p.length; i++) {
                double gi = maximize ? -g[i] : g[i];
                if (decoupled) {
                    p[i] *= 1 - lr * wd;
                } else {
                    gi += wd * p[i];
                }
                m[i] = b1 * m[i] + (1 - b1) * gi;
                v[i] = b2 * v[i] + (1 - b2) * gi * gi;
                vmax[i] = Math.max(vmax[i], v[i]);
                double mHat = m[i] / (1 - Math.pow(b1, t));
                double vHat = (amsgrad ? vmax[i] : v[i]) / (1 - Math.pow(b2, t));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void step_defaults_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        compare(new Adam(List.of(p), 0.01), p, reference(0.01, 0.9, 0.999, 1e-8, 0, false, false, false), 6,
                layout);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void step_weightDecayBigEps_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        Adam opt = new Adam(List.of(p), new Adam.Options().lr(0.05).betas(0.8, 0.9).eps(0.1).weightDecay(0.2));
        compare(opt, p, reference(0.05, 0.8, 0.9, 0.1, 0.2, false, false, false), 6, layout);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void step_amsgradMaximize_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        Adam opt = new Adam(List.of(p), new Adam.Options().lr(0.03).betas(0.7, 0.95).amsgrad(true).maximize(true));
        compare(opt, p, reference(0.03, 0.7, 0.95, 1e-8, 0, true, true, false), 7, layout);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void step_adamW_decaysDecoupled(Layout layout) {
        Tensor p = param(layout);
        AdamW opt = new AdamW(List.of(p), new AdamW.Options().lr(0.05).weightDecay(0.5).amsgrad(true));
        compare(opt, p, reference(0.05, 0.9, 0.999, 1e-8, 0.5, true, false, true), 6, layout);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void step_adamWDefaults_useWeightDecay001(Layout layout) {
        Tensor p = param(layout);
        compare(new AdamW(List.of(p), 0.1), p, reference(0.1, 0.9, 0.999, 1e-8, 0.01, false, false, true), 4,
                layout);
    }
}
