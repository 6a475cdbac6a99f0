package io.ember.autograd;

import io.ember.tensor.NDArray;
import java.util.Arrays;

/** Records primitive ops into the graph; the one place that decides whether an op needs a node. */
final class Graph {
    private Graph() {
    }

    /** Whether an op over these inputs must record a node. */
    static boolean needed(Tensor... inputs) {
        if (!Autograd.isGradEnabled()) {
            return false;
        }
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    static boolean needed(Tensor a) {
        return a.requiresGrad() && Autograd.isGradEnabled();
    }

    /** An op's result that records nothing (anomaly mode still checks it). */
    static Tensor plain(String op, NDArray out) {
        if (Autograd.isAnomalyEnabled()) {
            checkForward(op, out);
        }
        return new Tensor(out, false);
    }

    /** Links {@code node} to the inputs and returns its output tensor. */
    static Tensor record(Node node, NDArray out, Tensor... inputs) {
        link(node, inputs);
        return output(node, out, 0);
    }

    /** Links a multi-output node; then call {@link #output} per output. */
    static void link(Node node, Tensor... inputs) {
        int n = inputs.length;
        node.nextNodes = new Node[n];
        node.nextOutputNr = new int[n];
        node.inputShapes = new int[n][];
        node.inputDtypes = new io.ember.tensor.DType[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (t == null) {
                continue;
            }
            node.inputShapes[i] = t.data().shape().toArray();
            node.inputDtypes[i] = t.dtype();
            if (t.requiresGrad()) {
                if (t.isInference()) {
                    throw new IllegalStateException(node.name() + ": input " + i + " " + t.data().shape()
                            + " is an inference tensor (made in Autograd.inferenceMode()) and cannot be used in an op"
                            + " that records the graph; make a normal tensor with clone() outside inference mode");
                }
                node.nextNodes[i] = t.gradFn() != null ? t.gradFn() : t.accumulator();
                node.nextOutputNr[i] = t.gradFn() != null ? t.outputNr() : 0;
            }
        }
        if (Autograd.isAnomalyEnabled()) {
            StackTraceElement[] st = new Throwable().getStackTrace();
            node.creation = Arrays.copyOfRange(st, Math.min(2, st.length), st.length);
        }
    }

    static Tensor output(Node node, NDArray out, int outputNr) {
        if (Autograd.isAnomalyEnabled()) {
            String n = node.name().replace("Backward", "");
            checkForward(Character.toLowerCase(n.charAt(0)) + n.substring(1), out);
        }
        return new Tensor(out, node, outputNr);
    }

    static void checkForward(String op, NDArray out) {
        if (out.dtype().isFloating() && !out.isFinite().all().getBoolean()) {
            throw new IllegalStateException("anomaly: " + op + " produced NaN/Inf in its output " + out.shape());
        }
    }
}
