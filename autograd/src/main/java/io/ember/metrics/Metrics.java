package io.ember.metrics;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;

/**
 * Classification metrics over a batch. Predictions are either logits (or probabilities)
 * {@code [..., C]}, one more dimension than the labels, reduced with argmax over the last
 * dimension, or predicted class indices of the labels' shape.
 */
public final class Metrics {
    private Metrics() {
    }

    /** The fraction of predictions equal to the labels. */
    public static double accuracy(NDArray predictions, NDArray labels) {
        long[] p = predictedClasses("accuracy", predictions, labels);
        if (p.length == 0) {
            throw new IllegalArgumentException("accuracy: expected at least one sample, got none");
        }
        return (double) correct(p, labels.toLongArray()) / p.length;
    }

    public static double accuracy(Tensor predictions, Tensor labels) {
        return accuracy(predictions.data(), labels.data());
    }

    /** The number of predictions equal to the labels (to add up over batches). */
    public static long correct(NDArray predictions, NDArray labels) {
        return correct(predictedClasses("correct", predictions, labels), labels.toLongArray());
    }

    public static long correct(Tensor predictions, Tensor labels) {
        return correct(predictions.data(), labels.data());
    }

    private static long correct(long[] p, long[] y) {
        long c = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == y[i]) {
                c++;
            }
        }
        return c;
    }

    /** Predicted class indices, flattened, checked against the labels' shape. */
    static long[] predictedClasses(String op, NDArray predictions, NDArray labels) {
        if (predictions.dim() == labels.dim() + 1) {
            for (int d = 0; d < labels.dim(); d++) {
                if (predictions.size(d) != labels.size(d)) {
                    throw mismatch(op, predictions, labels);
                }
            }
            if (predictions.size(predictions.dim() - 1) == 0) {
                throw new IllegalArgumentException(op + ": logits " + predictions.shape() + " have no classes");
            }
            return predictions.argmax(predictions.dim() - 1, false).toLongArray();
        }
        if (predictions.shape().equals(labels.shape())) {
            return predictions.toLongArray();
        }
        throw mismatch(op, predictions, labels);
    }

    private static IllegalArgumentException mismatch(String op, NDArray predictions, NDArray labels) {
        return new IllegalArgumentException(op + ": expected predictions " + labels.shape().toString().replace("]",
                labels.dim() == 0 ? "C]" : ", C]") + " (logits) or " + labels.shape() + " (class indices) for labels "
                + labels.shape() + ", got " + predictions.shape());
    }
}
