package io.ember.optim;

/** The options of {@link Adam} and {@link AdamW}, which differ only in the default weight decay. */
abstract class AdamOptions<O extends AdamOptions<O>> extends OptionsBase<O> {
    AdamOptions(double weightDecay) {
        super("lr", 1e-3, "beta1", 0.9, "beta2", 0.999, "eps", 1e-8, "weightDecay", weightDecay, "amsgrad", false,
                "maximize", false);
    }

    /** The decay rates of the first and second moment estimates. */
    public O betas(double beta1, double beta2) {
        put("beta1", beta1);
        return put("beta2", beta2);
    }

    /** The term added to the denominator. */
    public O eps(double v) {
        return put("eps", v);
    }

    /** Whether to use the maximum of the second moment estimates (AMSGrad). */
    public O amsgrad(boolean v) {
        return put("amsgrad", v);
    }
}
