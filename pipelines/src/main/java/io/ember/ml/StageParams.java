package io.ember.ml;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.param.Params;

/** Param factories the stages share, each with a validator that names the stage, the param and the bad value. */
final class StageParams {
    private StageParams() {
    }

    private static String stage(Params owner) {
        return owner.getClass().getSimpleName();
    }

    /** A column name: non-empty. */
    static Param<String> column(Params owner, String name, String doc) {
        return new Param<>(owner, name, doc, new Check<String>(stage(owner), name, "a non-empty column name",
                v -> !v.isEmpty()));
    }

    /** An output column name: may be empty, which turns the column off (Spark's convention). */
    static Param<String> outputColumn(Params owner, String name, String doc) {
        return new Param<>(owner, name, doc + " (empty: not produced)", new Check<String>(stage(owner), name,
                "a column name", v -> true));
    }

    /** Several distinct, non-empty column names. */
    static StringArrayParam columns(Params owner, String name, String doc) {
        return new StringArrayParam(owner, name, doc, new Check<String[]>(stage(owner), name,
                "one or more distinct, non-empty column names",
                v -> v.length > 0 && Arrays.stream(v).noneMatch(c -> c == null || c.isEmpty())
                        && new HashSet<>(Arrays.asList(v)).size() == v.length));
    }

    /** The shape of one example: positive dimensions. */
    static IntArrayParam shape(Params owner) {
        return new IntArrayParam(owner, "featureShape", "shape of one example, e.g. [1, 28, 28]; default: [number of"
                + " feature values]", new Check<int[]>(stage(owner), "featureShape", "one or more dimensions >= 1",
                v -> v.length > 0 && Arrays.stream(v).allMatch(d -> d >= 1)));
    }

    /** An int > 0. */
    static IntParam positive(Params owner, String name, String doc) {
        return new IntParam(owner, name, doc, new Check<Object>(stage(owner), name, "> 0", v -> ((Integer) v) > 0));
    }

    /** One of the given strings. */
    static Param<String> oneOf(Params owner, String name, String doc, String... allowed) {
        List<String> ok = List.of(allowed);
        return new Param<>(owner, name, doc + ": " + String.join(", ", allowed), new Check<String>(stage(owner), name,
                "one of " + ok, ok::contains));
    }
}
