package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.Device;
import io.ember.tensor.Generator;
import io.ember.tensor.Index;
import io.ember.tensor.NDArray;
import io.ember.tensor.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * The differentiable tensor users meet, like {@code torch.Tensor}: a raw {@link NDArray} plus its place in the
 * recorded graph. Ops on tensors that {@link #requiresGrad()} record a {@link Node} ({@link #gradFn()}), and
 * {@link #backward()} fills {@link #grad()} of the leaves.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3, 2).requiresGrad(true);
 * Tensor loss = x.matmul(w).relu().sum();
 * loss.backward();
 * w.grad(); // d loss / d w
 * }</pre>
 *
 * <p>In-place methods ({@code xxxInPlace}) are for updates under {@link Autograd#noGrad()} (optimizers, init);
 * on a tensor that requires grad they are rejected while the graph is recorded.
 */
public final class Tensor {
    private NDArray data;
    private final boolean leaf;
    private boolean requiresGrad;
    private final Node gradFn;
    private final int outputNr;
    private final boolean inference;
    private Tensor grad;
    /** Whether {@link #grad} is an array backward made for this tensor alone (so zeroGrad may release it). */
    private boolean gradOwned;
    private AccumulateGrad accumulator;
    private boolean retainsGrad;

    /** A leaf. */
    Tensor(NDArray data, boolean requiresGrad) {
        this.data = data;
        this.leaf = true;
        this.gradFn = null;
        this.outputNr = 0;
        this.inference = Autograd.isInferenceMode();
        if (requiresGrad) {
            requiresGrad(true);
        }
    }

    /** An op's output in the graph. */
    Tensor(NDArray data, Node gradFn, int outputNr) {
        this.data = data;
        this.leaf = false;
        this.gradFn = gradFn;
        this.outputNr = outputNr;
        this.inference = false;
    }

    // ---------------------------------------------------------------- creation

    /** Wraps a raw array as a leaf that does not require grad (no copy). */
    public static Tensor of(NDArray data) {
        return new Tensor(data, false);
    }

    public static Tensor of(float[] data, int... shape) {
        return of(NDArray.of(data, shape));
    }

    public static Tensor of(double[] data, int... shape) {
        return of(NDArray.of(data, shape));
    }

    public static Tensor of(long[] data, int... shape) {
        return of(NDArray.of(data, shape));
    }

    public static Tensor of(boolean[] data, int... shape) {
        return of(NDArray.of(data, shape));
    }

    public static Tensor scalar(double value) {
        return of(NDArray.scalar(value));
    }

    public static Tensor zeros(int... shape) {
        return of(NDArray.zeros(shape));
    }

    public static Tensor zeros(DType dtype, int... shape) {
        return of(NDArray.zeros(dtype, shape));
    }

    public static Tensor ones(int... shape) {
        return of(NDArray.ones(shape));
    }

    public static Tensor ones(DType dtype, int... shape) {
        return of(NDArray.ones(dtype, shape));
    }

    public static Tensor full(double value, int... shape) {
        return of(NDArray.full(value, shape));
    }

    public static Tensor empty(int... shape) {
        return of(NDArray.empty(shape));
    }

    public static Tensor zerosLike(Tensor t) {
        return of(NDArray.zerosLike(t.data));
    }

    public static Tensor onesLike(Tensor t) {
        return of(NDArray.onesLike(t.data));
    }

    public static Tensor arange(long end) {
        return of(NDArray.arange(end));
    }

    public static Tensor arange(double start, double end, double step) {
        return of(NDArray.arange(start, end, step));
    }

    public static Tensor linspace(double start, double end, int steps) {
        return of(NDArray.linspace(start, end, steps));
    }

    public static Tensor eye(int n) {
        return of(NDArray.eye(n));
    }

    public static Tensor rand(int... shape) {
        return of(NDArray.rand(shape));
    }

    public static Tensor rand(Generator g, int... shape) {
        return of(NDArray.rand(g, shape));
    }

    public static Tensor randn(int... shape) {
        return of(NDArray.randn(shape));
    }

    public static Tensor randn(Generator g, int... shape) {
        return of(NDArray.randn(g, shape));
    }

    public static Tensor randint(long low, long high, int... shape) {
        return of(NDArray.randint(low, high, shape));
    }

    public static Tensor randint(Generator g, long low, long high, int... shape) {
        return of(NDArray.randint(g, low, high, shape));
    }

    // ---------------------------------------------------------------- properties

    /** The raw array (shares storage; changes to it bypass autograd, like PyTorch's {@code .data}). */
    public NDArray data() {
        return data;
    }

    /** Replaces the raw array of a leaf (same shape and dtype), like assigning {@code .data} in PyTorch. */
    public void setData(NDArray newData) {
        if (!leaf) {
            throw new IllegalStateException("setData: only a leaf's data can be replaced; this tensor has gradFn "
                    + gradFn.name());
        }
        this.data = io.ember.tensor.MemoryScope.keep(newData);
    }

    public Shape shape() {
        return data.shape();
    }

    public int[] sizes() {
        return data.shape().toArray();
    }

    public int size(int dim) {
        return data.size(dim);
    }

    public int dim() {
        return data.dim();
    }

    public int numel() {
        return data.numel();
    }

    public DType dtype() {
        return data.dtype();
    }

    public Device device() {
        return data.device();
    }

    // ---------------------------------------------------------------- autograd state

    public boolean requiresGrad() {
        return gradFn != null || requiresGrad;
    }

    /** Sets whether this leaf records operations for gradients; returns this. */
    public Tensor requiresGrad(boolean value) {
        if (!leaf) {
            if (value) {
                return this;
            }
            throw new IllegalStateException("requiresGrad: only leaf tensors can change requiresGrad; this tensor "
                    + "was made by " + gradFn.name() + ": use detach() for a tensor without history");
        }
        if (value && !data.dtype().isFloating()) {
            throw new IllegalArgumentException("requiresGrad: only floating-point tensors can require gradients, got "
                    + data.dtype());
        }
        this.requiresGrad = value;
        return this;
    }

    public boolean isLeaf() {
        return leaf;
    }

    /** The node that made this tensor (null for leaves), like {@code grad_fn}. */
    public Node gradFn() {
        return gradFn;
    }

    int outputNr() {
        return outputNr;
    }

    boolean isInference() {
        return inference;
    }

    /** The accumulated gradient, or null before the first backward (or after {@link #zeroGrad()}). */
    public Tensor grad() {
        return grad;
    }

    /** Sets or clears the gradient (shape must match). */
    public void setGrad(Tensor g) {
        if (g != null && !g.shape().equals(shape())) {
            throw new IllegalArgumentException("setGrad: gradient " + g.shape() + " does not match the tensor "
                    + shape());
        }
        if (g != null) {
            io.ember.tensor.MemoryScope.keep(g.data);
        }
        this.grad = g;
        this.gradOwned = false;
    }

    /**
     * Drops the gradient, like PyTorch's {@code zero_grad(set_to_none=True)}. On a device (GPU) a gradient that
     * backward made is released at once, as PyTorch's reference counting would: clone it first if you need it
     * afterwards. A gradient given with {@link #setGrad} is only dropped.
     */
    public void zeroGrad() {
        Tensor old = grad;
        this.grad = null;
        if (old != null && gradOwned && !old.data.device().isCpu()) {
            old.data.storage().close();
        }
        gradOwned = false;
    }

    /** Makes a non-leaf keep its gradient after backward, like {@code retain_grad()}. */
    public Tensor retainGrad() {
        if (leaf) {
            return this;
        }
        if (gradFn.retained == null) {
            gradFn.retained = new Tensor[gradFn.numOutputs];
        }
        gradFn.retained[outputNr] = this;
        retainsGrad = true;
        return this;
    }

    synchronized void accumulateGrad(NDArray g) {
        accumulateGrad(g, false);
    }

    /** Adds a gradient; an {@code exclusive} one (an array no one else holds) becomes the grad without a copy. */
    synchronized void accumulateGrad(NDArray g, boolean exclusive) {
        if (!g.shape().equals(data.shape())) {
            throw new IllegalStateException("backward: gradient " + g.shape() + " does not match the tensor "
                    + data.shape());
        }
        if (grad == null) {
            NDArray own;
            if (g.dtype() != data.dtype()) {
                own = g.to(data.dtype());
            } else if (exclusive && g.isContiguous()) {
                own = g;
            } else {
                own = g.clone();
            }
            grad = new Tensor(io.ember.tensor.MemoryScope.keep(own), false);
            gradOwned = true;
        } else {
            grad.data.addInPlace(g);
        }
    }

    AccumulateGrad accumulator() {
        if (accumulator == null) {
            accumulator = new AccumulateGrad(this);
        }
        return accumulator;
    }

    /** A new leaf sharing this tensor's storage, outside the graph. */
    public Tensor detach() {
        return new Tensor(data, false);
    }

    /** Backward from a one-element tensor (the gradient is 1). */
    public void backward() {
        backward(null, false);
    }

    /** Backward with the gradient of some scalar with respect to this tensor. */
    public void backward(Tensor gradient) {
        backward(gradient, false);
    }

    /**
     * Computes the gradients of the leaves; {@code retainGraph} keeps the saved tensors so that backward can run
     * through the same graph again.
     */
    public void backward(Tensor gradient, boolean retainGraph) {
        NDArray g;
        if (gradient == null) {
            if (numel() != 1) {
                throw new IllegalArgumentException("backward: a gradient can be implied only for a one-element "
                        + "tensor, this one is " + shape() + "; pass backward(gradient)");
            }
            g = NDArray.onesLike(data);
        } else {
            if (!gradient.shape().equals(shape())) {
                throw new IllegalArgumentException("backward: gradient " + gradient.shape()
                        + " does not match the tensor " + shape());
            }
            g = gradient.data;
        }
        Engine.backward(this, g, retainGraph);
    }

    // ---------------------------------------------------------------- reading values

    public double item() {
        return data.item();
    }

    public float[] toFloatArray() {
        return data.toFloatArray();
    }

    public double[] toDoubleArray() {
        return data.toDoubleArray();
    }

    public long[] toLongArray() {
        return data.toLongArray();
    }

    public double getDouble(int... index) {
        return data.getDouble(index);
    }

    @Override
    public String toString() {
        String s = data.toString();
        String suffix = gradFn != null ? ", gradFn=" + gradFn : requiresGrad ? ", requiresGrad=true" : "";
        if (suffix.isEmpty()) {
            return s;
        }
        int close = s.lastIndexOf(')');
        return close > 0 ? s.substring(0, close) + suffix + s.substring(close) : s + suffix;
    }

    // ---------------------------------------------------------------- conversion

    /** This tensor in another dtype (differentiable between floating types); this if already that dtype. */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : Cast.apply(this, dtype);
    }

    /** This tensor on another device (differentiable); this if already there. */
    public Tensor to(Device device) {
        return device.equals(device()) ? this : ToDevice.apply(this, device);
    }

    /** A differentiable copy with its own storage. */
    public Tensor clone() {
        return Clone.apply(this);
    }

    public Tensor contiguous() {
        return data.isContiguous() ? this : Clone.apply(this);
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor other) {
        return Add.apply(this, other, 1.0);
    }

    /** {@code this + alpha * other}. */
    public Tensor add(Tensor other, double alpha) {
        return Add.apply(this, other, alpha);
    }

    public Tensor add(double value) {
        return AddScalar.apply(this, value);
    }

    public Tensor sub(Tensor other) {
        return Add.apply(this, other, -1.0);
    }

    public Tensor sub(double value) {
        return AddScalar.apply(this, -value);
    }

    /** {@code value - this}. */
    public Tensor rsub(double value) {
        return Neg.apply(this).add(value);
    }

    public Tensor mul(Tensor other) {
        return Mul.apply(this, other);
    }

    public Tensor mul(double value) {
        return MulScalar.apply(this, value);
    }

    public Tensor div(Tensor other) {
        return Div.apply(this, other);
    }

    public Tensor div(double value) {
        return MulScalar.apply(this, 1.0 / value);
    }

    /** {@code value / this}. */
    public Tensor rdiv(double value) {
        return reciprocal().mul(value);
    }

    public Tensor pow(double exponent) {
        return PowScalar.apply(this, exponent);
    }

    public Tensor pow(Tensor exponent) {
        return Pow.apply(this, exponent);
    }

    public Tensor neg() {
        return Neg.apply(this);
    }

    public Tensor abs() {
        return Abs.apply(this);
    }

    public Tensor sign() {
        return Rounding.apply(this, "sign");
    }

    public Tensor square() {
        return Mul.apply(this, this);
    }

    public Tensor exp() {
        return Exp.apply(this);
    }

    public Tensor log() {
        return Log.apply(this);
    }

    public Tensor log1p() {
        return Log1p.apply(this);
    }

    public Tensor sqrt() {
        return Sqrt.apply(this);
    }

    public Tensor rsqrt() {
        return Rsqrt.apply(this);
    }

    public Tensor reciprocal() {
        return Reciprocal.apply(this);
    }

    public Tensor sin() {
        return Sin.apply(this);
    }

    public Tensor cos() {
        return Cos.apply(this);
    }

    public Tensor tanh() {
        return Tanh.apply(this);
    }

    public Tensor sigmoid() {
        return Sigmoid.apply(this);
    }

    public Tensor relu() {
        return Relu.apply(this);
    }

    /** GELU with the exact erf form. */
    public Tensor gelu() {
        return Gelu.apply(this);
    }

    /** GELU with the tanh approximation. */
    public Tensor geluTanh() {
        return GeluTanh.apply(this);
    }

    public Tensor silu() {
        return Silu.apply(this);
    }

    public Tensor leakyRelu(double negativeSlope) {
        return LeakyRelu.apply(this, negativeSlope);
    }

    public Tensor elu(double alpha) {
        return Elu.apply(this, alpha);
    }

    public Tensor floor() {
        return Rounding.apply(this, "floor");
    }

    public Tensor ceil() {
        return Rounding.apply(this, "ceil");
    }

    public Tensor round() {
        return Rounding.apply(this, "round");
    }

    public Tensor clamp(double min, double max) {
        return Clamp.apply(this, min, max);
    }

    public Tensor clampMin(double min) {
        return Clamp.apply(this, min, Double.NaN);
    }

    public Tensor clampMax(double max) {
        return Clamp.apply(this, Double.NaN, max);
    }

    public Tensor minimum(Tensor other) {
        return MinMax.apply(this, other, false);
    }

    public Tensor maximum(Tensor other) {
        return MinMax.apply(this, other, true);
    }

    /** Elementwise choice: {@code cond ? x : y} (cond is BOOL, not differentiated). */
    public static Tensor where(Tensor cond, Tensor x, Tensor y) {
        return Where.apply(cond, x, y);
    }

    public Tensor maskedFill(Tensor mask, double value) {
        return MaskedFill.apply(this, mask, value);
    }

    // comparisons: never differentiable, BOOL results

    public Tensor eq(Tensor other) {
        return of(data.eq(other.data));
    }

    public Tensor eq(double value) {
        return of(data.eq(value));
    }

    public Tensor ne(Tensor other) {
        return of(data.ne(other.data));
    }

    public Tensor lt(Tensor other) {
        return of(data.lt(other.data));
    }

    public Tensor lt(double value) {
        return of(data.lt(value));
    }

    public Tensor le(double value) {
        return of(data.le(value));
    }

    public Tensor gt(Tensor other) {
        return of(data.gt(other.data));
    }

    public Tensor gt(double value) {
        return of(data.gt(value));
    }

    public Tensor ge(double value) {
        return of(data.ge(value));
    }

    public Tensor isNan() {
        return of(data.isNan());
    }

    // ---------------------------------------------------------------- reductions

    public Tensor sum() {
        return Sum.apply(this, null, false);
    }

    public Tensor sum(int dim) {
        return Sum.apply(this, new int[] {dim}, false);
    }

    public Tensor sum(int dim, boolean keepdim) {
        return Sum.apply(this, new int[] {dim}, keepdim);
    }

    public Tensor sum(int[] dims, boolean keepdim) {
        return Sum.apply(this, dims, keepdim);
    }

    public Tensor mean() {
        return Sum.apply(this, null, false).div(Math.max(1, numel()));
    }

    public Tensor mean(int dim, boolean keepdim) {
        return mean(new int[] {dim}, keepdim);
    }

    public Tensor mean(int[] dims, boolean keepdim) {
        long n = 1;
        for (int d : dims) {
            n *= size(Shape.normalizeDim("mean", d, dim()));
        }
        return Sum.apply(this, dims, keepdim).div(Math.max(1, n));
    }

    public Tensor prod() {
        return Prod.apply(this, null, false);
    }

    public Tensor prod(int dim, boolean keepdim) {
        return Prod.apply(this, dim, keepdim);
    }

    /** The largest element (the gradient is shared evenly among ties, like PyTorch). */
    public Tensor max() {
        return Extremum.apply(this, true, null, false);
    }

    /** Largest values along {@code dim} and their positions (INT64, not differentiable). */
    public TensorPair max(int dim, boolean keepdim) {
        return MaxDim.apply(this, true, dim, keepdim);
    }

    public Tensor min() {
        return Extremum.apply(this, false, null, false);
    }

    public TensorPair min(int dim, boolean keepdim) {
        return MaxDim.apply(this, false, dim, keepdim);
    }

    public Tensor amax(int[] dims, boolean keepdim) {
        return Extremum.apply(this, true, dims, keepdim);
    }

    public Tensor amin(int[] dims, boolean keepdim) {
        return Extremum.apply(this, false, dims, keepdim);
    }

    public Tensor argmax(int dim, boolean keepdim) {
        return of(data.argmax(dim, keepdim));
    }

    public Tensor argmax() {
        return of(data.argmax());
    }

    public Tensor argmin(int dim, boolean keepdim) {
        return of(data.argmin(dim, keepdim));
    }

    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) {
        long n = 1;
        for (int d : dims) {
            n *= size(Shape.normalizeDim("var", d, dim()));
        }
        Tensor centered = sub(mean(dims, true));
        return centered.square().sum(dims, keepdim).div(Math.max(0, n - (unbiased ? 1 : 0)));
    }

    public Tensor var(boolean unbiased) {
        Tensor centered = sub(mean());
        return centered.square().sum().div(Math.max(0, numel() - (unbiased ? 1 : 0)));
    }

    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) {
        return var(dims, unbiased, keepdim).sqrt();
    }

    public Tensor std(boolean unbiased) {
        return var(unbiased).sqrt();
    }

    public Tensor logSumExp(int dim, boolean keepdim) {
        int d = Shape.normalizeDim("logSumExp", dim, Math.max(1, dim()));
        Tensor m = Tensor.of(data.amax(new int[] {d}, true));
        m = Tensor.of(NDArray.where(m.data.isFinite(), m.data, NDArray.zeros(m.dtype(), m.device())));
        Tensor r = sub(m).exp().sum(d, true).log().add(m);
        return keepdim ? r : r.squeeze(d);
    }

    /** The p-norm of all elements. */
    public Tensor norm(double p) {
        if (p > 0 && !Double.isInfinite(p)) {
            return Norm.apply(this, p);
        }
        if (p == Double.POSITIVE_INFINITY) {
            return abs().max();
        }
        if (p == Double.NEGATIVE_INFINITY) {
            return abs().min();
        }
        if (p == 0) {
            return Tensor.of(data.ne(0.0).sum().to(dtype()));
        }
        return abs().pow(p).sum().pow(1.0 / p); // negative p
    }

    public Tensor norm() {
        return norm(2);
    }

    public Tensor softmax(int dim) {
        return Softmax.apply(this, dim);
    }

    public Tensor logSoftmax(int dim) {
        return LogSoftmax.apply(this, dim);
    }

    // ---------------------------------------------------------------- linear algebra

    /** Matrix product with PyTorch's rules (1-D, 2-D, batched with broadcasting). */
    public Tensor matmul(Tensor other) {
        return MatMul.apply(this, other);
    }

    public Tensor mm(Tensor other) {
        if (dim() != 2 || other.dim() != 2) {
            throw new IllegalArgumentException("mm: expects two 2-D tensors, got " + shape() + " and "
                    + other.shape());
        }
        return MatMul.apply(this, other);
    }

    public Tensor bmm(Tensor other) {
        if (dim() != 3 || other.dim() != 3) {
            throw new IllegalArgumentException("bmm: expects two 3-D tensors, got " + shape() + " and "
                    + other.shape());
        }
        return MatMul.apply(this, other);
    }

    // ---------------------------------------------------------------- views and shape

    public Tensor reshape(int... shape) {
        return Reshape.apply(this, shape);
    }

    public Tensor view(int... shape) {
        return Reshape.apply(this, shape);
    }

    public Tensor flatten() {
        return Reshape.apply(this, new int[] {-1});
    }

    public Tensor flatten(int startDim, int endDim) {
        return Reshape.apply(this, data.flatten(startDim, endDim).shape().toArray());
    }

    public Tensor permute(int... dims) {
        return Permute.apply(this, dims);
    }

    public Tensor transpose(int dim0, int dim1) {
        int n = dim();
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        int a = Shape.normalizeDim("transpose", dim0, n);
        int b = Shape.normalizeDim("transpose", dim1, n);
        p[a] = b;
        p[b] = a;
        return Permute.apply(this, p);
    }

    /** Transpose of a matrix (a 0-D or 1-D tensor is returned as is). */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t: expects a tensor of at most 2 dimensions, got " + shape());
        }
        return dim() < 2 ? this : transpose(0, 1);
    }

    public Tensor squeeze() {
        return Reshape.apply(this, data.squeeze().shape().toArray());
    }

    public Tensor squeeze(int dim) {
        return Reshape.apply(this, data.squeeze(dim).shape().toArray());
    }

    public Tensor unsqueeze(int dim) {
        return Reshape.apply(this, data.unsqueeze(dim).shape().toArray());
    }

    public Tensor expand(int... sizes) {
        return Expand.apply(this, sizes);
    }

    public Tensor broadcastTo(int... shape) {
        return Expand.apply(this, shape);
    }

    public Tensor narrow(int dim, int start, int length) {
        int d = Shape.normalizeDim("narrow", dim, dim());
        int s = start < 0 ? start + size(d) : start;
        data.narrow(d, start, length); // validates
        return Slice.apply(this, d, s, s + length, 1);
    }

    public Tensor slice(int dim, int start, int end, int step) {
        return Slice.apply(this, dim, start, end, step);
    }

    public Tensor select(int dim, int index) {
        return Select.apply(this, dim, index);
    }

    /** Basic and advanced indexing, like {@code x[...]}. */
    public Tensor index(Index... indices) {
        return IndexOp.apply(this, indices);
    }

    // ---------------------------------------------------------------- indexing

    public Tensor indexSelect(int dim, Tensor index) {
        return IndexSelect.apply(this, dim, index);
    }

    public Tensor gather(int dim, Tensor index) {
        return Gather.apply(this, dim, index);
    }

    /** Out-of-place scatter: a copy of this with {@code src} written at {@code index} along dim. */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return Scatter.apply(this, dim, index, src, false);
    }

    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Scatter.apply(this, dim, index, src, true);
    }

    public Tensor indexAdd(int dim, Tensor index, Tensor src) {
        return IndexAdd.apply(this, dim, index, src);
    }

    public Tensor maskedSelect(Tensor mask) {
        return MaskedSelect.apply(this, mask);
    }

    // ---------------------------------------------------------------- joining

    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Cat.apply(tensors, dim);
    }

    public static Tensor cat(int dim, Tensor... tensors) {
        return cat(List.of(tensors), dim);
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        List<Tensor> u = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            u.add(t.unsqueeze(dim < 0 ? dim + t.dim() + 1 : dim));
        }
        return cat(u, dim < 0 ? dim + tensors.get(0).dim() + 1 : dim);
    }

    public static Tensor stack(int dim, Tensor... tensors) {
        return stack(List.of(tensors), dim);
    }

    public List<Tensor> split(int splitSize, int dim) {
        int d = Shape.normalizeDim("split", dim, dim());
        if (splitSize <= 0) {
            throw new IllegalArgumentException("split: splitSize must be positive, got " + splitSize);
        }
        int n = size(d);
        List<Tensor> out = new ArrayList<>();
        for (int at = 0; at < n || (n == 0 && out.isEmpty()); at += splitSize) {
            out.add(narrow(d, at, Math.min(splitSize, n - at)));
        }
        return out;
    }

    public List<Tensor> split(int[] sizes, int dim) {
        int d = Shape.normalizeDim("split", dim, dim());
        long total = 0;
        for (int k : sizes) {
            if (k < 0) {
                throw new IllegalArgumentException("split: sizes must be non-negative, got "
                        + java.util.Arrays.toString(sizes));
            }
            total += k;
        }
        if (total != size(d)) {
            throw new IllegalArgumentException("split: sizes " + java.util.Arrays.toString(sizes) + " add up to "
                    + total + ", but dim " + d + " has size " + size(d) + " (shape " + shape() + ")");
        }
        List<Tensor> out = new ArrayList<>(sizes.length);
        int at = 0;
        for (int k : sizes) {
            out.add(narrow(d, at, k));
            at += k;
        }
        return out;
    }

    public List<Tensor> chunk(int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk: chunks must be positive, got " + chunks);
        }
        int n = size(Shape.normalizeDim("chunk", dim, dim()));
        return split(Math.max(1, (n + chunks - 1) / chunks), dim);
    }

    public List<Tensor> unbind(int dim) {
        int d = Shape.normalizeDim("unbind", dim, dim());
        List<Tensor> out = new ArrayList<>(size(d));
        for (int i = 0; i < size(d); i++) {
            out.add(select(d, i));
        }
        return out;
    }

    // ---------------------------------------------------------------- in place (for noGrad updates)

    private void checkInPlace(String op) {
        if (requiresGrad() && Autograd.isGradEnabled()) {
            if (leaf) {
                throw new IllegalStateException(op + ": a leaf tensor " + shape() + " that requires grad cannot be "
                        + "changed in place while gradients are recorded; do the update inside Autograd.noGrad()");
            }
            throw new IllegalStateException(op + ": tensor " + shape() + " is part of the graph (gradFn "
                    + gradFn.name() + ") and cannot be changed in place; use the out-of-place op");
        }
    }

    public Tensor addInPlace(Tensor other) {
        checkInPlace("addInPlace");
        data.addInPlace(other.data);
        return this;
    }

    public Tensor addInPlace(Tensor other, double alpha) {
        checkInPlace("addInPlace");
        data.addInPlace(other.data, alpha);
        return this;
    }

    public Tensor subInPlace(Tensor other) {
        checkInPlace("subInPlace");
        data.subInPlace(other.data);
        return this;
    }

    public Tensor mulInPlace(double value) {
        checkInPlace("mulInPlace");
        data.mulInPlace(value);
        return this;
    }

    public Tensor mulInPlace(Tensor other) {
        checkInPlace("mulInPlace");
        data.mulInPlace(other.data);
        return this;
    }

    public Tensor fillInPlace(double value) {
        checkInPlace("fillInPlace");
        data.fillInPlace(value);
        return this;
    }

    public Tensor zeroInPlace() {
        checkInPlace("zeroInPlace");
        data.zeroInPlace();
        return this;
    }

    public Tensor copyFrom(Tensor src) {
        checkInPlace("copyFrom");
        data.copyFrom(src.data);
        return this;
    }

    public Tensor uniformInPlace(Generator g, double low, double high) {
        checkInPlace("uniformInPlace");
        data.uniformInPlace(g, low, high);
        return this;
    }

    public Tensor normalInPlace(Generator g, double mean, double std) {
        checkInPlace("normalInPlace");
        data.normalInPlace(g, mean, std);
        return this;
    }

    public Tensor clampInPlace(double min, double max) {
        checkInPlace("clampInPlace");
        data.clampInPlace(min, max);
        return this;
    }
}
