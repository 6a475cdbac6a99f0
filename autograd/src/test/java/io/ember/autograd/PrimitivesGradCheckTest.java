package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.Index;
import io.ember.tensor.NDArray;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every differentiable primitive (and the composites built on them) against central finite differences. */
class PrimitivesGradCheckTest {
    private static long seed = 100;

    /** A float64 leaf from a normal distribution. */
    static Tensor r(int... shape) {
        return leaf(NDArray.randn(new Generator(seed++), shape).to(DType.FLOAT64));
    }

    /** Positive values in [0.5, 2). */
    static Tensor pos(int... shape) {
        return leaf(NDArray.uniform(new Generator(seed++), 0.5, 2.0, shape).to(DType.FLOAT64));
    }

    /** Values with |x| in [0.3, 2) and random sign: away from the kink at 0. */
    /** The sum of every element of every output, as one scalar. */
    static Tensor sumAll(Tensor[] outputs) {
        Tensor total = outputs[0].sum();
        for (int i = 1; i < outputs.length; i++) {
            total = total.add(outputs[i].sum());
        }
        return total;
    }

    static Tensor away(int... shape) {
        NDArray mag = NDArray.uniform(new Generator(seed++), 0.3, 2.0, shape).to(DType.FLOAT64);
        NDArray sign = NDArray.rand(new Generator(seed++), shape).lt(0.5);
        return leaf(NDArray.where(sign, mag.neg(), mag));
    }

    /** Values whose fractional part is in [0.1, 0.4): away from floor/ceil/round jumps. */
    static Tensor offGrid(int... shape) {
        NDArray whole = NDArray.randint(new Generator(seed++), -3, 3, shape).to(DType.FLOAT64);
        NDArray frac = NDArray.uniform(new Generator(seed++), 0.1, 0.4, shape).to(DType.FLOAT64);
        return leaf(whole.add(frac));
    }

    /** A leaf whose data is a transposed (non-contiguous) view. */
    static Tensor stridedT(int rows, int cols) {
        return leaf(NDArray.randn(new Generator(seed++), cols, rows).to(DType.FLOAT64).t());
    }

    static Tensor leaf(NDArray a) {
        return Tensor.of(a).requiresGrad(true);
    }

    static Tensor ints(long[] values, int... shape) {
        return Tensor.of(values, shape);
    }

    static Tensor bools(boolean[] values, int... shape) {
        return Tensor.of(values, shape);
    }

    private static Arguments c(String name, Function<Tensor[], Tensor> fn, Tensor... inputs) {
        return Arguments.of(name, fn, inputs);
    }

    static Stream<Arguments> primitives() {
        Tensor emb = ints(new long[] {0, 2, 2, 1, 3, 0}, 2, 3);
        Tensor target = ints(new long[] {1, 0, 3, 3, 2}, 5);
        Tensor targetIgn = ints(new long[] {1, -100, 3, 0, 2}, 5);
        Tensor classW = Tensor.of(new double[] {0.5, 1.5, 1.0, 2.0}, 4);
        Tensor spatialTarget = ints(new long[] {0, 2, 1, 1, 2, 0, 1, 0, 2, 2, 1, 0}, 2, 2, 3);
        return Stream.of(
                // existing arithmetic primitives
                c("add broadcast", in -> in[0].add(in[1], 0.7), r(3, 4), r(4)),
                c("sub broadcast", in -> in[0].sub(in[1]), r(3, 1), r(1, 4)),
                c("mul broadcast permuted", in -> in[0].permute(1, 0).mul(in[1]), r(4, 3), r(1, 4)),
                c("div broadcast", in -> in[0].div(in[1]), r(3, 4), away(4)),
                c("addScalar, mulScalar, neg", in -> in[0].add(2.0).mul(-1.5).neg(), r(2, 3)),
                c("pow(scalar)", in -> in[0].pow(2.5), pos(2, 3)),
                c("exp", in -> in[0].exp(), r(2, 3)),
                c("log", in -> in[0].log(), pos(2, 3)),
                c("tanh", in -> in[0].tanh(), r(2, 3)),
                c("sigmoid", in -> in[0].sigmoid(), r(2, 3)),
                c("relu", in -> in[0].relu(), away(2, 3)),
                c("softmax", in -> in[0].softmax(1), r(2, 4)),
                c("logSoftmax", in -> in[0].logSoftmax(0), r(3, 2)),
                c("matmul batched broadcast", in -> in[0].matmul(in[1]), r(2, 2, 3), r(3, 2)),
                c("matmul vector", in -> in[0].matmul(in[1]), r(3), r(3, 2)),
                c("sum dims", in -> in[0].sum(new int[] {0, 2}, true), r(2, 3, 2)),
                c("reshape, expand, clone", in -> in[0].reshape(3, 1).expand(3, 2).clone(), r(1, 3)),
                // new elementwise primitives
                c("pow(Tensor) broadcast", in -> in[0].pow(in[1]), pos(3, 4), r(4)),
                c("abs", in -> in[0].abs(), away(3, 4)),
                c("abs strided", in -> in[0].abs(), stridedT(3, 4)),
                c("sign", in -> in[0].sign().add(in[0]), away(2, 3)),
                c("floor", in -> in[0].floor().mul(in[0]), offGrid(2, 3)),
                c("ceil", in -> in[0].ceil().mul(in[0]), offGrid(2, 3)),
                c("round", in -> in[0].round().mul(in[0]), offGrid(2, 3)),
                c("log1p", in -> in[0].log1p(), pos(2, 3)),
                c("sqrt", in -> in[0].sqrt(), pos(2, 3)),
                c("sqrt strided", in -> in[0].sqrt(), leaf(pos(4, 3).data().t())),
                c("rsqrt", in -> in[0].rsqrt(), pos(2, 3)),
                c("reciprocal", in -> in[0].reciprocal(), away(2, 3)),
                c("rdiv", in -> in[0].rdiv(3.0), away(2, 3)),
                c("sin", in -> in[0].sin(), r(2, 3)),
                c("cos", in -> in[0].cos(), r(2, 3)),
                c("gelu", in -> in[0].gelu(), r(3, 4)),
                c("gelu strided", in -> in[0].gelu(), stridedT(3, 4)),
                c("geluTanh", in -> in[0].geluTanh(), r(3, 4)),
                c("silu", in -> in[0].silu(), r(3, 4)),
                c("leakyRelu", in -> in[0].leakyRelu(0.1), away(3, 4)),
                c("elu", in -> in[0].elu(1.3), away(3, 4)),
                c("clamp", in -> in[0].clamp(-0.15, 0.25), away(3, 4)),
                c("clampMin", in -> in[0].clampMin(0.1), away(3, 4)),
                c("clampMax", in -> in[0].clampMax(-0.1), away(3, 4)),
                c("minimum broadcast", in -> in[0].minimum(in[1]), r(3, 4), r(4)),
                c("maximum broadcast strided", in -> in[0].maximum(in[1]), stridedT(3, 4), r(3, 1)),
                c("where broadcast", in -> Tensor.where(bools(new boolean[] {true, false, false, true}, 4), in[0],
                        in[1]), r(3, 4), r(3, 1)),
                c("maskedFill", in -> in[0].maskedFill(bools(new boolean[] {true, false, true}, 3, 1), 2.0), r(3, 2)),
                c("square", in -> in[0].square(), r(2, 2)),
                // reductions
                c("prod", in -> in[0].prod(), away(2, 3)),
                c("prod with a zero", in -> in[0].prod(), leaf(NDArray.of(new double[] {1.5, 0, -2, 0.7}, 4))),
                c("prod dim keepdim", in -> in[0].prod(1, true), away(3, 4)),
                c("prod dim with zeros", in -> in[0].prod(0, false),
                        leaf(NDArray.of(new double[] {0, 1.5, 0, -2, 0.7, 0, 1.1, 0.9, 1.2}, 3, 3))),
                c("max", in -> in[0].max(), r(3, 4)),
                c("min", in -> in[0].min(), r(3, 4)),
                c("max(dim)", in -> in[0].max(1, false).values(), r(3, 4)),
                c("min(dim, keepdim)", in -> in[0].min(0, true).values(), r(3, 4)),
                c("amax", in -> in[0].amax(new int[] {0, 2}, false), r(2, 3, 4)),
                c("amin", in -> in[0].amin(new int[] {1}, true), r(2, 3, 4)),
                c("mean dims", in -> in[0].mean(new int[] {1}, false), r(2, 3, 2)),
                c("var unbiased", in -> in[0].var(new int[] {1}, true, false), r(3, 4)),
                c("var all biased", in -> in[0].var(false), r(3, 4)),
                c("std", in -> in[0].std(new int[] {0}, true, true), r(3, 4)),
                c("std all", in -> in[0].std(true), r(3, 4)),
                c("logSumExp", in -> in[0].logSumExp(1, false), r(3, 4)),
                c("logSumExp keepdim", in -> in[0].logSumExp(0, true), r(3, 4)),
                c("norm 2", in -> in[0].norm(), r(3, 4)),
                c("norm 1", in -> in[0].norm(1), away(3, 4)),
                c("norm 3", in -> in[0].norm(3), away(3, 4)),
                c("norm inf", in -> in[0].norm(Double.POSITIVE_INFINITY), r(3, 4)),
                // views and indexing
                c("narrow", in -> in[0].narrow(1, 1, 2), r(3, 4)),
                c("narrow negative start", in -> in[0].narrow(0, -2, 2), r(3, 4)),
                c("slice step", in -> in[0].slice(1, 0, 5, 2), r(3, 5)),
                c("select", in -> in[0].select(1, -1), r(3, 4)),
                c("transpose, t, squeeze, unsqueeze, flatten",
                        in -> in[0].transpose(0, 2).squeeze(1).t().unsqueeze(0).flatten(), r(2, 1, 3)),
                c("index basic", in -> in[0].index(Index.at(1), Index.slice(0, 4, 2), Index.newAxis()), r(3, 4)),
                c("index ellipsis", in -> in[0].index(Index.ellipsis(), Index.at(0)), r(2, 3, 2)),
                c("index advanced duplicates", in -> in[0].index(Index.of(2, 0, 2, -1)), r(3, 2)),
                c("index two arrays", in -> in[0].index(Index.of(0, 1, 1), Index.all(), Index.of(1, 1, 0)), r(2, 3, 2)),
                c("index bool mask", in -> in[0].index(Index.of(NDArray.of(new boolean[] {true, false, true}, 3))),
                        r(3, 2)),
                c("indexSelect duplicates", in -> in[0].indexSelect(1, ints(new long[] {2, 0, 2}, 3)), r(2, 3)),
                c("gather", in -> in[0].gather(1, ints(new long[] {0, 0, 2, 1, 2, 2}, 3, 2)), r(3, 3)),
                c("scatter", in -> in[0].scatter(1, ints(new long[] {0, 2, 1, 0}, 2, 2), in[1]), r(2, 3), r(2, 3)),
                c("scatterAdd duplicates", in -> in[0].scatterAdd(0, ints(new long[] {1, 1, 0, 1}, 2, 2), in[1]),
                        r(2, 2), r(2, 2)),
                c("indexAdd duplicates", in -> in[0].indexAdd(0, ints(new long[] {2, 0, 2}, 3), in[1]), r(3, 2),
                        r(3, 2)),
                c("maskedSelect broadcast", in -> in[0].maskedSelect(bools(new boolean[] {true, false, true}, 3)),
                        r(2, 3)),
                // joining
                c("cat", in -> Tensor.cat(1, in[0], in[1], in[2]), r(2, 1), r(2, 3), r(2, 2)),
                c("stack", in -> Tensor.stack(0, in[0], in[1]), r(2, 3), r(2, 3)),
                c("split sizes", in -> { List<Tensor> p = in[0].split(new int[] {1, 3}, 1);
                        return p.get(0).mul(p.get(1)); }, r(2, 4)),
                c("split size", in -> { List<Tensor> p = in[0].split(2, 0);
                        return Tensor.cat(0, p.get(2), p.get(0).mul(2.0)); }, r(5, 2)),
                c("chunk", in -> { List<Tensor> p = in[0].chunk(3, 1);
                        return p.get(0).mul(p.get(1)).add(p.get(2).sum()); }, r(2, 3)),
                c("unbind", in -> { List<Tensor> p = in[0].unbind(0);
                        return p.get(0).mul(p.get(1)).mul(p.get(2)); }, r(3, 2)),
                // nn primitives
                c("conv2d", in -> Functions.conv2d(in[0], in[1], in[2], new int[] {2, 1}, new int[] {1, 1},
                        new int[] {1, 1}, 1), r(2, 2, 4, 3), r(3, 2, 2, 2), r(3)),
                c("conv2d groups dilation", in -> Functions.conv2d(in[0], in[1], null, new int[] {1, 1},
                        new int[] {0, 1}, new int[] {2, 1}, 2), r(1, 4, 5, 3), r(2, 2, 2, 2)),
                c("maxPool2d", in -> Functions.maxPool2d(in[0], new int[] {2, 2}, null, new int[] {0, 1},
                        new int[] {1, 1}, false), r(2, 1, 4, 5)),
                c("maxPool2d ceil stride", in -> Functions.maxPool2d(in[0], new int[] {3, 2}, new int[] {2, 2},
                        new int[] {1, 0}, new int[] {1, 1}, true), r(1, 2, 5, 5)),
                c("avgPool2d", in -> Functions.avgPool2d(in[0], new int[] {3, 3}, new int[] {2, 2},
                        new int[] {1, 1}, false, false, 0), r(1, 2, 5, 4)),
                c("avgPool2d include pad ceil", in -> Functions.avgPool2d(in[0], new int[] {2, 2}, null,
                        new int[] {1, 0}, true, true, 0), r(1, 1, 5, 5)),
                c("adaptiveAvgPool2d uneven", in -> Functions.adaptiveAvgPool2d(in[0], 3, 4), r(1, 2, 5, 7)),
                c("adaptiveAvgPool2d divisible", in -> Functions.adaptiveAvgPool2d(in[0], 2, 3), r(1, 2, 4, 6)),
                c("adaptiveAvgPool2d global", in -> Functions.adaptiveAvgPool2d(in[0], 1, 1), r(2, 2, 3, 3)),
                c("embedding duplicates", in -> Functions.embedding(in[0], emb, -1), r(4, 3)),
                c("dropout", in -> Functions.dropout(in[0], 0.4, true, new Generator(7)), r(4, 5)),
                c("linear", in -> Functions.linear(in[0], in[1], in[2]), r(2, 3, 4), r(5, 4), r(5)),
                // the fused recurrent nodes: xg [T, B, gates*H], W_hh [gates*H, H], states [B, H]; the sum of all
                // outputs so that every output (sequence, hN, cN) carries gradient
                c("lstm layer", in -> sumAll(RecurrentFunctions.lstmLayer(in[0], in[1], in[2], in[3], null, false)),
                        r(3, 2, 8), r(8, 2), r(2, 2), r(2, 2)),
                c("lstm layer reverse with lengths", in -> sumAll(RecurrentFunctions.lstmLayer(in[0], in[1], in[2],
                        in[3], new int[] {3, 2}, true)), r(3, 2, 8), r(8, 2), r(2, 2), r(2, 2)),
                c("gru layer", in -> sumAll(RecurrentFunctions.gruLayer(in[0], in[1], in[2], in[3], null, false)),
                        r(3, 2, 6), r(6, 2), r(6), r(2, 2)),
                c("rnn tanh layer", in -> sumAll(RecurrentFunctions.rnnLayer(in[0], in[1], in[2], false,
                        new int[] {3, 1}, false)), r(3, 2, 2), r(2, 2), r(2, 2)),
                c("crossEntropy mean", in -> Functions.crossEntropy(in[0], target, null, -100, 0, Reduction.MEAN),
                        r(5, 4)),
                c("crossEntropy weights ignore smoothing mean", in -> Functions.crossEntropy(in[0], targetIgn,
                        classW, -100, 0.2, Reduction.MEAN), r(5, 4)),
                c("crossEntropy smoothing none", in -> Functions.crossEntropy(in[0], targetIgn, null, -100, 0.3,
                        Reduction.NONE), r(5, 4)),
                c("crossEntropy weights sum", in -> Functions.crossEntropy(in[0], target, classW, -100, 0,
                        Reduction.SUM), r(5, 4)),
                c("crossEntropy spatial", in -> Functions.crossEntropy(in[0], spatialTarget,
                        Tensor.of(new double[] {1, 2, 0.5}, 3), 1, 0.1, Reduction.MEAN), r(2, 3, 2, 3)),
                c("nllLoss weights ignore", in -> Functions.nllLoss(in[0].logSoftmax(1), targetIgn, classW, -100,
                        Reduction.MEAN), r(5, 4)),
                c("nllLoss none", in -> Functions.nllLoss(in[0], target, null, -100, Reduction.NONE), r(5, 4)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("primitives")
    void gradCheck_primitive_matchesFiniteDifferences(String name, Function<Tensor[], Tensor> fn, Tensor[] inputs) {
        GradCheck.check(fn, inputs);
    }
}
