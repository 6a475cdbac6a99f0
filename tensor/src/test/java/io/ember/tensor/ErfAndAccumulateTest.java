package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The raw kernels added for autograd's backward passes: erf and accumulating indexPut. */
class ErfAndAccumulateTest {
    /** erf by Simpson's rule on 2/sqrt(pi) exp(-t^2), independent of the series in MathFns. */
    private static double erfSimpson(double x) {
        int n = 2000;
        double h = x / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double t = i * h;
            double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * Math.exp(-t * t);
        }
        return s * h / 3 * 2 / Math.sqrt(Math.PI);
    }

    @Test
    void erf_float64_matchesSimpson() {
        double[] xs = {-3.1, -1.2, -0.3, 0, 0.05, 0.7, 1.9, 2.6, 4.0};
        double[] got = NDArray.of(xs, xs.length).erf().toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals(erfSimpson(xs[i]), got[i], 1e-12, "erf(" + xs[i] + ")");
        }
    }

    @Test
    void erf_float32AndStrided_matchesSimpson() {
        NDArray x = NDArray.of(new float[] {-1f, 0.5f, 2f, -0.25f}, 2, 2).t();
        NDArray y = x.erf();
        assertEquals(DType.FLOAT32, y.dtype());
        assertEquals(erfSimpson(0.5), y.getDouble(1, 0), 1e-6);
        assertEquals(erfSimpson(2.0), y.getDouble(0, 1), 1e-6);
    }

    @Test
    void indexPut_accumulateWithDuplicates_sumsValues() {
        NDArray x = NDArray.zeros(DType.FLOAT64, 3, 2);
        x.indexPut(new Index[] {Index.of(0, 2, 0), Index.of(1, 0, 1)}, NDArray.of(new double[] {1, 2, 4}, 3), true);
        assertArrayEquals(new double[] {0, 5, 0, 0, 2, 0}, x.toDoubleArray());
    }

    @Test
    void indexPut_accumulateOneArrayDuplicates_sumsRows() {
        NDArray x = NDArray.ones(DType.FLOAT64, 3, 2);
        x.indexPut(new Index[] {Index.of(1, 1)}, NDArray.of(new double[] {1, 2, 3, 4}, 2, 2), true);
        assertArrayEquals(new double[] {1, 1, 5, 7, 1, 1}, x.toDoubleArray());
    }

    @Test
    void indexPut_accumulateBasicOnly_adds() {
        NDArray x = NDArray.ones(DType.FLOAT64, 2, 3);
        x.indexPut(new Index[] {Index.at(1), Index.slice(0, 3, 2)}, NDArray.scalar(DType.FLOAT64, 2), true);
        assertArrayEquals(new double[] {1, 1, 1, 3, 1, 3}, x.toDoubleArray());
    }

    @Test
    void indexPut_withoutAccumulate_lastWriteWinsNoSum() {
        NDArray x = NDArray.zeros(DType.FLOAT64, 3);
        x.indexPut(new Index[] {Index.of(1)}, NDArray.of(new double[] {7}, 1));
        assertArrayEquals(new double[] {0, 7, 0}, x.toDoubleArray());
    }
}
