package io.ember.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ember.tensor.Device;
import org.junit.jupiter.api.Test;

class DeviceChoiceTest {
    @Test
    void choose_auto_usesAssignedGpuOnlyWhenTheBackendIsThere() {
        assertEquals(Device.cuda(1), DeviceChoice.choose("auto", new String[] {"1"}, true));
        assertEquals(Device.CPU, DeviceChoice.choose("auto", new String[] {"1"}, false));
        assertEquals(Device.CPU, DeviceChoice.choose("auto", null, true));
        assertEquals(Device.CPU, DeviceChoice.choose("auto", new String[0], true));
    }

    @Test
    void choose_cpu_ignoresGpus() {
        assertEquals(Device.CPU, DeviceChoice.choose("cpu", new String[] {"0"}, true));
    }

    @Test
    void choose_cuda_withoutGpuOrBackend_failsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DeviceChoice.choose("cuda", null, true));
        assertEquals("DistributedTrainer: device is cuda, but Spark assigned no GPU to this task (set"
                + " spark.executor.resource.gpu.amount and spark.task.resource.gpu.amount)", e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> DeviceChoice.choose("cuda", new String[] {"2"}, false));
        assertEquals("DistributedTrainer: device is cuda and Spark assigned GPU 2, but Ember's CUDA backend is not"
                + " available in this executor (is ember-gpu on the classpath and the NVIDIA driver installed?)",
                e.getMessage());
        assertEquals(Device.cuda(2), DeviceChoice.choose("cuda", new String[] {"2"}, true));
    }

    @Test
    void cudaAvailable_withoutGpuBackend_isFalseNotACrash() {
        assertEquals(false, DeviceChoice.cudaAvailable());
    }
}
