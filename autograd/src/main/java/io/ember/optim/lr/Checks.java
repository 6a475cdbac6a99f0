package io.ember.optim.lr;

/** Argument checks shared by the schedulers. */
final class Checks {
    private Checks() {
    }

    static void gamma(String op, double gamma) {
        if (!(gamma > 0)) {
            throw new IllegalArgumentException(op + ": gamma must be > 0, got " + gamma);
        }
    }
}
