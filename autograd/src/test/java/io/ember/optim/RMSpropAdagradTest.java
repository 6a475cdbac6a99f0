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

class RMSpropAdagradTest {
    /** torch.optim.RMSprop's documented algorithm, in double. */
    static Reference rmsprop(double lr, double alpha, double eps, double wd, double momentum, boolean centered,
            boolean maximize) {
        double[] sq = new double[INIT.length];
        double[] ga = new double[INIT.length];
        double[] buf = new double[INIT.length];
        return (p, g, t) -> {
            for (int i = 0; i < p.length; i++) {
                double gi = (maximize ? -g[i] : g[i]) + wd * p[i];
                sq[i] = alpha * sq[i] + (1 - alpha) * gi * gi;
                double vt = sq[i];
                if (centered) {
                    ga[i] = alpha * ga[i] + (1 - alpha) * gi;
                    vt -= ga[i] * ga[i];
                }
                double denom = Math.sqrt(vt) + eps;
                if (momentum > 0) {
                    buf[i] = momentum * buf[i] + gi / denom;
                    p[i] -= lr * buf[i];
                } else {
                    p[i] -= lr * gi / denom;
                }
            }
        };
    }

    /** torch.optim.Adagrad's documented algorithm, in double. */
    static Reference adagrad(double lr, double lrDecay, double wd, double init, double eps, boolean maximize) {
        double[] sum = new double[INIT.length];
        java.util.Arrays.fill(sum, init);
        return (p, g, t) -> {
            double clr = lr / (1 + (t - 1) * lrDecay);
            for (int i = 0; i < p.length; i++) {
                double gi = (maximize ? -g[i] : g[i]) + wd * p[i];
                sum[i] += gi * gi;
                p[i] -= clr * gi / (Math.sqrt(sum[i]) + eps);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void rmsprop_defaults_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        compare(new RMSprop(List.of(p), 0.01), p, rmsprop(0.01, 0.99, 1e-8, 0, 0, false, false), 6, layout);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void rmsprop_centeredMomentumWeightDecay_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        RMSprop opt = new RMSprop(List.of(p), new RMSprop.Options().lr(0.02).alpha(0.9).eps(1e-3).weightDecay(0.1)
                .momentum(0.7).centered(true).maximize(true));
        compare(opt, p, rmsprop(0.02, 0.9, 1e-3, 0.1, 0.7, true, true), 6, layout);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void adagrad_defaults_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        compare(new Adagrad(List.of(p), 0.1), p, adagrad(0.1, 0, 0, 0, 1e-10, false), 6, layout);
    }

    @ParameterizedTest
    @EnumSource(Layout.class)
    void adagrad_lrDecayWeightDecayAccumulator_matchesFormula(Layout layout) {
        Tensor p = param(layout);
        Adagrad opt = new Adagrad(List.of(p), new Adagrad.Options().lr(0.2).lrDecay(0.3).weightDecay(0.05)
                .initialAccumulatorValue(0.4).eps(1e-3).maximize(true));
        compare(opt, p, adagrad(0.2, 0.3, 0.05, 0.4, 1e-3, true), 6, layout);
    }
}
