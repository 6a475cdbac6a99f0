package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Reduction;
import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    /** Every built-in type with non-default arguments. */
    private static List<Module> everyLayer() {
        return List.of(
                new Linear(5, 3, false),
                new Conv1d(4, 6, 3, 2, 1, 2, 2, false),
                new Conv2d(4, 6, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2, true),
                new MaxPool2d(new int[] {3, 2}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true),
                new AvgPool2d(new int[] {2, 2}, null, new int[] {1, 0}, true, false, 3),
                new AdaptiveAvgPool2d(3, 5),
                new BatchNorm1d(7, 1e-3, null, false, true),
                new BatchNorm2d(3, 1e-4, 0.3, true, false),
                new LayerNorm(new int[] {2, 3}, 1e-6, true, false),
                new Dropout(0.3),
                new Embedding(10, 4, 2),
                new Flatten(0, 2),
                new Identity(),
                new ReLU(), new LeakyReLU(0.3), new ELU(0.7), new GELU("tanh"), new SiLU(), new Sigmoid(),
                new Tanh(), new Softmax(0), new LogSoftmax(-2),
                new CrossEntropyLoss(Tensor.of(new float[] {1, 2, 3}, 3), 5, 0.1, Reduction.SUM),
                new NLLLoss(null, -1, Reduction.NONE),
                new MSELoss(Reduction.SUM), new L1Loss(Reduction.NONE), new SmoothL1Loss(Reduction.SUM, 0.25),
                new BCELoss(Tensor.of(new float[] {0.5f, 2}, 2), Reduction.SUM),
                new BCEWithLogitsLoss(null, Reduction.MEAN, Tensor.of(new float[] {3}, 1)),
                new Sequential(new Linear(2, 3), new ReLU()).add("out", new Linear(3, 1)),
                new ModuleList(new Tanh(), new Linear(1, 1)),
                new ModuleDict().put("a", new Dropout(0.1)).put("b", new Sequential(new Identity())));
    }

    /** What a JSON round trip may do: numbers come back as Double or Long, lists as ArrayList. */
    @SuppressWarnings("unchecked")
    private static Object jsonLike(Object v) {
        if (v instanceof Map) {
            Map<String, Object> out = new LinkedHashMap<>();
            ((Map<String, Object>) v).forEach((k, x) -> out.put(k, jsonLike(x)));
            return out;
        }
        if (v instanceof List) {
            List<Object> out = new ArrayList<>();
            for (Object x : (List<Object>) v) {
                out.add(jsonLike(x));
            }
            return out;
        }
        if (v instanceof Integer) {
            return ((Integer) v).longValue();
        }
        return v;
    }

    @Test
    @SuppressWarnings("unchecked")
    void config_registryCreate_rebuildsSameStructure_forEveryLayer() {
        for (Module m : everyLayer()) {
            Map<String, Object> cfg = m.config();
            assertNotNull(cfg, m.typeName());
            assertTrue(ModuleRegistry.isRegistered(m.typeName()), m.typeName());
            Module r = ModuleRegistry.create(m.typeName(), (Map<String, Object>) jsonLike(cfg));
            assertEquals(m.getClass(), r.getClass());
            assertEquals(cfg, r.config(), m.typeName());
            assertEquals(m.toString(), r.toString());
            Map<String, NDArray> a = m.stateDict();
            Map<String, NDArray> b = r.stateDict();
            assertEquals(a.keySet(), b.keySet(), m.typeName());
            a.forEach((k, v) -> assertEquals(v.shape(), b.get(k).shape(), m.typeName() + " " + k));
        }
    }

    @Test
    void config_linear_readsLikeConstructorArguments() {
        assertEquals(Map.of("inFeatures", 784, "outFeatures", 256, "bias", true), new Linear(784, 256).config());
        assertEquals("{modules=[{name=0, type=Linear, config={inFeatures=2, outFeatures=1, bias=true}}, "
                + "{name=1, type=Sigmoid, config={}}]}",
                new Sequential(new Linear(2, 1), new Sigmoid()).config().toString());
    }

    @Test
    void config_unrebuildableChild_makesContainerUnrebuildable() {
        Module custom = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        assertNull(new Sequential(new ReLU(), custom).config());
    }

    @Test
    void config_missingKey_failsClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModuleRegistry.create("Linear", Map.of("inFeatures", 3)));
        assertTrue(e.getMessage().startsWith("config: missing key 'outFeatures'"), e.getMessage());
    }
}
