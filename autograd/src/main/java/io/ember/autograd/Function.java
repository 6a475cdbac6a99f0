package io.ember.autograd;

import io.ember.tensor.NDArray;
import java.util.Arrays;

/**
 * A user-defined differentiable op with its forward and backward in one class, like
 * {@code torch.autograd.Function}. Forward runs without recording; backward gets the gradient of the output and
 * returns one gradient per input (null where none).
 *
 * <pre>{@code
 * final class Cube extends Function {
 *     protected Tensor forward(Context ctx, Tensor... in) {
 *         ctx.saveForBackward(in[0]);
 *         return in[0].pow(3);
 *     }
 *     protected Tensor[] backward(Context ctx, Tensor grad) {
 *         Tensor x = ctx.saved(0);
 *         return new Tensor[] {grad.mul(x.square()).mul(3)};
 *     }
 * }
 * Tensor y = new Cube().apply(x);
 * }</pre>
 */
public abstract class Function {
    /** What forward leaves for backward. */
    public static final class Context {
        private Tensor[] saved = new Tensor[0];
        private boolean[] needsInputGrad;
        private boolean released;
        private final java.util.Map<String, Object> values = new java.util.HashMap<>();

        /** Keeps tensors for backward (they are detached from the graph). */
        public void saveForBackward(Tensor... tensors) {
            saved = new Tensor[tensors.length];
            for (int i = 0; i < tensors.length; i++) {
                saved[i] = tensors[i] == null ? null : tensors[i].detach();
            }
        }

        public Tensor saved(int i) {
            if (released) {
                throw new IllegalStateException("Function.Context: saved tensors were freed by an earlier backward;"
                        + " pass retainGraph=true to backward twice");
            }
            return saved[i];
        }

        /** Whether input {@code i} needs a gradient (backward may skip the others). */
        public boolean needsInputGrad(int i) {
            return needsInputGrad[i];
        }

        /** Keeps a non-tensor value (a size, a flag) for backward. */
        public void put(String key, Object value) {
            values.put(key, value);
        }

        @SuppressWarnings("unchecked")
        public <T> T get(String key) {
            return (T) values.get(key);
        }
    }

    /** Computes the output; runs with recording off. */
    protected abstract Tensor forward(Context ctx, Tensor... inputs);

    /** The gradients of the inputs given the output's gradient; runs with recording off. */
    protected abstract Tensor[] backward(Context ctx, Tensor gradOutput);

    /** Runs forward and, if any input requires grad, records a node whose backward calls {@link #backward}. */
    public final Tensor apply(Tensor... inputs) {
        Context ctx = new Context();
        ctx.needsInputGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            ctx.needsInputGrad[i] = inputs[i] != null && inputs[i].requiresGrad();
        }
        boolean record = Graph.needed(inputs);
        Tensor out;
        try (Autograd.Scope s = Autograd.noGrad()) {
            out = forward(ctx, inputs);
        }
        if (out == null) {
            throw new IllegalStateException(getClass().getSimpleName() + ".forward returned null");
        }
        if (!record) {
            return Graph.plain(getClass().getSimpleName(), out.data());
        }
        return Graph.record(new CustomNode(this, ctx, inputs.length), out.data(), inputs);
    }

    /** The graph node of a custom function; its name is the function's class name plus "Backward". */
    private static final class CustomNode extends Node {
        private final Function fn;
        private final Context ctx;
        private final int arity;

        CustomNode(Function fn, Context ctx, int arity) {
            this.fn = fn;
            this.ctx = ctx;
            this.arity = arity;
        }

        @Override
        public String name() {
            return fn.getClass().getSimpleName() + "Backward";
        }

        @Override
        NDArray[] backward(NDArray[] gradOutputs) {
            if (ctx.released) {
                throw freed();
            }
            Tensor[] grads = fn.backward(ctx, Tensor.of(gradOutputs[0]));
            if (grads == null || grads.length != arity) {
                throw new IllegalStateException(name() + ": backward returned " + (grads == null ? "null"
                        : grads.length + " gradients") + " but the function has " + arity + " inputs");
            }
            NDArray[] out = new NDArray[arity];
            for (int i = 0; i < arity; i++) {
                if (grads[i] != null && needsGrad(i)) {
                    if (!grads[i].shape().equals(io.ember.tensor.Shape.of(inputShapes[i]))
                            && !broadcastable(grads[i].sizes(), inputShapes[i])) {
                        throw new IllegalStateException(name() + ": backward returned a gradient of shape "
                                + grads[i].shape() + " for input " + i + " of shape " + Arrays.toString(inputShapes[i]));
                    }
                    out[i] = grads[i].data();
                }
            }
            return out;
        }

        private static boolean broadcastable(int[] grad, int[] input) {
            if (grad.length < input.length) {
                return false;
            }
            int lead = grad.length - input.length;
            for (int d = 0; d < input.length; d++) {
                if (input[d] != grad[d + lead] && input[d] != 1) {
                    return false;
                }
            }
            return true;
        }

        @Override
        boolean gradientsMayAlias() {
            return true;
        }

        @Override
        void onRelease() {
            ctx.released = true;
            ctx.saved = null;
        }
    }
}
