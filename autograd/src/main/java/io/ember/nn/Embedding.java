package io.ember.nn;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.nn.functional.F;
import io.ember.nn.init.Init;
import io.ember.tensor.Generator;
import java.util.Map;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim}, like {@code nn.Embedding}: INT64
 * indices of any shape in, [..., embeddingDim] out. Weight N(0, 1) from {@link Generator#global()} unless a
 * generator is passed; the padding row (if any) starts at zero and receives no gradient.
 */
public class Embedding extends Module {
    private final int numEmbeddings;
    private final int embeddingDim;
    private final Integer paddingIdx;
    private final Tensor weight;

    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null, Generator.global());
    }

    /** @param paddingIdx the padding row (negative counts from the end), or null for none */
    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, Generator.global());
    }

    public Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Generator g) {
        if (numEmbeddings < 1 || embeddingDim < 1) {
            throw new IllegalArgumentException("Embedding: sizes must be positive, got numEmbeddings="
                    + numEmbeddings + ", embeddingDim=" + embeddingDim);
        }
        if (paddingIdx != null && (paddingIdx >= numEmbeddings || paddingIdx < -numEmbeddings)) {
            throw new IllegalArgumentException("Embedding: paddingIdx must be within [-" + numEmbeddings + ", "
                    + numEmbeddings + "), got " + paddingIdx);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
        this.weight = registerParameter("weight", Tensor.zeros(numEmbeddings, embeddingDim));
        resetParameters(g);
    }

    /** Re-draws N(0, 1) and zeroes the padding row. */
    public void resetParameters(Generator g) {
        Init.normal(weight, 0, 1, g);
        if (paddingIdx != null) {
            try (Autograd.Scope s = Autograd.noGrad()) {
                weight.data().select(0, paddingIdx).fillInPlace(0);
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.embedding(input, weight, paddingIdx == null ? -1 : paddingIdx);
    }

    public Tensor weight() {
        return weight;
    }

    /** The padding row (non-negative), or null. */
    public Integer paddingIdx() {
        return paddingIdx;
    }

    @Override
    public Map<String, Object> config() {
        return Cfg.of("numEmbeddings", numEmbeddings, "embeddingDim", embeddingDim, "paddingIdx", paddingIdx);
    }

    static Embedding fromConfig(Map<String, Object> c) {
        return new Embedding(Cfg.i(c, "numEmbeddings"), Cfg.i(c, "embeddingDim"), Cfg.optI(c, "paddingIdx"));
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx == null ? "" : ", paddingIdx=" + paddingIdx);
    }
}
