package io.ember.ml;

import io.ember.io.Json;
import io.ember.nn.Conv2d;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Dropout;
import io.ember.nn.Flatten;
import io.ember.nn.L1Loss;
import io.ember.nn.Linear;
import io.ember.nn.Loss;
import io.ember.nn.MSELoss;
import io.ember.nn.MaxPool2d;
import io.ember.nn.Module;
import io.ember.nn.ModuleRegistry;
import io.ember.nn.ReLU;
import io.ember.nn.Sequential;
import io.ember.nn.SmoothL1Loss;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code architecture} param: a built-in spec, or the name of a module type registered with
 * {@link ModuleRegistry}; and the {@code loss} param. Input size comes from the example shape, output size from the
 * task (classes, or 1 for regression).
 *
 * <ul>
 *   <li>{@code linear}: one Linear layer (logistic / linear regression);</li>
 *   <li>{@code mlp:H1,H2,...} with optional {@code ;dropout=P}: Linear-ReLU(-Dropout) per hidden size, then Linear;</li>
 *   <li>{@code cnn}: conv 3x3 (32) ReLU pool2 - conv 3x3 (64) ReLU pool2 - Linear 128 ReLU - Linear, on
 *       {@code [C, H, W]} (the PROTOCOL CNN for Fashion-MNIST's [1, 28, 28]);</li>
 *   <li>any registered type name: built by {@code ModuleRegistry.create(name, config)} with config = the
 *       {@code architectureConfig} JSON object plus {@code inputShape} (list of ints) and {@code outputs} (int).</li>
 * </ul>
 * Images and other multi-dimensional examples are flattened before a linear or mlp.
 */
final class Architectures {
    static final List<String> CLASSIFICATION_LOSSES = List.of("crossEntropy");
    static final List<String> REGRESSION_LOSSES = List.of("mse", "l1", "smoothL1");
    private static final Pattern MLP = Pattern.compile("mlp:(\\d+(,\\d+)*)(;dropout=([0-9.eE+-]+))?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.$-]*");

    private Architectures() {
    }

    /** Checks the spec's syntax (a registered name is checked at fit time); returns null or what is wrong. */
    static String syntaxProblem(String spec) {
        if (spec.equals("linear") || spec.equals("cnn")) {
            return null;
        }
        if (spec.startsWith("mlp")) {
            var m = MLP.matcher(spec);
            if (!m.matches()) {
                return "an mlp spec like 'mlp:256,128' or 'mlp:256,128;dropout=0.2'";
            }
            for (String h : m.group(1).split(",")) {
                if (Integer.parseInt(h) < 1) {
                    return "an mlp spec with hidden sizes >= 1";
                }
            }
            if (m.group(4) != null) {
                double p = Double.parseDouble(m.group(4));
                if (!(p >= 0 && p < 1)) {
                    return "an mlp spec with dropout in [0, 1)";
                }
            }
            return null;
        }
        return NAME.matcher(spec).matches() ? null
                : "'linear', 'mlp:H1,H2,...', 'cnn' or a registered module type name";
    }

    /** Builds the model for {@code spec}, examples of {@code shape} and {@code outputs} outputs. */
    static Module build(String stage, String spec, String configJson, int[] shape, int outputs) {
        int in = 1;
        for (int d : shape) {
            in *= d;
        }
        List<Module> layers = new ArrayList<>();
        if (spec.equals("linear") || spec.startsWith("mlp:")) {
            if (shape.length > 1) {
                layers.add(new Flatten());
            }
            int width = in;
            double dropout = 0;
            if (spec.startsWith("mlp:")) {
                var m = MLP.matcher(spec);
                if (!m.matches()) {
                    throw new IllegalArgumentException(stage + ": architecture '" + spec + "' is not an mlp spec");
                }
                dropout = m.group(4) == null ? 0 : Double.parseDouble(m.group(4));
                for (String h : m.group(1).split(",")) {
                    int hidden = Integer.parseInt(h);
                    layers.add(new Linear(width, hidden));
                    layers.add(new ReLU());
                    if (dropout > 0) {
                        layers.add(new Dropout(dropout));
                    }
                    width = hidden;
                }
            }
            layers.add(new Linear(width, outputs));
            return new Sequential(layers.toArray(new Module[0]));
        }
        if (spec.equals("cnn")) {
            if (shape.length != 3 || shape[1] < 4 || shape[2] < 4) {
                throw new IllegalArgumentException(stage + ": architecture 'cnn' needs examples of shape [C, H, W]"
                        + " with H, W >= 4 (set featureShape, e.g. [1, 28, 28]); got " + Arrays.toString(shape));
            }
            int h = shape[1] / 2 / 2;
            int w = shape[2] / 2 / 2;
            return new Sequential(
                    new Conv2d(shape[0], 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                    new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                    new Flatten(), new Linear(64 * h * w, 128), new ReLU(), new Linear(128, outputs));
        }
        if (!ModuleRegistry.isRegistered(spec)) {
            throw new IllegalArgumentException(stage + ": architecture '" + spec + "' is neither a built-in"
                    + " ('linear', 'mlp:H1,H2,...', 'cnn') nor a registered module type; register it with"
                    + " ModuleRegistry.register(\"" + spec + "\", config -> ...) on the driver and the executors");
        }
        Map<String, Object> config = new LinkedHashMap<>(Json.parseObject(configJson));
        List<Object> inputShape = new ArrayList<>();
        for (int d : shape) {
            inputShape.add(d);
        }
        config.put("inputShape", inputShape);
        config.put("outputs", outputs);
        return ModuleRegistry.create(spec, config);
    }

    /** The loss module for the {@code loss} param. */
    static Loss loss(String stage, String name) {
        return switch (name) {
            case "crossEntropy" -> new CrossEntropyLoss();
            case "mse" -> new MSELoss();
            case "l1" -> new L1Loss();
            case "smoothL1" -> new SmoothL1Loss();
            default -> throw new IllegalArgumentException(stage + ": unknown loss '" + name + "'");
        };
    }
}
