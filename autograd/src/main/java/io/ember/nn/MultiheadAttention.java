package io.ember.nn;

import io.ember.autograd.Functions;
import io.ember.autograd.Tensor;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Multi-head attention, like {@code torch.nn.MultiheadAttention}: {@code softmax(Q K^T / sqrt(d) + mask) V} per head
 * over projections of query, key and value, then an output projection. Parameters use PyTorch's layout: a packed
 * {@code inProjWeight} [3E, E] (or {@code qProjWeight}, {@code kProjWeight}, {@code vProjWeight} when kdim or vdim
 * differ from E), {@code inProjBias} [3E] and {@code outProj.weight}/{@code outProj.bias}. Inputs are [L, N, E]
 * ([N, L, E] with batchFirst) or unbatched [L, E].
 */
public final class MultiheadAttention extends Module {
    /** The attended output and the attention weights [N, L, S] averaged over heads (null unless asked for). */
    public record Output(Tensor output, Tensor weights) {
    }

    private final int embedDim;
    private final int numHeads;
    private final double dropout;
    private final boolean bias;
    private final boolean batchFirst;
    private final int kdim;
    private final int vdim;
    private final Tensor inProjWeight;
    private final Tensor qProjWeight;
    private final Tensor kProjWeight;
    private final Tensor vProjWeight;
    private final Tensor inProjBias;
    private final RnnAttentionProjection outProj;

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0, true, false, embedDim, embedDim);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        this(embedDim, numHeads, dropout, bias, batchFirst, embedDim, embedDim);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst, int kdim,
            int vdim) {
        if (embedDim <= 0 || numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim must be a positive multiple of numHeads, "
                    + "got embedDim=" + embedDim + ", numHeads=" + numHeads);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("MultiheadAttention: dropout must be in [0, 1), got " + dropout);
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.kdim = kdim;
        this.vdim = vdim;
        Generator g = Generator.global();
        if (kdim == embedDim && vdim == embedDim) {
            double a = Math.sqrt(6.0 / (embedDim + 3 * embedDim));
            inProjWeight = registerParameter("inProjWeight", Tensor.empty(3 * embedDim, embedDim)
                    .uniformInPlace(g, -a, a));
            qProjWeight = null;
            kProjWeight = null;
            vProjWeight = null;
        } else {
            inProjWeight = null;
            qProjWeight = registerParameter("qProjWeight", xavier(g, embedDim, embedDim));
            kProjWeight = registerParameter("kProjWeight", xavier(g, embedDim, kdim));
            vProjWeight = registerParameter("vProjWeight", xavier(g, embedDim, vdim));
        }
        inProjBias = registerParameter("inProjBias", bias ? Tensor.zeros(3 * embedDim) : null);
        outProj = registerModule("outProj", new RnnAttentionProjection(embedDim, bias));
    }

    private static Tensor xavier(Generator g, int out, int in) {
        double a = Math.sqrt(6.0 / (in + out));
        return Tensor.empty(out, in).uniformInPlace(g, -a, a);
    }

    /** Self-attention {@code forward(x, x, x, null, true, null)}, returning the output only. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, false, null).output();
    }

    /** {@link #forward(Tensor, Tensor, Tensor, Tensor, boolean, Tensor, boolean)} averaging the heads' weights. */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
            Tensor attnMask) {
        return forward(query, key, value, keyPaddingMask, needWeights, attnMask, true);
    }

    /**
     * Attention of query [L, N, E] over key [S, N, kdim] and value [S, N, vdim] (batch first: [N, L, E] ...).
     *
     * @param keyPaddingMask [N, S]: BOOL (true = ignore that key) or float (added to the scores); or null
     * @param attnMask       [L, S] or [N * numHeads, L, S]: BOOL (true = not allowed, e.g. a causal mask) or float
     *                       (added to the scores); or null
     * @param needWeights    whether to return the attention weights ([N, L, S] averaged over heads, or
     *                       [N, numHeads, L, S] when {@code averageAttnWeights} is false)
     */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, boolean needWeights,
            Tensor attnMask, boolean averageAttnWeights) {
        boolean unbatched = query.dim() == 2;
        if (query.dim() != 3 && !unbatched) {
            throw new IllegalArgumentException("MultiheadAttention: expected query of 2 or 3 dimensions, got "
                    + query.shape());
        }
        if (unbatched) {
            Output o = forward(query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1),
                    keyPaddingMask == null ? null : keyPaddingMask.unsqueeze(0), needWeights, attnMask,
                    averageAttnWeights);
            return new Output(o.output().squeeze(1), o.weights() == null ? null : o.weights().squeeze(0));
        }
        if (batchFirst) {
            query = query.transpose(0, 1);
            key = key.transpose(0, 1);
            value = value.transpose(0, 1);
        }
        int tgt = query.size(0);
        int n = query.size(1);
        int src = key.size(0);
        int e = embedDim;
        int hd = e / numHeads;
        check("query", query, e);
        check("key", key, kdim);
        check("value", value, vdim);
        if (value.size(0) != src || key.size(1) != n || value.size(1) != n) {
            throw new IllegalArgumentException("MultiheadAttention: key " + key.shape() + " and value "
                    + value.shape() + " must have the same length and batch as each other and the query "
                    + query.shape());
        }
        Tensor wq = inProjWeight != null ? RnnNarrow.apply(inProjWeight, 0, 0, e) : qProjWeight;
        Tensor wk = inProjWeight != null ? RnnNarrow.apply(inProjWeight, 0, e, e) : kProjWeight;
        Tensor wv = inProjWeight != null ? RnnNarrow.apply(inProjWeight, 0, 2 * e, e) : vProjWeight;
        Tensor bq = inProjBias == null ? null : RnnNarrow.apply(inProjBias, 0, 0, e);
        Tensor bk = inProjBias == null ? null : RnnNarrow.apply(inProjBias, 0, e, e);
        Tensor bv = inProjBias == null ? null : RnnNarrow.apply(inProjBias, 0, 2 * e, e);
        Tensor q = Functions.linear(query, wq, bq).reshape(tgt, n * numHeads, hd).transpose(0, 1);
        Tensor k = Functions.linear(key, wk, bk).reshape(src, n * numHeads, hd).transpose(0, 1);
        Tensor v = Functions.linear(value, wv, bv).reshape(src, n * numHeads, hd).transpose(0, 1);
        Tensor scores = q.matmul(k.transpose(1, 2)).mul(1.0 / Math.sqrt(hd));
        NDArray mask = additiveMask(attnMask, keyPaddingMask, n, tgt, src, scores.dtype());
        if (mask != null) {
            scores = scores.add(Tensor.of(mask));
        }
        Tensor attn = scores.softmax(-1);
        if (dropout > 0 && isTraining()) {
            NDArray keep = NDArray.rand(Generator.global(), attn.sizes()).ge(dropout).to(attn.dtype())
                    .mul(1.0 / (1.0 - dropout));
            attn = attn.mul(Tensor.of(keep));
        }
        Tensor out = attn.matmul(v).transpose(0, 1).reshape(tgt, n, e);
        out = Functions.linear(out, outProj.weight, outProj.bias);
        if (batchFirst) {
            out = out.transpose(0, 1);
        }
        Tensor weights = null;
        if (needWeights) {
            weights = attn.reshape(n, numHeads, tgt, src);
            if (averageAttnWeights) {
                weights = weights.mean(1, false);
            }
        }
        return new Output(out, weights);
    }

    private static void check(String what, Tensor t, int features) {
        if (t.dim() != 3 || t.size(2) != features) {
            throw new IllegalArgumentException("MultiheadAttention: expected " + what + " [..., " + features
                    + "], got " + t.shape());
        }
    }

    /** The masks as one additive array broadcastable to [N * heads, L, S] (BOOL true becomes -inf). */
    private NDArray additiveMask(Tensor attnMask, Tensor keyPaddingMask, int n, int tgt, int src, DType dt) {
        NDArray m = null;
        if (attnMask != null) {
            NDArray a = additive(attnMask.data(), dt);
            boolean ok = a.dim() == 2 && a.size(0) == tgt && a.size(1) == src
                    || a.dim() == 3 && a.size(0) == n * numHeads && a.size(1) == tgt && a.size(2) == src;
            if (!ok) {
                throw new IllegalArgumentException("MultiheadAttention: expected attnMask [" + tgt + ", " + src
                        + "] or [" + n * numHeads + ", " + tgt + ", " + src + "], got " + attnMask.shape());
            }
            m = a.dim() == 2 ? a.unsqueeze(0) : a;
        }
        if (keyPaddingMask != null) {
            NDArray k = additive(keyPaddingMask.data(), dt);
            if (k.dim() != 2 || k.size(0) != n || k.size(1) != src) {
                throw new IllegalArgumentException("MultiheadAttention: expected keyPaddingMask [" + n + ", " + src
                        + "], got " + keyPaddingMask.shape());
            }
            NDArray kk = k.reshape(n, 1, 1, src).expand(n, numHeads, 1, src).reshape(n * numHeads, 1, src);
            m = m == null ? kk : m.add(kk);
        }
        return m;
    }

    private static NDArray additive(NDArray mask, DType dt) {
        if (mask.dtype() == DType.BOOL) {
            return NDArray.where(mask, NDArray.full(dt, Double.NEGATIVE_INFINITY, mask.device()), NDArray.zeros(dt, mask.device()));
        }
        return mask.to(dt);
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("embedDim", embedDim);
        c.put("numHeads", numHeads);
        c.put("dropout", dropout);
        c.put("bias", bias);
        c.put("batchFirst", batchFirst);
        c.put("kdim", kdim);
        c.put("vdim", vdim);
        return c;
    }

    @Override
    protected String extraRepr() {
        return "embedDim=" + embedDim + ", numHeads=" + numHeads + (dropout != 0 ? ", dropout=" + dropout : "")
                + (bias ? "" : ", bias=false") + (batchFirst ? ", batchFirst=true" : "")
                + (kdim != embedDim ? ", kdim=" + kdim : "") + (vdim != embedDim ? ", vdim=" + vdim : "");
    }

    static MultiheadAttention fromConfig(Map<String, Object> c) {
        int e = RNNBase.required(c, "MultiheadAttention", "embedDim");
        return new MultiheadAttention(e, RNNBase.required(c, "MultiheadAttention", "numHeads"),
                RNNBase.doubleOf(c, "dropout", 0), RNNBase.boolOf(c, "bias", true),
                RNNBase.boolOf(c, "batchFirst", false), RNNBase.intOf(c, "kdim", e), RNNBase.intOf(c, "vdim", e));
    }
}
