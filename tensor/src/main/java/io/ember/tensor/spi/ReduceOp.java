package io.ember.tensor.spi;

/** Reductions over a set of dims; see {@link Backend#reduce}. */
public enum ReduceOp {
    SUM, PROD, MEAN,
    /** Values; with an indices array also the index along the (single) reduced dim. */
    MAX, MIN,
    /** Variance with correction {@code p} (1 = unbiased, 0 = biased). */
    VAR,
    LOGSUMEXP,
    /** {@code p}-norm; {@code p = +inf} is the max-abs norm, {@code p = 0} counts non-zeros. */
    NORM,
    /** True where any / all elements are non-zero; BOOL out. */
    ANY, ALL
}
