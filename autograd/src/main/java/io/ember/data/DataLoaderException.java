package io.ember.data;

/**
 * Loading or collating a batch failed: names the batch and, where one sample was at fault, the
 * sample's dataset index; the cause is the original exception, thrown on whichever thread
 * (consumer or worker) loaded the batch.
 */
public final class DataLoaderException extends RuntimeException {
    private final int batchIndex;
    private final int sampleIndex;

    DataLoaderException(String message, int batchIndex, int sampleIndex, Throwable cause) {
        super(message, cause);
        this.batchIndex = batchIndex;
        this.sampleIndex = sampleIndex;
    }

    /** The position of the failing batch in the epoch (0-based). */
    public int batchIndex() {
        return batchIndex;
    }

    /** The dataset index of the failing sample, or -1 when the failure was not one sample's. */
    public int sampleIndex() {
        return sampleIndex;
    }
}
