package io.ember.autograd;

import io.ember.tensor.Device;
import io.ember.tensor.NDArray;

/** A copy to another device; the gradient is copied back. */
final class ToDevice extends Node {
    private final Device source;

    private ToDevice(Device source) {
        this.source = source;
    }

    static Tensor apply(Tensor a, Device device) {
        NDArray out = a.data().to(device);
        return Graph.needed(a) ? Graph.record(new ToDevice(a.device()), out, a) : Graph.plain("to", out);
    }

    @Override
    NDArray[] backward(NDArray[] g) {
        return new NDArray[] {g[0].to(source)};
    }
}
