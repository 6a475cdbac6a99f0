package io.ember.autograd;

import io.ember.tensor.NDArray;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/** The backward pass: a topological walk from the root's node, summing gradients that meet. */
final class Engine {
    private Engine() {
    }

    static void backward(Tensor root, NDArray grad, boolean retainGraph) {
        Node start = root.gradFn() != null ? root.gradFn() : root.requiresGrad() ? root.accumulator() : null;
        if (start == null) {
            throw new IllegalStateException("backward: the tensor " + root.data().shape()
                    + " does not require grad and has no gradFn; call requiresGrad(true) on the leaves you want"
                    + " gradients for, outside a noGrad scope");
        }
        // count how many edges reach each node
        Map<Node, int[]> deps = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        deps.put(start, new int[1]);
        stack.push(start);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node next : n.nextNodes) {
                if (next == null) {
                    continue;
                }
                int[] d = deps.get(next);
                if (d == null) {
                    deps.put(next, new int[] {1});
                    stack.push(next);
                } else {
                    d[0]++;
                }
            }
        }
        Map<Node, NDArray[]> buffers = new IdentityHashMap<>();
        // whether a buffered gradient is an array no one else holds, which a leaf may then keep without a copy
        Map<Node, boolean[]> fresh = new IdentityHashMap<>();
        NDArray[] first = new NDArray[start.numOutputs];
        first[start == root.gradFn() ? root.outputNr() : 0] = grad;
        buffers.put(start, first);
        ArrayDeque<Node> ready = new ArrayDeque<>();
        ready.add(start);
        try (Autograd.Scope s = Autograd.noGrad()) {
            while (!ready.isEmpty()) {
                Node n = ready.poll();
                NDArray[] gradOut = buffers.remove(n);
                if (n.retained != null) {
                    for (int i = 0; i < n.retained.length; i++) {
                        if (n.retained[i] != null && gradOut[i] != null) {
                            n.retained[i].accumulateGrad(gradOut[i]);
                        }
                    }
                }
                if (n.isReleased()) {
                    throw n.freed();
                }
                if (n instanceof AccumulateGrad acc) {
                    boolean[] f = fresh.remove(n);
                    if (gradOut[0] != null) {
                        acc.leaf.accumulateGrad(gradOut[0], f != null && f[0]);
                    }
                    continue;
                }
                fresh.remove(n);
                NDArray[] gradIn = n.backward(gradOut);
                if (!retainGraph && !(n instanceof AccumulateGrad)) {
                    n.release();
                }
                for (int i = 0; i < n.nextNodes.length; i++) {
                    Node next = n.nextNodes[i];
                    if (next == null) {
                        continue;
                    }
                    NDArray g = i < gradIn.length ? gradIn[i] : null;
                    if (g != null) {
                        g = fit(n, i, g);
                        if (Autograd.isAnomalyEnabled()) {
                            checkBackward(n, i, g);
                        }
                        NDArray[] buf = buffers.computeIfAbsent(next, k -> new NDArray[k.numOutputs]);
                        boolean[] f = fresh.computeIfAbsent(next, k -> new boolean[k.numOutputs]);
                        int slot = n.nextOutputNr[i];
                        if (buf[slot] == null) {
                            buf[slot] = g;
                            f[slot] = exclusive(n, i, gradIn, gradOut);
                        } else {
                            buf[slot] = buf[slot].add(g);
                            f[slot] = true;
                        }
                    }
                    if (--deps.get(next)[0] == 0) {
                        if (buffers.containsKey(next)) {
                            ready.add(next);
                        } else {
                            releaseUnreached(next, deps, buffers, ready, retainGraph);
                        }
                    }
                }
            }
        }
    }

    /**
     * Whether gradient {@code i} returned by a primitive is an array of its own: not one of the incoming gradients
     * (or a view of one) and not shared with another returned gradient. Custom functions may return anything, so
     * their gradients never count as exclusive.
     */
    private static boolean exclusive(Node n, int i, NDArray[] gradIn, NDArray[] gradOut) {
        if (n.gradientsMayAlias()) {
            return false;
        }
        NDArray g = gradIn[i];
        for (NDArray o : gradOut) {
            if (o != null && g.sharesStorage(o)) {
                return false;
            }
        }
        for (int j = 0; j < gradIn.length; j++) {
            if (j != i && gradIn[j] != null && g.sharesStorage(gradIn[j])) {
                return false;
            }
        }
        return true;
    }

    /** A node all of whose incoming gradients were null: its subgraph gets nothing, but its edges still count. */
    private static void releaseUnreached(Node n, Map<Node, int[]> deps, Map<Node, NDArray[]> buffers,
            ArrayDeque<Node> ready, boolean retainGraph) {
        ArrayDeque<Node> todo = new ArrayDeque<>();
        todo.add(n);
        while (!todo.isEmpty()) {
            Node m = todo.poll();
            if (!retainGraph && !(m instanceof AccumulateGrad)) {
                m.release();
            }
            for (Node next : m.nextNodes) {
                if (next != null && --deps.get(next)[0] == 0) {
                    if (buffers.containsKey(next)) {
                        ready.add(next);
                    } else {
                        todo.add(next);
                    }
                }
            }
        }
    }

    /** Reduces a broadcast gradient to the input's shape and casts it to the input's dtype. */
    static NDArray fit(Node n, int i, NDArray g) {
        int[] want = n.inputShapes[i];
        int[] have = g.shape().toArray();
        if (!Arrays.equals(want, have)) {
            g = sumToShape(n.name(), g, want);
        }
        if (g.dtype() != n.inputDtypes[i]) {
            g = g.to(n.inputDtypes[i]);
        }
        return g;
    }

    static NDArray sumToShape(String op, NDArray g, int[] want) {
        int[] have = g.shape().toArray();
        int lead = have.length - want.length;
        if (lead < 0) {
            throw new IllegalStateException(op + ": gradient " + Arrays.toString(have)
                    + " cannot be reduced to the input's shape " + Arrays.toString(want));
        }
        int count = lead;
        for (int d = 0; d < want.length; d++) {
            if (want[d] != have[d + lead]) {
                if (want[d] != 1) {
                    throw new IllegalStateException(op + ": gradient " + Arrays.toString(have)
                            + " cannot be reduced to the input's shape " + Arrays.toString(want));
                }
                count++;
            }
        }
        int[] dims = new int[count];
        int k = 0;
        for (int d = 0; d < lead; d++) {
            dims[k++] = d;
        }
        for (int d = 0; d < want.length; d++) {
            if (want[d] != have[d + lead]) {
                dims[k++] = d + lead;
            }
        }
        NDArray r = dims.length == 0 ? g : g.sum(dims, true);
        return r.reshape(want);
    }

    private static void checkBackward(Node n, int i, NDArray g) {
        if (g.dtype().isFloating() && !g.isFinite().all().getBoolean()) {
            StringBuilder where = new StringBuilder();
            if (n.creation != null) {
                for (int k = 0; k < Math.min(8, n.creation.length); k++) {
                    where.append("\n    at ").append(n.creation[k]);
                }
            }
            throw new IllegalStateException("anomaly: " + n.name() + " returned NaN/Inf in the gradient of its input "
                    + i + " " + g.shape() + "; the forward op was called" + (where.length() == 0
                            ? " before anomaly mode was on" : ":" + where));
        }
    }
}
