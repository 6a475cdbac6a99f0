package io.ember.io;

import io.ember.autograd.Tensor;
import io.ember.nn.Module;
import io.ember.nn.ModuleRegistry;
import io.ember.tensor.DType;
import io.ember.tensor.Generator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small user modules for the model-file tests, registered with {@link ModuleRegistry} like a user would. */
final class TestNets {
    static final String MLP = "io.test.Mlp";
    static final String STACK = "io.test.Stack";

    private TestNets() {
    }

    static void register() {
        ModuleRegistry.register(MLP, c -> new Mlp(((Number) c.get("in")).intValue(),
                ((Number) c.get("hidden")).intValue(), ((Number) c.get("out")).intValue(), 1L));
        ModuleRegistry.register(STACK, c -> {
            List<Module> layers = new ArrayList<>();
            for (Object o : (List<?>) c.get("layers")) {
                Map<?, ?> child = (Map<?, ?>) o;
                @SuppressWarnings("unchecked")
                Map<String, Object> cfg = (Map<String, Object>) child.get("config");
                layers.add(ModuleRegistry.create((String) child.get("type"), cfg));
            }
            return new Stack(layers);
        });
    }

    /** tanh(x W1 + b1) W2 + b2, with a persistent int64 buffer and a non-persistent one. */
    static class Mlp extends Module {
        final int in;
        final int hidden;
        final int out;
        final Tensor w1;
        final Tensor b1;
        final Tensor w2;
        final Tensor b2;

        Mlp(int in, int hidden, int out, long seed) {
            this.in = in;
            this.hidden = hidden;
            this.out = out;
            Generator g = new Generator(seed);
            w1 = registerParameter("w1", Tensor.randn(g, in, hidden).mul(0.5).detach());
            b1 = registerParameter("b1", Tensor.randn(g, hidden).mul(0.1).detach());
            w2 = registerParameter("w2", Tensor.randn(g, hidden, out).mul(0.5).detach());
            b2 = registerParameter("b2", Tensor.zeros(out));
            registerBuffer("calls", Tensor.zeros(DType.INT64, 1));
            registerBuffer("scratch", Tensor.zeros(2), false);
        }

        @Override
        public Tensor forward(Tensor x) {
            return x.matmul(w1).add(b1).tanh().matmul(w2).add(b2);
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("in", in);
            c.put("hidden", hidden);
            c.put("out", out);
            return c;
        }

        @Override
        public String typeName() {
            return MLP;
        }
    }

    /** A container whose config lists its children's {type, config}. */
    static final class Stack extends Module {
        final List<Module> layers;

        Stack(List<Module> layers) {
            this.layers = layers;
            for (int i = 0; i < layers.size(); i++) {
                registerModule(Integer.toString(i), layers.get(i));
            }
        }

        @Override
        public Tensor forward(Tensor x) {
            for (Module m : layers) {
                x = m.forward(x);
            }
            return x;
        }

        @Override
        public Map<String, Object> config() {
            List<Object> children = new ArrayList<>();
            for (Module m : layers) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("type", m.typeName());
                c.put("config", m.config());
                children.add(c);
            }
            return Map.of("layers", children);
        }

        @Override
        public String typeName() {
            return STACK;
        }
    }

    /** A module with no config: its architecture cannot be saved. */
    static final class Unsaveable extends Module {
        Unsaveable() {
            registerParameter("w", Tensor.ones(2));
        }
    }
}
