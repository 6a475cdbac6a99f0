package io.ember.nn.init;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.tensor.Generator;
import java.util.Locale;

/**
 * In-place parameter initialisers like {@code torch.nn.init}. Each runs under {@link Autograd#noGrad()}, fills the
 * tensor in place and returns it; the overloads without a {@link Generator} draw from {@link Generator#global()}.
 *
 * <pre>{@code
 * Init.kaimingUniform(layer.weight(), 0, Init.Mode.FAN_IN, "relu");
 * Init.zeros(layer.bias());
 * }</pre>
 */
public final class Init {
    /** Which fan {@code kaiming*} scales by: FAN_IN keeps the forward variance, FAN_OUT the backward one. */
    public enum Mode {
        FAN_IN, FAN_OUT
    }

    private Init() {
    }

    // ---------------------------------------------------------------- gain and fans

    /** {@code calculateGain(nonlinearity, 0.01)} (the parameter only matters for leaky_relu). */
    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, Double.NaN);
    }

    /**
     * The recommended gain for a nonlinearity, as PyTorch: linear, conv1d/2d/3d (and transposed), sigmoid: 1; tanh:
     * 5/3; relu: sqrt(2); leaky_relu: sqrt(2 / (1 + slope^2)) with slope {@code param} (NaN means 0.01); selu: 3/4.
     * Names may be written {@code leaky_relu} or {@code leakyRelu}.
     */
    public static double calculateGain(String nonlinearity, double param) {
        String n = nonlinearity == null ? "" : nonlinearity.replace("_", "").toLowerCase(Locale.ROOT);
        switch (n) {
            case "linear": case "conv1d": case "conv2d": case "conv3d": case "convtranspose1d":
            case "convtranspose2d": case "convtranspose3d": case "sigmoid":
                return 1.0;
            case "tanh":
                return 5.0 / 3.0;
            case "relu":
                return Math.sqrt(2.0);
            case "leakyrelu":
                double slope = Double.isNaN(param) ? 0.01 : param;
                return Math.sqrt(2.0 / (1 + slope * slope));
            case "selu":
                return 0.75;
            default:
                throw new IllegalArgumentException("calculateGain: unsupported nonlinearity '" + nonlinearity
                        + "'; expected linear, conv1d, conv2d, conv3d, sigmoid, tanh, relu, leaky_relu or selu");
        }
    }

    /**
     * {@code {fanIn, fanOut}} as PyTorch: for a weight [out, in, k...] fanIn = in * prod(k) and fanOut = out *
     * prod(k); needs at least 2 dimensions.
     */
    public static int[] fans(Tensor t) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Init: fan in and fan out need a tensor of at least 2 dimensions, got "
                    + t.shape());
        }
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) {
            receptive *= t.size(d);
        }
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    // ---------------------------------------------------------------- plain fills

    /** Fills with U(a, b). */
    public static Tensor uniform(Tensor t, double a, double b) {
        return uniform(t, a, b, Generator.global());
    }

    public static Tensor uniform(Tensor t, double a, double b, Generator g) {
        if (!(a <= b)) {
            throw new IllegalArgumentException("Init.uniform: expected a <= b, got a=" + a + ", b=" + b);
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            return t.uniformInPlace(g, a, b);
        }
    }

    /** Fills with N(mean, std^2). */
    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, Generator.global());
    }

    public static Tensor normal(Tensor t, double mean, double std, Generator g) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("Init.normal: expected std >= 0, got " + std);
        }
        try (Autograd.Scope s = Autograd.noGrad()) {
            return t.normalInPlace(g, mean, std);
        }
    }

    public static Tensor constant(Tensor t, double value) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return t.fillInPlace(value);
        }
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    // ---------------------------------------------------------------- xavier (Glorot)

    /** U(-b, b) with b = gain * sqrt(6 / (fanIn + fanOut)). */
    public static Tensor xavierUniform(Tensor t) {
        return xavierUniform(t, 1.0, Generator.global());
    }

    public static Tensor xavierUniform(Tensor t, double gain) {
        return xavierUniform(t, gain, Generator.global());
    }

    public static Tensor xavierUniform(Tensor t, double gain, Generator g) {
        int[] f = fans(t);
        double std = gain * Math.sqrt(2.0 / (f[0] + f[1]));
        double bound = Math.sqrt(3.0) * std;
        return uniform(t, -bound, bound, g);
    }

    /** N(0, std^2) with std = gain * sqrt(2 / (fanIn + fanOut)). */
    public static Tensor xavierNormal(Tensor t) {
        return xavierNormal(t, 1.0, Generator.global());
    }

    public static Tensor xavierNormal(Tensor t, double gain) {
        return xavierNormal(t, gain, Generator.global());
    }

    public static Tensor xavierNormal(Tensor t, double gain, Generator g) {
        int[] f = fans(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), g);
    }

    // ---------------------------------------------------------------- kaiming (He)

    /** PyTorch's defaults: a = 0, FAN_IN, leaky_relu (which with a = 0 is relu's gain sqrt(2)). */
    public static Tensor kaimingUniform(Tensor t) {
        return kaimingUniform(t, 0, Mode.FAN_IN, "leaky_relu", Generator.global());
    }

    public static Tensor kaimingUniform(Tensor t, double a, Mode mode, String nonlinearity) {
        return kaimingUniform(t, a, mode, nonlinearity, Generator.global());
    }

    /** U(-b, b) with b = gain * sqrt(3 / fan), gain = calculateGain(nonlinearity, a). */
    public static Tensor kaimingUniform(Tensor t, double a, Mode mode, String nonlinearity, Generator g) {
        double bound = Math.sqrt(3.0) * kaimingStd(t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, g);
    }

    public static Tensor kaimingNormal(Tensor t) {
        return kaimingNormal(t, 0, Mode.FAN_IN, "leaky_relu", Generator.global());
    }

    public static Tensor kaimingNormal(Tensor t, double a, Mode mode, String nonlinearity) {
        return kaimingNormal(t, a, mode, nonlinearity, Generator.global());
    }

    /** N(0, std^2) with std = gain / sqrt(fan). */
    public static Tensor kaimingNormal(Tensor t, double a, Mode mode, String nonlinearity, Generator g) {
        return normal(t, 0, kaimingStd(t, a, mode, nonlinearity), g);
    }

    private static double kaimingStd(Tensor t, double a, Mode mode, String nonlinearity) {
        int[] f = fans(t);
        int fan = mode == Mode.FAN_OUT ? f[1] : f[0];
        if (fan == 0) {
            throw new IllegalArgumentException("Init.kaiming: cannot initialise a tensor with zero elements "
                    + t.shape());
        }
        return calculateGain(nonlinearity, a) / Math.sqrt(fan);
    }
}
