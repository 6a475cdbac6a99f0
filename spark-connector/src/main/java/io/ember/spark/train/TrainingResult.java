package io.ember.spark.train;

import io.ember.nn.Module;
import java.util.List;

/**
 * What {@link DistributedTrainer#fit} returns: the trained (averaged) model on the driver, the history of every
 * round (including rounds done before a resume, when they were checkpointed), and the round the fit resumed after
 * (0 for a fresh start).
 */
public record TrainingResult(Module model, List<RoundStats> history, int resumedAfterRound, long skippedRows) {
    public TrainingResult {
        history = List.copyOf(history);
    }

    /** The last round's statistics. */
    public RoundStats last() {
        if (history.isEmpty()) {
            throw new IllegalStateException("TrainingResult: no rounds were run");
        }
        return history.get(history.size() - 1);
    }
}
