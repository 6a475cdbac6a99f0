package io.ember.spark.train;

/**
 * One round of distributed training, as the driver saw it.
 *
 * @param round            1-based round number
 * @param rounds           the number of rounds of the whole fit
 * @param epoch            epochs completed at the end of this round (fractional)
 * @param loss             the mean training loss over the round's samples on all workers
 * @param samples          training samples processed in the round (all workers)
 * @param seconds          wall seconds of the round on the driver (the training job and the averaging)
 * @param samplesPerSecond {@code samples / seconds}
 * @param validationLoss   mean loss on the validation data with the averaged parameters, or NaN when there is none
 * @param validationAccuracy accuracy on the validation data (classification), or NaN
 */
public record RoundStats(int round, int rounds, double epoch, double loss, long samples, double seconds,
        double samplesPerSecond, double validationLoss, double validationAccuracy) {

    /** A one-line summary, as logged and shown as the Spark job description. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(java.util.Locale.ROOT, "round %d/%d (epoch %.2f): loss %.4f, %.0f samples/s", round,
                rounds, epoch, loss, samplesPerSecond));
        if (!Double.isNaN(validationLoss)) {
            b.append(String.format(java.util.Locale.ROOT, ", val loss %.4f", validationLoss));
        }
        if (!Double.isNaN(validationAccuracy)) {
            b.append(String.format(java.util.Locale.ROOT, ", val acc %.4f", validationAccuracy));
        }
        return b.toString();
    }
}
