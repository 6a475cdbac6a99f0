package io.ember.data;

import io.ember.tensor.NDArray;

import java.util.List;

/**
 * What {@link CsvReader#read} returns: FLOAT32 features {@code [rows, columns]}, the labels
 * {@code [rows]} when a label column was chosen (else null), the column names, and for
 * categorical labels the class names in index order.
 */
public final class CsvData {
    private final NDArray features;
    private final NDArray labels;
    private final List<String> featureNames;
    private final String labelName;
    private final List<String> classes;

    CsvData(NDArray features, NDArray labels, List<String> featureNames, String labelName, List<String> classes) {
        this.features = features;
        this.labels = labels;
        this.featureNames = List.copyOf(featureNames);
        this.labelName = labelName;
        this.classes = List.copyOf(classes);
    }

    public NDArray features() {
        return features;
    }

    /** The labels, or null when no label column was chosen. */
    public NDArray labels() {
        return labels;
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /** The label column's name, or null. */
    public String labelName() {
        return labelName;
    }

    /** For categorical labels, the class names (label {@code i} is {@code classes().get(i)}); else empty. */
    public List<String> classes() {
        return classes;
    }

    /** The number of rows. */
    public int size() {
        return features.size(0);
    }

    /** A dataset of (features, labels), or of features alone without a label column. */
    public TensorDataset toDataset() {
        return labels == null ? TensorDataset.of(features) : TensorDataset.of(features, labels);
    }
}
