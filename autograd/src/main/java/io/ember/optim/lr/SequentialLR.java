package io.ember.optim.lr;

import io.ember.optim.Optimizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after the other, like {@code SequentialLR}: scheduler {@code i} drives the rates from
 * milestone {@code i - 1} on, restarting at its own epoch 0 there. The typical use is a warm-up:
 *
 * <pre>{@code
 * var sched = new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1, 5), new CosineAnnealingLR(opt, 95)),
 *         new int[] {5});
 * }</pre>
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        super("SequentialLR", optimizer);
        if (schedulers == null || schedulers.isEmpty()) {
            throw new IllegalArgumentException("SequentialLR: needs at least one scheduler");
        }
        if (milestones == null || milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expected " + (schedulers.size() - 1)
                    + " milestones for " + schedulers.size() + " schedulers, got "
                    + (milestones == null ? "null" : Arrays.toString(milestones)));
        }
        for (int i = 0; i < milestones.length; i++) {
            if (milestones[i] < 1 || (i > 0 && milestones[i] <= milestones[i - 1])) {
                throw new IllegalArgumentException("SequentialLR: milestones must be increasing and >= 1, got "
                        + Arrays.toString(milestones));
            }
        }
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i) == null || schedulers.get(i).optimizer != optimizer) {
                throw new IllegalArgumentException("SequentialLR: scheduler " + i
                        + " is null or attached to a different optimizer");
            }
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        start();
    }

    private int active(int epoch) {
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= epoch) {
            idx++;
        }
        return idx;
    }

    @Override
    void apply() {
        int idx = active(lastEpoch);
        LRScheduler s = schedulers.get(idx);
        s.lastEpoch = lastEpoch - (idx == 0 ? 0 : milestones[idx - 1]);
        s.apply();
        System.arraycopy(s.lastLr, 0, lastLr, 0, lastLr.length);
    }

    @Override
    double lrAt(int group, int epoch) {
        int idx = active(epoch);
        return schedulers.get(idx).lrAt(group, epoch - (idx == 0 ? 0 : milestones[idx - 1]));
    }

    @Override
    Map<String, Object> hyperparameters() {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> ms = new ArrayList<>();
        for (int v : milestones) {
            ms.add(v);
        }
        m.put("milestones", ms);
        List<Object> names = new ArrayList<>();
        for (LRScheduler s : schedulers) {
            names.add(s.name);
        }
        m.put("schedulers", names);
        return m;
    }

    /** As {@link LRScheduler#stateDict()}, plus {@code "schedulers"}: the state of each scheduler. */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = super.stateDict();
        List<Object> states = new ArrayList<>();
        for (LRScheduler s : schedulers) {
            states.add(s.stateDict());
        }
        m.put("schedulers", states);
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> state) {
        if (state == null || !(state.get("schedulers") instanceof List<?> states)
                || states.size() != schedulers.size()) {
            throw new IllegalArgumentException("SequentialLR.loadStateDict: expected \"schedulers\", a list of "
                    + schedulers.size() + " states");
        }
        List<Map<String, Object>> before = new ArrayList<>();
        for (LRScheduler s : schedulers) {
            before.add(s.stateDict());
        }
        Map<String, Object> mine = stateDict();
        try {
            super.loadStateDict(state);
            for (int i = 0; i < schedulers.size(); i++) {
                if (!(states.get(i) instanceof Map<?, ?> one)) {
                    throw new IllegalArgumentException("SequentialLR.loadStateDict: state of scheduler " + i
                            + " is not a map");
                }
                schedulers.get(i).loadStateDict((Map<String, Object>) one);
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < schedulers.size(); i++) {
                schedulers.get(i).loadStateDict(before.get(i));
            }
            super.loadStateDict(mine);
            throw e;
        }
    }
}
