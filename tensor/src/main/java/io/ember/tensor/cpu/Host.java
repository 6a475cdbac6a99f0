package io.ember.tensor.cpu;

import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;

/** Typed access to the Java array behind a host array. */
final class Host {
    private Host() {
    }

    static float[] f(NDArray x) {
        return ((HostStorage) x.storage()).floats();
    }

    static double[] d(NDArray x) {
        return ((HostStorage) x.storage()).doubles();
    }

    static long[] l(NDArray x) {
        return ((HostStorage) x.storage()).longs();
    }

    static boolean[] b(NDArray x) {
        return ((HostStorage) x.storage()).bools();
    }

    /** The shape as an int array. */
    static int[] shape(NDArray x) {
        return x.shape().toArray();
    }
}
