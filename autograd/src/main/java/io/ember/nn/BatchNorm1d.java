package io.ember.nn;

import io.ember.autograd.Tensor;
import java.util.Map;

/**
 * Batch normalisation of [N, C] or [N, C, L] over the batch (and length), like {@code nn.BatchNorm1d}: training
 * normalises with the batch mean and biased variance and updates the running mean and unbiased variance with
 * {@code momentum}; evaluation normalises with the running statistics. Weight ones, bias zeros.
 */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    /** @param momentum the running-average factor, or null for a cumulative average */
    public BatchNorm1d(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    void checkInput(Tensor input) {
        if ((input.dim() != 2 && input.dim() != 3) || input.size(1) != numFeatures()) {
            throw new IllegalArgumentException("BatchNorm1d: expected input [N, " + numFeatures() + "] or [N, "
                    + numFeatures() + ", L], got " + input.shape());
        }
    }

    static BatchNorm1d fromConfig(Map<String, Object> c) {
        return new BatchNorm1d(Cfg.i(c, "numFeatures"), Cfg.d(c, "eps"), Cfg.optD(c, "momentum"),
                Cfg.b(c, "affine"), Cfg.b(c, "trackRunningStats"));
    }
}
