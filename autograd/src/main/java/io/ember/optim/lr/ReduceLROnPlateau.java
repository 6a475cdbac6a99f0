package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import io.ember.optim.ParamGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Cuts the learning rates by {@code factor} when a metric has stopped improving, like {@code ReduceLROnPlateau}.
 * A metric improves on the best so far when (mode MIN, REL) {@code m < best * (1 - threshold)}, (MIN, ABS)
 * {@code m < best - threshold}, (MAX, REL) {@code m > best * (1 + threshold)}, (MAX, ABS) {@code m > best +
 * threshold}. After more than {@code patience} epochs without improvement each rate becomes
 * {@code max(lr * factor, minLr)} (unless that changes it by no more than {@code eps}), and the next
 * {@code cooldown} epochs count as neither good nor bad.
 *
 * <pre>{@code
 * var sched = new ReduceLROnPlateau(opt, new ReduceLROnPlateau.Options().factor(0.5).patience(3));
 * sched.step(validationLoss);   // once per epoch
 * }</pre>
 */
public final class ReduceLROnPlateau {
    public enum Mode {
        MIN, MAX
    }

    public enum ThresholdMode {
        REL, ABS
    }

    /** The settings, with PyTorch's defaults. */
    public static final class Options {
        Mode mode = Mode.MIN;
        double factor = 0.1;
        int patience = 10;
        double threshold = 1e-4;
        ThresholdMode thresholdMode = ThresholdMode.REL;
        int cooldown;
        double[] minLrs = {0};
        double eps = 1e-8;

        public Options mode(Mode v) {
            mode = Objects.requireNonNull(v, "ReduceLROnPlateau: mode is null");
            return this;
        }

        public Options factor(double v) {
            factor = v;
            return this;
        }

        public Options patience(int v) {
            patience = v;
            return this;
        }

        public Options threshold(double v) {
            threshold = v;
            return this;
        }

        public Options thresholdMode(ThresholdMode v) {
            thresholdMode = Objects.requireNonNull(v, "ReduceLROnPlateau: thresholdMode is null");
            return this;
        }

        public Options cooldown(int v) {
            cooldown = v;
            return this;
        }

        /** The lower bound of the rates: one for all groups, or one per group. */
        public Options minLr(double... v) {
            minLrs = v.clone();
            return this;
        }

        public Options eps(double v) {
            eps = v;
            return this;
        }
    }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;
    private final double[] lastLr;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;

    /** With PyTorch's defaults (mode MIN, factor 0.1, patience 10). */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, new Options());
    }

    public ReduceLROnPlateau(Optimizer optimizer, Options o) {
        String op = "ReduceLROnPlateau";
        this.optimizer = Objects.requireNonNull(optimizer, op + ": optimizer is null");
        Objects.requireNonNull(o, op + ": options is null");
        if (!(o.factor >= 0 && o.factor < 1)) {
            throw new IllegalArgumentException(op + ": factor must be in [0, 1), got " + o.factor);
        }
        if (o.patience < 0 || o.cooldown < 0) {
            throw new IllegalArgumentException(op + ": patience and cooldown must be >= 0, got " + o.patience
                    + " and " + o.cooldown);
        }
        if (!(o.threshold >= 0) || !(o.eps >= 0)) {
            throw new IllegalArgumentException(op + ": threshold and eps must be >= 0, got " + o.threshold + " and "
                    + o.eps);
        }
        int n = optimizer.paramGroups().size();
        if (o.minLrs.length != 1 && o.minLrs.length != n) {
            throw new IllegalArgumentException(op + ": expected 1 or " + n + " minLr values (one per parameter "
                    + "group), got " + o.minLrs.length);
        }
        mode = o.mode;
        factor = o.factor;
        patience = o.patience;
        threshold = o.threshold;
        thresholdMode = o.thresholdMode;
        cooldown = o.cooldown;
        eps = o.eps;
        minLrs = new double[n];
        for (int i = 0; i < n; i++) {
            minLrs[i] = o.minLrs[o.minLrs.length == 1 ? 0 : i];
            if (!(minLrs[i] >= 0)) {
                throw new IllegalArgumentException(op + ": minLr must be >= 0, got " + minLrs[i]);
            }
        }
        lastLr = new double[n];
        for (int i = 0; i < n; i++) {
            lastLr[i] = optimizer.paramGroups().get(i).lr();
        }
        best = mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Records one epoch's metric and cuts the rates when it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            List<ParamGroup> groups = optimizer.paramGroups();
            for (int i = 0; i < groups.size(); i++) {
                double old = groups.get(i).lr();
                double lr = Math.max(old * factor, minLrs[i]);
                if (old - lr > eps) {
                    groups.get(i).setLr(lr);
                }
            }
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        for (int i = 0; i < lastLr.length; i++) {
            lastLr[i] = optimizer.paramGroups().get(i).lr();
        }
    }

    private boolean isBetter(double m) {
        if (mode == Mode.MIN) {
            return thresholdMode == ThresholdMode.REL ? m < best * (1 - threshold) : m < best - threshold;
        }
        return thresholdMode == ThresholdMode.REL ? m > best * (1 + threshold) : m > best + threshold;
    }

    /** The learning rates after the last step, one per group. */
    public List<Double> getLastLr() {
        List<Double> out = new ArrayList<>();
        for (double v : lastLr) {
            out.add(v);
        }
        return out;
    }

    /** The best metric so far (infinite before the first step). */
    public double best() {
        return best;
    }

    /** Epochs since the last improvement (reset by a cut and during cooldown). */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** Number of {@link #step(double)} calls. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** A JSON-able state: progress and hyperparameters (infinite {@code best} stored as the string "inf"/"-inf"). */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scheduler", "ReduceLROnPlateau");
        m.put("lastEpoch", lastEpoch);
        m.put("best", Double.isInfinite(best) ? (best > 0 ? "inf" : "-inf") : (Object) best);
        m.put("numBadEpochs", numBadEpochs);
        m.put("cooldownCounter", cooldownCounter);
        m.put("lastLr", LRScheduler.list(lastLr));
        m.put("hyperparameters", hyperparameters());
        return m;
    }

    /** Restores a state of a scheduler with the same hyperparameters; the optimizer is not touched. */
    public void loadStateDict(Map<String, Object> state) {
        String op = "ReduceLROnPlateau.loadStateDict";
        if (state == null || !"ReduceLROnPlateau".equals(state.get("scheduler"))) {
            throw new IllegalArgumentException(op + ": the state is from "
                    + (state == null ? null : state.get("scheduler")) + ", not ReduceLROnPlateau");
        }
        LRScheduler.checkHyperparameters(op, hyperparameters(), state.get("hyperparameters"));
        Object b = state.get("best");
        double newBest;
        if ("inf".equals(b)) {
            newBest = Double.POSITIVE_INFINITY;
        } else if ("-inf".equals(b)) {
            newBest = Double.NEGATIVE_INFINITY;
        } else if (b instanceof Number num) {
            newBest = num.doubleValue();
        } else {
            throw new IllegalArgumentException(op + ": \"best\" must be a number, \"inf\" or \"-inf\", got " + b);
        }
        int epoch = nonNegative(op, state, "lastEpoch");
        int bad = nonNegative(op, state, "numBadEpochs");
        int cool = nonNegative(op, state, "cooldownCounter");
        double[] last = LRScheduler.doubles(op, state, "lastLr", lastLr.length);
        best = newBest;
        lastEpoch = epoch;
        numBadEpochs = bad;
        cooldownCounter = cool;
        System.arraycopy(last, 0, lastLr, 0, last.length);
    }

    private static int nonNegative(String op, Map<String, Object> state, String key) {
        if (!(state.get(key) instanceof Number n) || n.intValue() < 0) {
            throw new IllegalArgumentException(op + ": \"" + key + "\" must be an integer >= 0, got "
                    + state.get(key));
        }
        return n.intValue();
    }

    private Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name());
        m.put("factor", factor);
        m.put("patience", patience);
        m.put("threshold", threshold);
        m.put("thresholdMode", thresholdMode.name());
        m.put("cooldown", cooldown);
        m.put("minLrs", LRScheduler.list(minLrs));
        m.put("eps", eps);
        return m;
    }
}
