package io.ember.autograd;

/** Marks ops not written yet during development; must be gone (no callers) before a release. */
final class Todo {
    private Todo() {
    }

    static UnsupportedOperationException of(String op) {
        return new UnsupportedOperationException(op + ": not implemented yet");
    }
}
