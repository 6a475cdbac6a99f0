package io.ember.tensor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-only 0-d constants on devices, for the scalar operands of elementwise ops ({@code x.mul(2)}): cached per
 * (device, dtype, value), so an op with a Java scalar costs neither a host-to-device copy (a synchronisation on a GPU)
 * nor an extra kernel launch. Kept out of every {@link MemoryScope}; never handed to user code, never written. At
 * most {@link #MAX} constants are cached (about 2 MiB of device memory); past that, constants are made per use and
 * released with the scope like any temporary.
 */
public final class DeviceConstants {
    public static final int MAX = 4096;

    private static final Map<Key, NDArray> CACHE = new ConcurrentHashMap<>();

    private record Key(Device device, DType dtype, long bits) {
    }

    private DeviceConstants() {
    }

    static NDArray scalar(DType dtype, double value, Device device) {
        Key key = new Key(device, dtype, Double.doubleToRawLongBits(value));
        NDArray s = CACHE.get(key);
        if (s != null) {
            return s;
        }
        if (CACHE.size() >= MAX) {
            return Creation.full(dtype, value, new int[0], device);
        }
        s = MemoryScope.keep(Creation.full(dtype, value, new int[0], device));
        NDArray prev = CACHE.putIfAbsent(key, s);
        return prev != null ? prev : s;
    }

    /** How many constants are cached now (on every device). */
    public static int size() {
        return CACHE.size();
    }
}
