package io.ember.autograd;

import io.ember.tensor.DType;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A function in the recorded graph, like PyTorch's {@code grad_fn}: {@link Tensor#gradFn()} returns the node that
 * produced a tensor. Its {@link #name()} reads like PyTorch's ({@code MulBackward}, {@code AccumulateGrad}) and
 * {@link #nextFunctions()} walks the graph towards the leaves.
 *
 * <p>Implementation contract for primitives (package-private subclasses): the forward side computes on the raw
 * {@link NDArray}s, keeps only what backward needs through {@link #save}, and {@link #backward(NDArray[])} returns
 * one gradient per input (null where an input needs none). A gradient may have the broadcast shape of the output:
 * the engine reduces it to the input's shape and casts it to the input's dtype.
 */
public abstract class Node {
    /** Where each input's gradient goes: the input's own node and which of its outputs; null if not needed. */
    Node[] nextNodes = new Node[0];
    int[] nextOutputNr = new int[0];
    int[][] inputShapes = new int[0][];
    DType[] inputDtypes = new DType[0];
    int numOutputs = 1;
    /** Tensors that asked {@link Tensor#retainGrad()}, per output. */
    Tensor[] retained;
    /** Saved raw arrays; null once released. */
    private NDArray[] saved;
    private boolean released;
    /** Where the forward op ran, recorded in anomaly mode only. */
    StackTraceElement[] creation;

    /** Gradients of the inputs given the gradients of the outputs (null entries: that output got no gradient). */
    abstract NDArray[] backward(NDArray[] gradOutputs);

    /** The name shown for this node, as PyTorch shows {@code grad_fn}. */
    public String name() {
        String n = getClass().getSimpleName();
        return n.endsWith("Backward") || n.equals("AccumulateGrad") ? n : n + "Backward";
    }

    /** The nodes the gradient flows to next (null where an input needs no gradient). */
    public List<Node> nextFunctions() {
        List<Node> out = new ArrayList<>(nextNodes.length);
        Collections.addAll(out, nextNodes);
        return Collections.unmodifiableList(out);
    }

    /** Whether input {@code i} needs a gradient. */
    final boolean needsGrad(int i) {
        return i < nextNodes.length && nextNodes[i] != null;
    }

    /** Keeps arrays for backward. */
    final void save(NDArray... arrays) {
        this.saved = arrays;
    }

    /** A saved array; fails clearly after the graph was freed by a backward without retainGraph. */
    final NDArray saved(int i) {
        if (released) {
            throw freed();
        }
        return saved[i];
    }

    final void release() {
        released = true;
        saved = null;
        onRelease();
    }

    /** True where backward may return arrays held elsewhere (user code), which a leaf must then copy. */
    boolean gradientsMayAlias() {
        return false;
    }

    /** Frees what a subclass keeps outside {@link #save}. */
    void onRelease() {
    }

    final boolean isReleased() {
        return released;
    }

    final IllegalStateException freed() {
        return new IllegalStateException("backward: trying to backward through " + name()
                + " a second time; its saved tensors were freed by the first backward. Pass retainGraph=true"
                + " to the first backward() if you need to backward twice");
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
