package io.ember.util;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long loop. On a terminal, one line redrawn in place:
 * <pre>epoch 2/3 [=====&gt;    ] 512/938 loss 0.4123 2 315 samples/s ETA 0:13</pre>
 * elsewhere (a log file, a CI console, a Spark driver log) plain lines at an interval, every 10%
 * of the steps by default, and on {@link #close()} the final line with the total time.
 *
 * <pre>{@code
 * try (ProgressBar bar = ProgressBar.builder(loader.size()).prefix("epoch " + e + "/" + epochs).build()) {
 *     for (Batch b : loader) { ...; bar.advance(loss.item(), b.batchSize()); }
 * }
 * }</pre>
 */
public final class ProgressBar implements AutoCloseable {
    /** How the bar writes. */
    public enum Mode {
        /** {@link #TERMINAL} when {@link #isTerminal()}, else {@link #LOG}. */
        AUTO,
        /** One line redrawn with carriage returns. */
        TERMINAL,
        /** A new line at each interval. */
        LOG
    }

    private final int total;
    private final String prefix;
    private final PrintStream out;
    private final boolean terminal;
    private final int width;
    private final double logEvery;
    private final double logEverySeconds;
    private final LongSupplier clock;
    private final long start;
    private int step;
    private long samples;
    private double loss = Double.NaN;
    private long lastDraw = Long.MIN_VALUE;
    private double nextFraction;
    private int drawnLength;
    private boolean closed;

    private ProgressBar(Builder b) {
        this.total = b.total;
        this.prefix = b.prefix;
        this.out = b.out;
        Mode m = b.mode == Mode.AUTO ? (isTerminal() ? Mode.TERMINAL : Mode.LOG) : b.mode;
        this.terminal = m == Mode.TERMINAL;
        this.width = b.width;
        this.logEvery = b.logEvery;
        this.logEverySeconds = b.logEverySeconds;
        this.clock = b.clock;
        this.start = clock.getAsLong();
        this.nextFraction = logEvery;
    }

    /** A bar over {@code total} steps. */
    public static Builder builder(int total) {
        return new Builder(total);
    }

    /** True when the JVM has a console and {@code TERM} is set and not {@code dumb}. */
    public static boolean isTerminal() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !term.isEmpty() && !term.equals("dumb");
    }

    /**
     * Reports progress: {@code step} steps done out of the total, the latest {@code loss} (NaN to
     * leave it out) and {@code samples} processed so far (0 to leave out the rate).
     */
    public void update(int step, double loss, long samples) {
        if (closed) {
            throw new IllegalStateException("ProgressBar: update after close");
        }
        if (step < 0 || step > total) {
            throw new IllegalArgumentException("ProgressBar.update: step must be in [0, " + total + "], got " + step);
        }
        this.step = step;
        this.loss = loss;
        this.samples = samples;
        long now = clock.getAsLong();
        if (terminal) {
            if (lastDraw == Long.MIN_VALUE || now - lastDraw >= 100_000_000L || step == total) {
                draw(line(now, false), now);
            }
        } else if (step < total) {
            double fraction = (double) step / total;
            boolean byFraction = logEvery > 0 && fraction >= nextFraction - 1e-12;
            long since = now - (lastDraw == Long.MIN_VALUE ? start : lastDraw);
            boolean byTime = logEverySeconds > 0 && since >= logEverySeconds * 1e9;
            if (byFraction || byTime) {
                if (logEvery > 0) {
                    nextFraction = (Math.floor(fraction / logEvery + 1e-9) + 1) * logEvery;
                }
                out.println(line(now, false));
                lastDraw = now;
            }
        }
    }

    /** Reports {@code step} steps done, without loss or rate. */
    public void update(int step) {
        update(step, Double.NaN, 0);
    }

    /** One more step with its loss and its number of samples. */
    public void advance(double loss, long batchSamples) {
        update(Math.min(total, step + 1), loss, samples + batchSamples);
    }

    /** Prints the final line (with the total time instead of the ETA). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long now = clock.getAsLong();
        String line = line(now, true);
        if (terminal) {
            draw(line, now);
            out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void draw(String line, long now) {
        StringBuilder sb = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < drawnLength; i++) {
            sb.append(' ');
        }
        drawnLength = line.length();
        out.print(sb);
        out.flush();
        lastDraw = now;
    }

    String line(long now, boolean last) {
        double elapsed = (now - start) / 1e9;
        StringBuilder sb = new StringBuilder();
        if (!prefix.isEmpty()) {
            sb.append(prefix).append(' ');
        }
        if (terminal) {
            int filled = (int) Math.floor((double) step / total * width);
            sb.append('[');
            for (int i = 0; i < width; i++) {
                sb.append(i < filled ? '=' : i == filled ? '>' : ' ');
            }
            sb.append("] ");
        }
        sb.append(step).append('/').append(total);
        if (!terminal) {
            sb.append(String.format(Locale.ROOT, " (%d%%)", (int) Math.floor(100.0 * step / total)));
        }
        if (!Double.isNaN(loss)) {
            sb.append(String.format(Locale.ROOT, " loss %.4f", loss));
        }
        if (samples > 0 && elapsed > 0) {
            sb.append(' ').append(group(Math.round(samples / elapsed))).append(" samples/s");
        }
        if (last) {
            sb.append(" time ").append(duration(elapsed));
        } else if (step > 0 && step < total) {
            sb.append(" ETA ").append(duration(elapsed / step * (total - step)));
        }
        return sb.toString();
    }

    /** 2315 -> "2 315". */
    static String group(long n) {
        String s = Long.toString(Math.abs(n));
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (i > 0 && (s.length() - i) % 3 == 0) {
                sb.append(' ');
            }
            sb.append(s.charAt(i));
        }
        return (n < 0 ? "-" : "") + sb;
    }

    /** Seconds as m:ss, or h:mm:ss from an hour. */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Options of a {@link ProgressBar}. */
    public static final class Builder {
        private final int total;
        private String prefix = "";
        private PrintStream out = System.err;
        private Mode mode = Mode.AUTO;
        private int width = 30;
        private double logEvery = 0.1;
        private double logEverySeconds;
        private LongSupplier clock = System::nanoTime;

        private Builder(int total) {
            if (total < 1) {
                throw new IllegalArgumentException("ProgressBar: total must be >= 1, got " + total);
            }
            this.total = total;
        }

        /** Text before the bar, such as {@code "epoch 2/3"}. */
        public Builder prefix(String prefix) {
            this.prefix = prefix == null ? "" : prefix;
            return this;
        }

        /** Where to write (default {@code System.err}). */
        public Builder out(PrintStream out) {
            this.out = out;
            return this;
        }

        /** Terminal or log output (default {@link Mode#AUTO}). */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** The bar's width in characters (default 30). */
        public Builder width(int width) {
            if (width < 1) {
                throw new IllegalArgumentException("ProgressBar: width must be >= 1, got " + width);
            }
            this.width = width;
            return this;
        }

        /** In log mode, a line every this fraction of the steps (default 0.1; 0 for none). */
        public Builder logEvery(double fraction) {
            if (!(fraction >= 0 && fraction <= 1)) {
                throw new IllegalArgumentException("ProgressBar: logEvery must be in [0, 1], got " + fraction);
            }
            this.logEvery = fraction;
            return this;
        }

        /** In log mode, also a line whenever this many seconds have passed since the last (default 0: off). */
        public Builder logEverySeconds(double seconds) {
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("ProgressBar: logEverySeconds must be >= 0, got " + seconds);
            }
            this.logEverySeconds = seconds;
            return this;
        }

        /** The time source in nanoseconds (default {@code System::nanoTime}; tests pass a fake). */
        public Builder clock(LongSupplier nanos) {
            this.clock = nanos;
            return this;
        }

        public ProgressBar build() {
            return new ProgressBar(this);
        }
    }
}
