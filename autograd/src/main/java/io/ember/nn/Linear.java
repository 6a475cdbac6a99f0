package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import io.ember.nn.init.Init;
import io.ember.tensor.Generator;
import java.util.Map;

/**
 * {@code y = x W^T + b}, like {@code nn.Linear}: weight [out, in], bias [out]. Initialised as PyTorch does: weight
 * kaiming-uniform with a = sqrt(5) (that is U(-1/sqrt(in), 1/sqrt(in))), bias U(-1/sqrt(in), 1/sqrt(in)), drawn
 * from {@link Generator#global()} unless a generator is passed.
 */
public class Linear extends Module {
    private final int inFeatures;
    private final int outFeatures;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true, Generator.global());
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, Generator.global());
    }

    /** Draws the initial values from {@code g} (reproducible with a seeded generator). */
    public Linear(int inFeatures, int outFeatures, boolean bias, Generator g) {
        if (inFeatures < 0 || outFeatures < 0) {
            throw new IllegalArgumentException("Linear: feature counts must be >= 0, got in=" + inFeatures + ", out="
                    + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = registerParameter("bias", bias ? Tensor.zeros(outFeatures) : null);
        resetParameters(g);
    }

    /** Re-initialises weight and bias as the constructor does. */
    public void resetParameters(Generator g) {
        resetLinearLike(weight, bias, g);
    }

    static void resetLinearLike(Tensor weight, Tensor bias, Generator g) {
        Init.kaimingUniform(weight, Math.sqrt(5), Init.Mode.FAN_IN, "leaky_relu", g);
        if (bias != null) {
            int fanIn = Init.fans(weight)[0];
            double bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
            Init.uniform(bias, -bound, bound, g);
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 1 || input.size(input.dim() - 1) != inFeatures) {
            throw new IllegalArgumentException("Linear: expected input [..., " + inFeatures + "], got "
                    + input.shape());
        }
        return F.linear(input, weight, bias);
    }

    public Tensor weight() {
        return weight;
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("inFeatures", inFeatures, "outFeatures", outFeatures, "bias", bias != null);
    }

    @Override
    protected String extraRepr() {
        return "inFeatures=" + inFeatures + ", outFeatures=" + outFeatures + ", bias=" + (bias != null);
    }
}
