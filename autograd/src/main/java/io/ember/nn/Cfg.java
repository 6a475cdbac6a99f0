package io.ember.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading and writing layer configs (JSON-able maps: numbers may come back as any Number type). */
final class Cfg {
    private Cfg() {
    }

    /** A LinkedHashMap from alternating keys and values. */
    static Map<String, Object> of(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            m.put((String) kv[i], v instanceof int[] ? list((int[]) v) : v);
        }
        return m;
    }

    static List<Integer> list(int[] v) {
        List<Integer> out = new ArrayList<>(v.length);
        for (int x : v) {
            out.add(x);
        }
        return out;
    }

    private static Object get(Map<String, Object> cfg, String key) {
        if (cfg == null || !cfg.containsKey(key)) {
            throw new IllegalArgumentException("config: missing key '" + key + "' in " + cfg);
        }
        return cfg.get(key);
    }

    static int i(Map<String, Object> cfg, String key) {
        Object v = get(cfg, key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("config: '" + key + "' must be a number, got " + v);
        }
        return ((Number) v).intValue();
    }

    static Integer optI(Map<String, Object> cfg, String key) {
        Object v = get(cfg, key);
        return v == null ? null : i(cfg, key);
    }

    static double d(Map<String, Object> cfg, String key) {
        Object v = get(cfg, key);
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("config: '" + key + "' must be a number, got " + v);
        }
        return ((Number) v).doubleValue();
    }

    static Double optD(Map<String, Object> cfg, String key) {
        Object v = get(cfg, key);
        return v == null ? null : d(cfg, key);
    }

    static boolean b(Map<String, Object> cfg, String key) {
        Object v = get(cfg, key);
        if (!(v instanceof Boolean)) {
            throw new IllegalArgumentException("config: '" + key + "' must be a boolean, got " + v);
        }
        return (Boolean) v;
    }

    static String s(Map<String, Object> cfg, String key) {
        Object v = get(cfg, key);
        return v == null ? null : v.toString();
    }

    /** An int list (a single number means that number repeated {@code n} times); null stays null. */
    static int[] ints(Map<String, Object> cfg, String key, int n) {
        Object v = get(cfg, key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number) {
            int[] out = new int[n];
            Arrays.fill(out, ((Number) v).intValue());
            return out;
        }
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            int[] out = new int[l.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = ((Number) l.get(k)).intValue();
            }
            return out;
        }
        throw new IllegalArgumentException("config: '" + key + "' must be a number or a list of numbers, got " + v);
    }

    static double[] doubles(Map<String, Object> cfg, String key) {
        Object v = get(cfg, key);
        if (v == null) {
            return null;
        }
        List<?> l = (List<?>) v;
        double[] out = new double[l.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ((Number) l.get(k)).doubleValue();
        }
        return out;
    }

    static List<Double> list(double[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (double x : v) {
            out.add(x);
        }
        return out;
    }

    /** A child module's {type, config} entry, or null when the child cannot be rebuilt from a file. */
    static Map<String, Object> spec(String name, Module m) {
        Map<String, Object> c = m.config();
        if (c == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (name != null) {
            out.put("name", name);
        }
        out.put("type", m.typeName());
        out.put("config", c);
        return out;
    }

    /**
     * A container's config: {"modules": [{name?, type, config}, ...]} over its children ({@code named}: with their
     * names), or null if a child cannot be rebuilt.
     */
    static Map<String, Object> children(Module container, boolean named) {
        List<Object> list = new ArrayList<>();
        for (Map.Entry<String, Module> e : container.namedChildren().entrySet()) {
            Map<String, Object> spec = spec(named ? e.getKey() : null, e.getValue());
            if (spec == null) {
                return null;
            }
            list.add(spec);
        }
        return of("modules", list);
    }

    /** Rebuilds each child listed by {@link #children} and hands it, with its name (null if unnamed), to add. */
    @SuppressWarnings("unchecked")
    static void eachChild(Map<String, Object> cfg, java.util.function.BiConsumer<String, Module> add) {
        for (Object o : entries(cfg, "modules")) {
            Object name = o instanceof Map ? ((Map<String, Object>) o).get("name") : null;
            add.accept(name == null ? null : s((Map<String, Object>) o, "name"), build(o));
        }
    }

    @SuppressWarnings("unchecked")
    static Module build(Object spec) {
        if (!(spec instanceof Map)) {
            throw new IllegalArgumentException("config: expected a {type, config} entry, got " + spec);
        }
        Map<String, Object> m = (Map<String, Object>) spec;
        return ModuleRegistry.create(s(m, "type"), (Map<String, Object>) get(m, "config"));
    }

    @SuppressWarnings("unchecked")
    static List<Object> entries(Map<String, Object> cfg, String key) {
        Object v = get(cfg, key);
        if (!(v instanceof List)) {
            throw new IllegalArgumentException("config: '" + key + "' must be a list, got " + v);
        }
        return (List<Object>) v;
    }

    static String pair(int[] v) {
        return "(" + v[0] + ", " + v[1] + ")";
    }
}
