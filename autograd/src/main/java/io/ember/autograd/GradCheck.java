package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.function.Function;

/**
 * Checks an op's backward against central finite differences, like {@code torch.autograd.gradcheck}. Use float64
 * inputs. For a non-scalar output the check is on {@code sum(out * v)} for a fixed random {@code v}, which covers
 * every output element.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** {@link #check(Function, double, double, double, Tensor...)} with eps 1e-6, atol 1e-5, rtol 1e-3. */
    public static void check(Function<Tensor[], Tensor> fn, Tensor... inputs) {
        check(fn, 1e-6, 1e-5, 1e-3, inputs);
    }

    /**
     * Compares, for every element of every input that requires grad, the analytical gradient with
     * {@code (f(x + eps) - f(x - eps)) / 2 eps}; throws {@link AssertionError} naming the input, the element and
     * both values on the first mismatch beyond {@code atol + rtol |numerical|}.
     */
    public static void check(Function<Tensor[], Tensor> fn, double eps, double atol, double rtol, Tensor... inputs) {
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null && inputs[i].requiresGrad() && inputs[i].dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradcheck: input " + i + " is " + inputs[i].dtype()
                        + "; use float64 inputs for finite differences");
            }
        }
        Tensor out0 = fn.apply(inputs);
        NDArray v = NDArray.uniform(new Generator(1234), 0.5, 1.5, out0.sizes()).to(out0.dtype());
        for (Tensor t : inputs) {
            if (t != null) {
                t.zeroGrad();
            }
        }
        Tensor loss = out0.mul(Tensor.of(v)).sum();
        if (!loss.requiresGrad()) {
            throw new AssertionError("gradcheck: the output does not require grad; no input reaches it");
        }
        loss.backward();
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null || !t.requiresGrad()) {
                continue;
            }
            NDArray analytic = t.grad() == null ? NDArray.zerosLike(t.data()) : t.grad().data();
            NDArray x = t.data();
            int n = x.numel();
            int[] shape = x.shape().toArray();
            int[] idx = new int[shape.length];
            for (int e = 0; e < n; e++) {
                unravel(e, shape, idx);
                double orig = x.getDouble(idx);
                x.set(orig + eps, idx);
                double plus = eval(fn, inputs, v);
                x.set(orig - eps, idx);
                double minus = eval(fn, inputs, v);
                x.set(orig, idx);
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic.getDouble(idx);
                if (!(Math.abs(a - numeric) <= atol + rtol * Math.abs(numeric))) {
                    throw new AssertionError("gradcheck: input " + i + " " + x.shape() + " element "
                            + java.util.Arrays.toString(idx) + ": backward gives " + a + ", finite differences give "
                            + numeric);
                }
            }
        }
    }

    private static double eval(Function<Tensor[], Tensor> fn, Tensor[] inputs, NDArray v) {
        try (Autograd.Scope s = Autograd.noGrad()) {
            return fn.apply(inputs).data().mul(v).sum().item();
        }
    }

    private static void unravel(int flat, int[] shape, int[] idx) {
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = flat % shape[d];
            flat /= shape[d];
        }
    }
}
