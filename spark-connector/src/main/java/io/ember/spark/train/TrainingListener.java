package io.ember.spark.train;

/**
 * Receives the trainer's progress on the driver: {@link #onRound} after every round (after the averaged parameters
 * are in place, and after the validation pass when there is one). Runs on the driver thread that called
 * {@code fit}; an exception thrown here stops training (the last checkpoint stays usable).
 */
@FunctionalInterface
public interface TrainingListener {
    void onRound(RoundStats stats);

    /** Called once when training has finished, with the whole history. */
    default void onEnd(TrainingResult result) {
    }
}
