package io.ember.spark.train;

import io.ember.tensor.Device;
import io.ember.tensor.spi.Backends;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the device a task trains on. {@code "auto"}: the GPU Spark's resource scheduling assigned to the task
 * ({@code spark.task.resource.gpu.amount}), when Ember's CUDA backend is available, else the CPU; {@code "cpu"};
 * {@code "cuda"}: the assigned GPU or an error. Falling back to the CPU is said once per JVM.
 */
final class DeviceChoice {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceChoice.class);
    private static final AtomicBoolean SAID = new AtomicBoolean();

    private DeviceChoice() {
    }

    static String validate(String mode) {
        String m = mode == null ? "" : mode.trim().toLowerCase(Locale.ROOT);
        if (!m.equals("auto") && !m.equals("cpu") && !m.equals("cuda")) {
            throw new IllegalArgumentException("DistributedTrainer: device must be auto, cpu or cuda, got '" + mode
                    + "'");
        }
        return m;
    }

    /**
     * The device for a task given its assigned GPU addresses (null or empty: none) and whether the CUDA backend is
     * available in this JVM.
     */
    static Device choose(String mode, String[] gpuAddresses, boolean cudaAvailable) {
        boolean assigned = gpuAddresses != null && gpuAddresses.length > 0;
        switch (mode) {
            case "cpu":
                return Device.CPU;
            case "cuda":
                if (!assigned) {
                    throw new IllegalStateException("DistributedTrainer: device is cuda, but Spark assigned no GPU to"
                            + " this task (set spark.executor.resource.gpu.amount and"
                            + " spark.task.resource.gpu.amount)");
                }
                if (!cudaAvailable) {
                    throw new IllegalStateException("DistributedTrainer: device is cuda and Spark assigned GPU "
                            + gpuAddresses[0] + ", but Ember's CUDA backend is not available in this executor"
                            + " (is ember-gpu on the classpath and the NVIDIA driver installed?)");
                }
                return Device.cuda(parse(gpuAddresses[0]));
            default:
                if (assigned && cudaAvailable) {
                    return Device.cuda(parse(gpuAddresses[0]));
                }
                sayOnce(assigned
                        ? "Spark assigned GPU " + gpuAddresses[0] + " but Ember's CUDA backend is not available"
                                + " (ember-gpu on the classpath and an NVIDIA driver are needed): training on CPU"
                        : "no GPU assigned to the tasks (spark.task.resource.gpu.amount): training on CPU");
                return Device.CPU;
        }
    }

    static boolean cudaAvailable() {
        try {
            return Backends.isAvailable(Device.Type.CUDA);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static int parse(String address) {
        try {
            return Integer.parseInt(address.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("DistributedTrainer: GPU address '" + address
                    + "' from Spark's resource scheduling is not a device index");
        }
    }

    /** Logs {@code message} the first time only; true when it was logged now. */
    static boolean sayOnce(String message) {
        if (SAID.compareAndSet(false, true)) {
            LOG.info("Ember: {}", message);
            return true;
        }
        return false;
    }

    /** On the driver: says once what the tasks will run on when no GPUs are configured for them. */
    static void sayOnceOnDriver(String mode, org.apache.spark.api.java.JavaSparkContext jsc) {
        if (mode.equals("cpu")) {
            return;
        }
        String amount = jsc.getConf().get("spark.task.resource.gpu.amount", "");
        if (amount.isEmpty()) {
            sayOnce("no GPU assigned to the tasks (spark.task.resource.gpu.amount is not set): training on CPU");
        }
    }
}
