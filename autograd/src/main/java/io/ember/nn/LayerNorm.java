package io.ember.nn;

import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import java.util.Arrays;
import java.util.Map;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dims, like {@code nn.LayerNorm}: mean and biased
 * variance per sample, then an elementwise affine map (weight ones, bias zeros) when {@code elementwiseAffine}.
 */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean elementwiseAffine;
    private final Tensor weight;
    private final Tensor bias;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        this(normalizedShape, eps, elementwiseAffine, true);
    }

    /** {@code bias=false} keeps the weight but no bias (PyTorch's {@code bias} argument). */
    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, boolean bias) {
        if (normalizedShape == null || normalizedShape.length == 0
                || Arrays.stream(normalizedShape).anyMatch(d -> d < 1)) {
            throw new IllegalArgumentException("LayerNorm: normalizedShape must be one or more positive sizes, got "
                    + Arrays.toString(normalizedShape));
        }
        if (!(eps > 0)) {
            throw new IllegalArgumentException("LayerNorm: eps must be > 0, got " + eps);
        }
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        this.weight = registerParameter("weight", elementwiseAffine ? Tensor.ones(normalizedShape) : null);
        this.bias = registerParameter("bias", elementwiseAffine && bias ? Tensor.zeros(normalizedShape) : null);
    }

    @Override
    public Tensor forward(Tensor input) {
        int k = normalizedShape.length;
        int[] in = input.sizes();
        if (in.length < k || !Arrays.equals(Arrays.copyOfRange(in, in.length - k, in.length), normalizedShape)) {
            throw new IllegalArgumentException("LayerNorm: expected input [..., "
                    + Arrays.toString(normalizedShape).replaceAll("[\\[\\]]", "") + "], got " + input.shape());
        }
        return F.layerNorm(input, normalizedShape, weight, bias, eps);
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("normalizedShape", normalizedShape, "eps", eps, "elementwiseAffine", elementwiseAffine,
                "bias", bias != null);
    }

    static LayerNorm fromConfig(Map<String, Object> c) {
        return new LayerNorm(Cfg.ints(c, "normalizedShape", 1), Cfg.d(c, "eps"), Cfg.b(c, "elementwiseAffine"),
                Cfg.b(c, "bias"));
    }

    @Override
    protected String extraRepr() {
        return "normalizedShape=" + Arrays.toString(normalizedShape) + ", eps=" + eps + ", elementwiseAffine="
                + elementwiseAffine;
    }
}
