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

class SGDTest {
    /** torch.optim.SGD's documented algorithm, in double. */
    static Reference reference(double lr, double momentum, double dampening, double wd, boolean nesterov,
            boolean maximize) {
        double[] buf = new double[INIT.length];
        return (p, g, t) -> {
            for (int i = 0; i < p.length; i++) {
                double d = (maximize ? -g[i] : g[i]) + wd * p[i];
                if (momentum != 0) {
                    buf[i] = t == 1 ? d : momentum * buf[i] + (1 - dampening) * d;
                    d = nesterov ? d + momentum * buf[i] : buf[i];
                }
                p[i] -= lr * d;
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void step_plain_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        compare(new SGD(List.of(p), 0.1), p, reference(0.1, 0, 0, 0, false, false), 5, layout);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void step_momentumDampeningWeightDecay_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        SGD opt = new SGD(List.of(p), new SGD.Options().lr(0.05).momentum(0.9).dampening(0.3).weightDecay(0.01));
        compare(opt, p, reference(0.05, 0.9, 0.3, 0.01, false, false), 6, layout);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void step_nesterovMaximize_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        SGD opt = new SGD(List.of(p), new SGD.Options().lr(0.02).momentum(0.8).nesterov(true).weightDecay(0.1)
                .maximize(true));
        compare(opt, p, reference(0.02, 0.8, 0, 0.1, true, true), 6, layout);
    }
}
