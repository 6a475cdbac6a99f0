package io.ember.tensor.spi;

import io.ember.tensor.Device;
import io.ember.tensor.cpu.CpuBackend;

import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds the backend of a device: CPU built in, others through {@link ServiceLoader}. */
public final class Backends {
    private static final Map<Device.Type, Backend> BACKENDS = load();

    private Backends() {
    }

    private static Map<Device.Type, Backend> load() {
        Map<Device.Type, Backend> m = new EnumMap<>(Device.Type.class);
        m.put(Device.Type.CPU, CpuBackend.INSTANCE);
        for (Backend b : ServiceLoader.load(Backend.class, Backends.class.getClassLoader())) {
            m.putIfAbsent(b.deviceType(), b);
        }
        return m;
    }

    public static Backend cpu() {
        return CpuBackend.INSTANCE;
    }

    /** The backend for a device, or an error saying why there is none. */
    public static Backend of(Device device) {
        Backend b = BACKENDS.get(device.type());
        if (b == null) {
            throw new IllegalStateException("no backend for device " + device
                    + ": add ember-gpu to the classpath for CUDA devices");
        }
        if (!b.isAvailable()) {
            throw new IllegalStateException("device " + device + " is not available: " + b.unavailableReason());
        }
        if (device.index() >= b.deviceCount()) {
            throw new IllegalArgumentException("device " + device + " does not exist: " + b.deviceCount()
                    + " " + device.type().name().toLowerCase(java.util.Locale.ROOT) + " device(s) present");
        }
        return b;
    }

    /** How many devices of this type can be used (0 when no backend is on the classpath or none is available). */
    public static int count(Device.Type type) {
        Backend b = BACKENDS.get(type);
        return b != null && b.isAvailable() ? b.deviceCount() : 0;
    }

    /** Why devices of this type cannot be used, in one line, or null when they can. */
    public static String unavailableReason(Device.Type type) {
        Backend b = BACKENDS.get(type);
        if (b == null) {
            return "no " + type.name().toLowerCase(java.util.Locale.ROOT) + " backend on the classpath"
                    + (type == Device.Type.CUDA ? " (add ember-gpu)" : "");
        }
        return b.isAvailable() ? null : b.unavailableReason();
    }

    /** Whether a backend for this device type is on the classpath and has a device. */
    public static boolean isAvailable(Device.Type type) {
        Backend b = BACKENDS.get(type);
        return b != null && b.isAvailable();
    }
}
