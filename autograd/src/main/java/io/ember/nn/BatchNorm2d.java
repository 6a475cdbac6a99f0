package io.ember.nn;

import io.ember.autograd.Tensor;
import java.util.Map;

/**
 * Batch normalisation of [N, C, H, W] per channel, like {@code nn.BatchNorm2d}; see {@link BatchNorm1d} for the
 * training and evaluation behaviour.
 */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** @param momentum the running-average factor, or null for a cumulative average */
    public BatchNorm2d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    void checkInput(Tensor input) {
        if (input.dim() != 4 || input.size(1) != numFeatures()) {
            throw new IllegalArgumentException("BatchNorm2d: expected input [N, " + numFeatures() + ", H, W], got "
                    + input.shape());
        }
    }

    static BatchNorm2d fromConfig(Map<String, Object> c) {
        return new BatchNorm2d(Cfg.i(c, "numFeatures"), Cfg.d(c, "eps"), Cfg.optD(c, "momentum"),
                Cfg.b(c, "affine"), Cfg.b(c, "trackRunningStats"));
    }
}
