package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.tensor.Generator;

/** The output projection of {@link MultiheadAttention} ({@code outProj.weight} [E, E], {@code outProj.bias} [E]). */
final class RnnAttentionProjection extends Module {
    final Tensor weight;
    final Tensor bias;

    RnnAttentionProjection(int features, boolean bias) {
        double k = 1.0 / Math.sqrt(features);
        this.weight = registerParameter("weight",
                Tensor.empty(features, features).uniformInPlace(Generator.global(), -k, k));
        this.bias = registerParameter("bias", bias ? Tensor.zeros(features) : null);
    }

    @Override
    protected String extraRepr() {
        return "in=" + weight.size(1) + ", out=" + weight.size(0) + ", bias=" + (bias != null);
    }
}
