package io.ember.examples.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.param.StringArrayParam;
import scala.Option;

/**
 * Command-line options for the params of Spark ML stages: {@code --learning-rate 2e-3} sets {@code learningRate}
 * (the param's own name is accepted too). The help shows each param's doc and its default as the stage itself
 * defines it, so the jobs follow the estimators as they change.
 */
final class StageOptions {
    /** The order of the help; params not listed follow alphabetically. */
    private static final List<String> ORDER = List.of("featuresCol", "featuresCols", "featureShape", "labelCol",
            "predictionCol", "probabilityCol", "rawPredictionCol", "architecture", "architectureConfig", "loss",
            "optimizer", "learningRate", "weightDecay", "lrSchedule", "batchSize", "maxEpochs", "stepsPerRound",
            "numWorkers", "seed", "validationFraction", "device", "checkpointDir", "checkpointInterval",
            "handleInvalid");

    private final Map<String, Params> stages;
    private final Map<String, Param<?>> params = new LinkedHashMap<>();

    /**
     * Conversion only, for params named here whose options the caller declares itself (a stage with no public
     * constructor to show defaults from).
     */
    StageOptions(List<String> names) {
        this.stages = Map.of();
        names.forEach(n -> params.put(n, null));
    }

    /**
     * Options for the params of {@code stages} (label -> a fresh stage, e.g. "classification" -> an EmberClassifier),
     * all but {@code skip}.
     */
    StageOptions(Map<String, Params> stages, Set<String> skip) {
        this.stages = stages;
        Map<String, Param<?>> all = new LinkedHashMap<>();
        for (Params s : stages.values()) {
            for (Param<?> p : s.params()) {
                if (!skip.contains(p.name())) {
                    all.putIfAbsent(p.name(), p);
                }
            }
        }
        List<String> names = new ArrayList<>(all.keySet());
        names.sort((a, b) -> {
            int ia = ORDER.indexOf(a);
            int ib = ORDER.indexOf(b);
            ia = ia < 0 ? ORDER.size() : ia;
            ib = ib < 0 ? ORDER.size() : ib;
            return ia != ib ? Integer.compare(ia, ib) : a.compareTo(b);
        });
        names.forEach(n -> params.put(n, all.get(n)));
    }

    /** Declares the options on {@code cli}. */
    void declare(Cli cli) {
        if (stages.isEmpty()) {
            throw new IllegalStateException("StageOptions made from names declares no options");
        }
        for (Param<?> p : params.values()) {
            String kebab = Cli.camelToKebab(p.name());
            cli.option(kebab, placeholder(p), null, doc(p.name()) + defaults(p.name()));
            if (!kebab.equals(p.name())) {
                cli.alias(p.name(), kebab);
            }
        }
    }

    private static String placeholder(Param<?> p) {
        if (p instanceof IntParam || p instanceof LongParam) {
            return "N";
        } else if (p instanceof DoubleParam || p instanceof FloatParam) {
            return "X";
        } else if (p instanceof IntArrayParam) {
            return "N,N,...";
        } else if (p instanceof DoubleArrayParam) {
            return "X,X,...";
        } else if (p instanceof StringArrayParam) {
            return p.name().endsWith("Cols") ? "COL,COL,..." : "A,B,...";
        } else if (p instanceof BooleanParam) {
            return "true|false";
        }
        return p.name().endsWith("Col") ? "COL" : p.name().endsWith("Dir") ? "PATH" : "VALUE";
    }

    /** The param's doc; where the stages' docs differ, each with its stage after their common start. */
    private String doc(String name) {
        Map<String, String> docs = new LinkedHashMap<>();
        stages.forEach((label, s) -> {
            if (s.hasParam(name)) {
                docs.put(label, s.getParam(name).doc());
            }
        });
        if (docs.values().stream().distinct().count() == 1) {
            return docs.values().iterator().next();
        }
        List<String> all = new ArrayList<>(docs.values());
        int common = all.get(0).length();
        for (String d : all) {
            int i = 0;
            while (i < Math.min(common, d.length()) && d.charAt(i) == all.get(0).charAt(i)) {
                i++;
            }
            common = i;
        }
        common = all.get(0).lastIndexOf(' ', common) + 1;
        List<String> parts = new ArrayList<>();
        final int start = common;
        docs.forEach((label, d) -> parts.add(d.substring(start) + " (" + label + ")"));
        return all.get(0).substring(0, start) + String.join("; ", parts);
    }

    private String defaults(String name) {
        Map<String, String> byStage = new LinkedHashMap<>();
        for (Map.Entry<String, Params> e : stages.entrySet()) {
            Params s = e.getValue();
            if (s.hasParam(name)) {
                Option<?> d = s.getDefault(s.getParam(name));
                byStage.put(e.getKey(), d.isDefined() ? show(d.get()) : "none");
            }
        }
        StringBuilder b = new StringBuilder(" (");
        if (byStage.size() < stages.size()) {
            b.append(String.join(", ", byStage.keySet())).append(" only; ");
        }
        if (byStage.values().stream().allMatch("none"::equals)) {
            return byStage.size() < stages.size() ? b.append("no default)").toString() : "";
        }
        if (byStage.values().stream().distinct().count() == 1) {
            b.append("default ").append(byStage.values().iterator().next());
        } else {
            List<String> parts = new ArrayList<>();
            byStage.forEach((k, v) -> parts.add(v + " for " + k));
            b.append("default ").append(String.join(", ", parts));
        }
        return b.append(')').toString();
    }

    private static String show(Object v) {
        if (v instanceof int[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof double[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof String[] a) {
            return String.join(",", a);
        }
        return String.valueOf(v);
    }

    /** Whether the command line set the param {@code name}. */
    boolean given(Map<String, String> values, String name) {
        return values.containsKey(Cli.camelToKebab(name));
    }

    /**
     * The params the command line sets that {@code stage} has, converted and validated (a bad value is a
     * {@link Cli.UsageException} naming the option).
     */
    ParamMap paramMap(Params stage, Map<String, String> values) {
        ParamMap pm = new ParamMap();
        for (String name : params.keySet()) {
            String option = Cli.camelToKebab(name);
            String v = values.get(option);
            if (v == null || !stage.hasParam(name)) {
                continue;
            }
            Param<Object> own = stage.getParam(name);
            Object value = convert(own, option, v);
            try {
                pm.put(own, value);
            } catch (IllegalArgumentException e) {
                throw new Cli.UsageException("option --" + option + ": " + e.getMessage());
            }
        }
        return pm;
    }

    /** {@code v} as the param's type. */
    static Object convert(Param<?> p, String option, String v) {
        String s = v.trim();
        try {
            if (p instanceof IntParam) {
                return Integer.parseInt(s);
            } else if (p instanceof LongParam) {
                return Long.parseLong(s);
            } else if (p instanceof DoubleParam) {
                return Double.parseDouble(s);
            } else if (p instanceof FloatParam) {
                return Float.parseFloat(s);
            } else if (p instanceof BooleanParam) {
                if (!s.equals("true") && !s.equals("false")) {
                    throw new Cli.UsageException("option --" + option + ": expected true or false, got '" + v + "'");
                }
                return Boolean.parseBoolean(s);
            } else if (p instanceof IntArrayParam) {
                return list(s).stream().mapToInt(Integer::parseInt).toArray();
            } else if (p instanceof DoubleArrayParam) {
                return list(s).stream().mapToDouble(Double::parseDouble).toArray();
            } else if (p instanceof StringArrayParam) {
                return list(s).toArray(new String[0]);
            }
            return v;
        } catch (NumberFormatException e) {
            String what = p instanceof IntParam || p instanceof LongParam ? "an integer"
                    : p instanceof IntArrayParam ? "integers separated by commas"
                    : p instanceof DoubleArrayParam ? "numbers separated by commas" : "a number";
            throw new Cli.UsageException("option --" + option + ": expected " + what + ", got '" + v + "'");
        }
    }

    /** "a,b,c" or "[a, b, c]" as a list of trimmed items. */
    static List<String> list(String s) {
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        List<String> out = new ArrayList<>();
        for (String part : t.split(",")) {
            out.add(part.trim());
        }
        return out;
    }
}
