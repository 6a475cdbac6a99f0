package io.ember.tensor;

/**
 * A seeded random number generator that gives the same numbers on every run, on every JVM:
 * SplitMix64 over a 64-bit counter, whose whole state is one {@code long} ({@link #state()},
 * {@link #setState(long)}) so that checkpoints can save and restore it exactly.
 *
 * <p>{@link #global()} is the default generator of the creation functions, seeded with
 * {@link #manualSeed(long)} like {@code torch.manual_seed}. Not thread-safe: use one per thread
 * for parallel work.
 */
public final class Generator {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final Generator GLOBAL = new Generator(0x5EEDL);
    private static final ThreadLocal<Generator> THREAD = new ThreadLocal<>();

    private long state;

    public Generator(long seed) {
        this.state = seed;
    }

    /**
     * The default generator: the one this thread was given by {@link #useOnThisThread}, else the process-wide one.
     */
    public static Generator global() {
        Generator g = THREAD.get();
        return g != null ? g : GLOBAL;
    }

    /** Seeds the default generator ({@link #global()}: this thread's own one while it has one). */
    public static void manualSeed(long seed) {
        Generator g = global();
        synchronized (g) {
            g.state = seed;
        }
    }

    /**
     * Makes {@code g} the default generator of the calling thread until the returned scope is closed (the previous
     * one is restored). Concurrent work in one JVM, such as two Spark tasks on one executor, then draws from its own
     * generator (weight initialisation, dropout masks, shuffles without a generator of their own) and gives the same
     * numbers whatever else runs beside it.
     */
    public static Scope useOnThisThread(Generator g) {
        if (g == null) {
            throw new IllegalArgumentException("Generator.useOnThisThread: generator is null");
        }
        Generator previous = THREAD.get();
        THREAD.set(g);
        return () -> {
            if (previous == null) {
                THREAD.remove();
            } else {
                THREAD.set(previous);
            }
        };
    }

    /** A scope from {@link #useOnThisThread}; closing it restores the thread's previous default generator. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public long state() {
        return state;
    }

    public void setState(long state) {
        this.state = state;
    }

    public long nextLong() {
        long z = (state += GOLDEN);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, 1) with 24 random bits. */
    public float nextFloat() {
        return (nextLong() >>> 40) * 0x1.0p-24f;
    }

    /** Uniform in [0, bound), without modulo bias. */
    public long nextLong(long bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Generator.nextLong: bound must be > 0, got " + bound);
        }
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
        while (true) {
            long r = nextLong() >>> 1;
            if (r < limit) {
                return r % bound;
            }
        }
    }

    /** Standard normal by Box-Muller. */
    public double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
