package io.ember.autograd;

/**
 * Global switches of the autograd engine, per thread like PyTorch's: gradient recording
 * ({@link #noGrad()}, {@link #enableGrad()}), {@link #inferenceMode()} and anomaly detection.
 *
 * <pre>{@code
 * try (var g = Autograd.noGrad()) {
 *     Tensor y = model.forward(x); // nothing recorded
 * }
 * }</pre>
 */
public final class Autograd {
    private static final ThreadLocal<int[]> STATE = ThreadLocal.withInitial(() -> new int[] {1, 0});
    private static volatile boolean anomaly;

    private Autograd() {
    }

    /** A scope that restores the previous mode when closed; never throws on close. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Whether ops record the graph on this thread. */
    public static boolean isGradEnabled() {
        return STATE.get()[0] == 1;
    }

    /** Whether this thread is in {@link #inferenceMode()}. */
    public static boolean isInferenceMode() {
        return STATE.get()[1] == 1;
    }

    /** Turns recording on or off for this thread (prefer the scopes). */
    public static void setGradEnabled(boolean enabled) {
        STATE.get()[0] = enabled ? 1 : 0;
    }

    /** No graph is recorded inside the scope, like {@code torch.no_grad()}. */
    public static Scope noGrad() {
        return scope(0, STATE.get()[1]);
    }

    /** Recording back on inside the scope, like {@code torch.enable_grad()}. */
    public static Scope enableGrad() {
        return scope(1, STATE.get()[1]);
    }

    /**
     * Like {@code torch.inference_mode()}: no graph, and tensors created inside are marked as inference tensors,
     * which may not later be saved by an op that records the graph.
     */
    public static Scope inferenceMode() {
        return scope(0, 1);
    }

    private static Scope scope(int grad, int inference) {
        int[] s = STATE.get();
        int oldGrad = s[0];
        int oldInference = s[1];
        s[0] = grad;
        s[1] = inference;
        return () -> {
            s[0] = oldGrad;
            s[1] = oldInference;
        };
    }

    /**
     * Anomaly mode, like {@code torch.autograd.set_detect_anomaly}: every op checks its output for NaN/Inf and
     * fails naming itself, and backward checks every gradient and names the op and where its forward ran.
     * Slow; for debugging. Global (all threads).
     */
    public static void setDetectAnomaly(boolean enabled) {
        anomaly = enabled;
    }

    public static boolean isAnomalyEnabled() {
        return anomaly;
    }

    /** Anomaly mode inside the scope. */
    public static Scope detectAnomaly() {
        boolean old = anomaly;
        anomaly = true;
        return () -> anomaly = old;
    }
}
