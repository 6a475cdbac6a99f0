package io.ember.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.NDArray;

/** Shared fixtures: parameters in three layouts, fixed gradient sequences, and a step-by-step comparison. */
final class OptimTesting {
    private OptimTesting() {
    }

    /** How a parameter is stored: the fused float32 path, the array-op path in float64 and in strided float32. */
    enum Layout {
        FLOAT32, FLOAT64, FLOAT32_STRIDED
    }

    static final double[] INIT = {0.5, -1.25, 2.0, 0.75, -0.3, 1.1};

    /** A [2, 3] leaf parameter holding INIT in row-major order. */
    static Tensor param(Layout layout) {
        return switch (layout) {
            case FLOAT32 -> Tensor.of(NDArray.of(INIT, 2, 3).to(DType.FLOAT32)).requiresGrad(true);
            case FLOAT64 -> Tensor.of(NDArray.of(INIT, 2, 3)).requiresGrad(true);
            case FLOAT32_STRIDED -> {
                double[] tr = new double[6];
                for (int i = 0; i < 2; i++) {
                    for (int j = 0; j < 3; j++) {
                        tr[j * 2 + i] = INIT[i * 3 + j];
                    }
                }
                NDArray a = NDArray.of(tr, 3, 2).to(DType.FLOAT32).t();
                if (a.isContiguous()) {
                    throw new AssertionError("fixture should be strided");
                }
                yield Tensor.of(a).requiresGrad(true);
            }
        };
    }

    /** Gradient of step k (0-based), varied in sign and size. */
    static double[] grad(int k) {
        double[] g = new double[INIT.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = Math.sin(1.3 * i + 0.7 * k) * (1 + 0.5 * k) + 0.1 * (i - 2);
        }
        return g;
    }

    static void setGrad(Tensor p, double[] g) {
        p.setGrad(Tensor.of(NDArray.of(g, 2, 3).to(p.dtype())));
    }

    /** The reference update of one step: p and the reference's own state change in place; t is 1-based. */
    interface Reference {
        void step(double[] p, double[] g, int t);
    }

    /** Runs {@code steps} steps of both and compares after each. */
    static void compare(Optimizer opt, Tensor p, Reference ref, int steps, Layout layout) {
        double[] expected = INIT.clone();
        double tol = layout == Layout.FLOAT64 ? 1e-12 : 2e-5;
        for (int k = 0; k < steps; k++) {
            double[] g = grad(k);
            setGrad(p, g);
            opt.step();
            ref.step(expected, g.clone(), k + 1);
            double[] actual = p.toDoubleArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])),
                        opt.name() + " " + layout + " step " + (k + 1) + " element " + i);
            }
        }
    }
}
