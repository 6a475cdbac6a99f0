package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import io.ember.tensor.DType;
import java.util.Map;

/**
 * The shared body of {@link BatchNorm1d} and {@link BatchNorm2d}, like PyTorch's {@code _BatchNorm}. Buffers keep
 * PyTorch's state-dict names ({@code running_mean}, {@code running_var}, {@code num_batches_tracked}) so weights
 * interchange with PyTorch checkpoints.
 */
public abstract class BatchNorm extends Module {
    private final int numFeatures;
    private final double eps;
    private final Double momentum;
    private final boolean affine;
    private final boolean trackRunningStats;
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor numBatchesTracked;

    /**
     * @param momentum the running-average factor, or null for a cumulative average (factor 1 / batches seen)
     */
    BatchNorm(int numFeatures, double eps, Double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures < 1) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": numFeatures must be positive, got "
                    + numFeatures);
        }
        if (!(eps > 0) || (momentum != null && !(momentum >= 0 && momentum <= 1))) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": expected eps > 0 and momentum in "
                    + "[0, 1] or null, got eps=" + eps + ", momentum=" + momentum);
        }
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        this.trackRunningStats = trackRunningStats;
        this.weight = registerParameter("weight", affine ? Tensor.ones(numFeatures) : null);
        this.bias = registerParameter("bias", affine ? Tensor.zeros(numFeatures) : null);
        if (trackRunningStats) {
            this.runningMean = registerBuffer("running_mean", Tensor.zeros(numFeatures));
            this.runningVar = registerBuffer("running_var", Tensor.ones(numFeatures));
            this.numBatchesTracked = registerBuffer("num_batches_tracked", Tensor.zeros(DType.INT64));
        } else {
            this.runningMean = null;
            this.runningVar = null;
            this.numBatchesTracked = null;
        }
    }

    /** Checks the input's rank and channel count. */
    abstract void checkInput(Tensor input);

    @Override
    public Tensor forward(Tensor input) {
        checkInput(input);
        double factor = 0;
        if (isTraining() && trackRunningStats) {
            numBatchesTracked.data().addInPlace(1.0);
            factor = momentum == null ? 1.0 / numBatchesTracked.data().item() : momentum;
        }
        boolean useBatchStats = isTraining() || !trackRunningStats;
        // without tracked statistics (runningMean null) evaluation normalises with the batch's, as PyTorch does
        return F.batchNorm(input, runningMean, runningVar, weight, bias, useBatchStats, factor, eps);
    }

    /** Resets the running statistics to mean 0, variance 1 and no batches seen. */
    public void resetRunningStats() {
        if (trackRunningStats) {
            runningMean.data().zeroInPlace();
            runningVar.data().fillInPlace(1);
            numBatchesTracked.data().zeroInPlace();
        }
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    /** The running mean buffer, or null without trackRunningStats. */
    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    public Tensor numBatchesTracked() {
        return numBatchesTracked;
    }

    int numFeatures() {
        return numFeatures;
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("numFeatures", numFeatures, "eps", eps, "momentum", momentum, "affine", affine,
                "trackRunningStats", trackRunningStats);
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + momentum + ", affine=" + affine
                + ", trackRunningStats=" + trackRunningStats;
    }
}
