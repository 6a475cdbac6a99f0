package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import io.ember.optim.ParamGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The 1cycle policy, like {@code OneCycleLR}, stepped once per batch for {@code totalSteps} steps: the rate rises from
 * {@code maxLr / divFactor} to {@code maxLr} over the first {@code pctStart} of the steps, then falls to
 * {@code maxLr / divFactor / finalDivFactor}; with {@code threePhase} it first falls back to the initial rate and only
 * then to the minimum. Each phase anneals by cosine ({@code end + (start - end) * (1 + cos(pi * pct)) / 2}) or
 * linearly. With {@code cycleMomentum} the momentum (option {@code beta1} of Adam-like optimizers, else
 * {@code momentum}) moves inversely between {@code maxMomentum} and {@code baseMomentum}. Phase {@code i} ends at step
 * {@code pctStart * totalSteps - 1}, ({@code 2 * pctStart * totalSteps - 2},) {@code totalSteps - 1}; the last
 * allowed step, {@code totalSteps}, lies past the end, where rates are kept >= 0 and momentum between its bounds
 * (PyTorch's linear annealing would go below them there).
 */
public final class OneCycleLR extends LRScheduler {
    /** How a phase moves between its two values. */
    public enum Anneal {
        COS, LINEAR
    }

    /** OneCycleLR's settings, with PyTorch's defaults. */
    public static final class Options {
        double[] maxLrs;
        final int totalSteps;
        double pctStart = 0.3;
        Anneal anneal = Anneal.COS;
        boolean cycleMomentum = true;
        double baseMomentum = 0.85;
        double maxMomentum = 0.95;
        double divFactor = 25;
        double finalDivFactor = 1e4;
        boolean threePhase;

        /** The peak rate (all groups) and the number of steps of the cycle. */
        public Options(double maxLr, int totalSteps) {
            this.maxLrs = new double[] {maxLr};
            this.totalSteps = totalSteps;
        }

        /** One peak rate per parameter group. */
        public Options maxLrs(double... perGroup) {
            this.maxLrs = perGroup.clone();
            return this;
        }

        public Options pctStart(double v) {
            pctStart = v;
            return this;
        }

        public Options anneal(Anneal v) {
            anneal = v;
            return this;
        }

        public Options cycleMomentum(boolean v) {
            cycleMomentum = v;
            return this;
        }

        public Options baseMomentum(double v) {
            baseMomentum = v;
            return this;
        }

        public Options maxMomentum(double v) {
            maxMomentum = v;
            return this;
        }

        public Options divFactor(double v) {
            divFactor = v;
            return this;
        }

        public Options finalDivFactor(double v) {
            finalDivFactor = v;
            return this;
        }

        public Options threePhase(boolean v) {
            threePhase = v;
            return this;
        }

        Options copy() {
            Options c = new Options(0, totalSteps);
            c.maxLrs = maxLrs.clone();
            c.pctStart = pctStart;
            c.anneal = anneal;
            c.cycleMomentum = cycleMomentum;
            c.baseMomentum = baseMomentum;
            c.maxMomentum = maxMomentum;
            c.divFactor = divFactor;
            c.finalDivFactor = finalDivFactor;
            c.threePhase = threePhase;
            return c;
        }
    }

    private final Options o;
    private final double[] maxLrs;
    private final double[] ends;
    /** Per phase: the lr at its start and end as 0 = initial, 1 = max, 2 = min; momentum as 0 = max, 1 = base. */
    private final int[][] lrFromTo;
    private final int[][] momFromTo;
    private final String momentumKey;

    /** A cycle with PyTorch's defaults. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, new Options(maxLr, totalSteps));
    }

    public OneCycleLR(Optimizer optimizer, Options options) {
        super("OneCycleLR", optimizer);
        this.o = java.util.Objects.requireNonNull(options, "OneCycleLR: options is null").copy();
        List<ParamGroup> groups = optimizer.paramGroups();
        if (o.totalSteps < 1) {
            throw new IllegalArgumentException("OneCycleLR: totalSteps must be >= 1, got " + o.totalSteps);
        }
        if (!(o.pctStart >= 0 && o.pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: pctStart must be in [0, 1], got " + o.pctStart);
        }
        if (!(o.divFactor > 0) || !(o.finalDivFactor > 0)) {
            throw new IllegalArgumentException("OneCycleLR: divFactor and finalDivFactor must be > 0, got "
                    + o.divFactor + " and " + o.finalDivFactor);
        }
        if (o.maxLrs.length != 1 && o.maxLrs.length != groups.size()) {
            throw new IllegalArgumentException("OneCycleLR: expected 1 or " + groups.size() + " maxLrs (one per "
                    + "parameter group), got " + o.maxLrs.length);
        }
        maxLrs = new double[groups.size()];
        for (int i = 0; i < maxLrs.length; i++) {
            maxLrs[i] = o.maxLrs[o.maxLrs.length == 1 ? 0 : i];
            if (!(maxLrs[i] >= 0)) {
                throw new IllegalArgumentException("OneCycleLR: maxLr must be >= 0, got " + maxLrs[i]);
            }
        }
        double t = o.totalSteps;
        if (o.threePhase) {
            ends = new double[] {o.pctStart * t - 1, 2 * o.pctStart * t - 2, t - 1};
            lrFromTo = new int[][] {{0, 1}, {1, 0}, {0, 2}};
            momFromTo = new int[][] {{0, 1}, {1, 0}, {0, 0}};
        } else {
            ends = new double[] {o.pctStart * t - 1, t - 1};
            lrFromTo = new int[][] {{0, 1}, {1, 2}};
            momFromTo = new int[][] {{0, 1}, {1, 0}};
        }
        if (o.cycleMomentum) {
            if (groups.get(0).has("beta1")) {
                momentumKey = "beta1";
            } else if (groups.get(0).has("momentum")) {
                momentumKey = "momentum";
            } else {
                throw new IllegalArgumentException("OneCycleLR: " + optimizer.name() + " has neither a momentum nor "
                        + "a beta1 option; use cycleMomentum(false)");
            }
        } else {
            momentumKey = null;
        }
        for (int i = 0; i < groups.size(); i++) {
            baseLrs[i] = maxLrs[i] / o.divFactor;
            groups.get(i).set(INITIAL_LR, baseLrs[i]);
        }
        start();
    }

    private double value(int group, int kind) {
        return switch (kind) {
            case 0 -> baseLrs[group];
            case 1 -> maxLrs[group];
            default -> baseLrs[group] / o.finalDivFactor;
        };
    }

    private double anneal(double start, double end, double pct) {
        return o.anneal == Anneal.COS ? end + (start - end) / 2 * (Math.cos(Math.PI * pct) + 1)
                : (end - start) * pct + start;
    }

    /** The phase of a step and the fraction of it done. */
    private double[] phase(int step) {
        double start = 0;
        for (int i = 0; i < ends.length; i++) {
            if (step <= ends[i] || i == ends.length - 1) {
                return new double[] {i, (step - start) / (ends[i] - start)};
            }
            start = ends[i];
        }
        throw new AssertionError();
    }

    @Override
    double lrAt(int group, int epoch) {
        double[] ph = phase(epoch);
        int[] ft = lrFromTo[(int) ph[0]];
        // linear annealing overshoots at step totalSteps (pct > 1); PyTorch would set a negative rate there
        return Math.max(0, anneal(value(group, ft[0]), value(group, ft[1]), ph[1]));
    }

    @Override
    void apply() {
        if (lastEpoch > o.totalSteps) {
            throw new IllegalStateException("OneCycleLR: stepped " + lastEpoch + " times, but totalSteps is "
                    + o.totalSteps);
        }
        super.apply();
        if (momentumKey != null) {
            double[] ph = phase(lastEpoch);
            int[] ft = momFromTo[(int) ph[0]];
            double[] m = {o.maxMomentum, o.baseMomentum};
            double mom = Math.min(Math.max(anneal(m[ft[0]], m[ft[1]], ph[1]), Math.min(m[0], m[1])),
                    Math.max(m[0], m[1]));
            for (ParamGroup g : optimizer.paramGroups()) {
                g.set(momentumKey, mom);
            }
        }
    }

    @Override
    public void step() {
        if (lastEpoch >= o.totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (lastEpoch + 1) + " times, but totalSteps "
                    + "is " + o.totalSteps);
        }
        super.step();
    }

    @Override
    Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxLrs", list(maxLrs));
        m.put("totalSteps", o.totalSteps);
        m.put("pctStart", o.pctStart);
        m.put("anneal", o.anneal.name());
        m.put("cycleMomentum", o.cycleMomentum);
        m.put("baseMomentum", o.baseMomentum);
        m.put("maxMomentum", o.maxMomentum);
        m.put("divFactor", o.divFactor);
        m.put("finalDivFactor", o.finalDivFactor);
        m.put("threePhase", o.threePhase);
        return m;
    }
}
