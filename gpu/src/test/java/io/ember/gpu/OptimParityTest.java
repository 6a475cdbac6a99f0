package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ember.autograd.Tensor;
import io.ember.optim.Adam;
import io.ember.optim.AdamW;
import io.ember.optim.Optimizer;
import io.ember.optim.OptimizerState;
import io.ember.optim.SGD;
import io.ember.tensor.Device;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The optimizers on a GPU copy of some parameters against the same optimizers on a CPU copy, fed the same gradients:
 * on the GPU they take the fused kernels of {@link CudaOptim}, on the CPU the fused loops of
 * {@code io.ember.optim.Fused}, which do the same float operations in the same order, so parameters and state agree
 * bit for bit. Shapes include sizes that are not multiples of 4 (the scalar tail after the float4 part) and a
 * parameter at an odd offset of its storage (no float4 at all).
 */
class OptimParityTest {
    private static final int[][] SHAPES = {{17}, {64, 33}, {5, 4, 3}, {1}};
    private static final int ODD = 37; // the parameter that sits one float into its storage

    /** One side's parameters, and the arrays to read them back through (contiguous, whole storages). */
    private record Side(List<Tensor> params, List<NDArray> readBack) {
    }

    private static Side side(Device device) {
        List<Tensor> params = new ArrayList<>();
        List<NDArray> readBack = new ArrayList<>();
        for (int i = 0; i < SHAPES.length; i++) {
            NDArray a = GpuTests.rand(100 + i, SHAPES[i]).to(device);
            params.add(Tensor.of(a).requiresGrad(true));
            readBack.add(a);
        }
        NDArray base = NDArray.zeros(ODD + 1);
        base.narrow(0, 1, ODD).copyFrom(GpuTests.rand(110, ODD));
        base = base.to(device);
        params.add(Tensor.of(base.narrow(0, 1, ODD)).requiresGrad(true));
        readBack.add(base);
        return new Side(params, readBack);
    }

    /** Sets the same random gradients on both sides (from the host, so they are identical). */
    private static void grads(Side cpu, Side gpu, Device device, int step) {
        for (int i = 0; i < cpu.params().size(); i++) {
            NDArray g = GpuTests.rand(1000L * step + i, cpu.params().get(i).sizes());
            cpu.params().get(i).setGrad(Tensor.of(g));
            gpu.params().get(i).setGrad(Tensor.of(g.to(device)));
        }
    }

    private static void run(String what, Function<List<Tensor>, Optimizer> make, int steps, double rtol) {
        Device device = GpuTests.gpu();
        Side cpu = side(Device.CPU);
        Side gpu = side(device);
        Optimizer oc = make.apply(cpu.params());
        Optimizer og = make.apply(gpu.params());
        for (int s = 0; s < steps; s++) {
            grads(cpu, gpu, device, s);
            oc.step();
            og.step();
        }
        for (int i = 0; i < cpu.readBack().size(); i++) {
            GpuTests.assertClose(cpu.readBack().get(i), gpu.readBack().get(i), rtol, rtol * 1e-2,
                    what + ": parameter " + i + " after " + steps + " steps");
        }
        OptimizerState sc = oc.stateDict();
        OptimizerState sg = og.stateDict();
        assertEquals(sc.meta(), sg.meta(), what + ": steps and options");
        assertEquals(sc.tensors().keySet(), sg.tensors().keySet(), what + ": state names");
        for (Map.Entry<String, NDArray> e : sc.tensors().entrySet()) {
            GpuTests.assertClose(e.getValue(), sg.tensors().get(e.getKey()), rtol, rtol * 1e-2,
                    what + ": " + e.getKey() + " after " + steps + " steps");
        }
    }

    private static final Map<String, Function<List<Tensor>, Optimizer>> CASES = new java.util.LinkedHashMap<>();

    static {
        CASES.put("sgd", p -> new SGD(p, new SGD.Options().lr(0.1)));
        CASES.put("sgd momentum dampening", p -> new SGD(p, new SGD.Options().lr(0.1).momentum(0.9).dampening(0.2)));
        CASES.put("sgd nesterov", p -> new SGD(p, new SGD.Options().lr(0.05).momentum(0.9).nesterov(true)));
        CASES.put("sgd weight decay", p -> new SGD(p, new SGD.Options().lr(0.1).momentum(0.5).weightDecay(0.01)));
        CASES.put("sgd plain weight decay", p -> new SGD(p, new SGD.Options().lr(0.1).weightDecay(0.05)));
        CASES.put("sgd maximize", p -> new SGD(p, new SGD.Options().lr(0.1).momentum(0.9).maximize(true)));
        CASES.put("adam", p -> new Adam(p, new Adam.Options().lr(1e-2)));
        CASES.put("adam l2", p -> new Adam(p, new Adam.Options().lr(1e-2).weightDecay(0.1).betas(0.8, 0.99)));
        CASES.put("adam amsgrad", p -> new Adam(p, new Adam.Options().lr(1e-2).amsgrad(true)));
        CASES.put("adam maximize", p -> new Adam(p, new Adam.Options().lr(1e-2).maximize(true).eps(1e-6)));
        CASES.put("adamw", p -> new AdamW(p, new AdamW.Options().lr(1e-2).weightDecay(0.1)));
        CASES.put("adamw amsgrad", p -> new AdamW(p, new AdamW.Options().lr(1e-2).weightDecay(0.1).amsgrad(true)));
    }

    /** One step: the kernels round every operation as the CPU loop does, so results are bit-identical. */
    @Test
    void oneStep_isBitIdenticalToTheCpu() {
        GpuTests.gpu();
        for (Map.Entry<String, Function<List<Tensor>, Optimizer>> c : CASES.entrySet()) {
            run(c.getKey(), c.getValue(), 1, 0);
        }
    }

    /** Ten steps (state carried between steps on the device): within 2 ulp-ish of the CPU. */
    @Test
    void tenSteps_matchTheCpu() {
        GpuTests.gpu();
        for (Map.Entry<String, Function<List<Tensor>, Optimizer>> c : CASES.entrySet()) {
            run(c.getKey(), c.getValue(), 10, 1e-6);
        }
    }
}
