package io.ember.ml;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import scala.runtime.AbstractFunction1;

/**
 * A Param validator that throws a clear {@link IllegalArgumentException} ("EmberClassifier: learningRate must be > 0,
 * got -1.0") instead of returning false, which Spark would only report as "given invalid value". Spark validates every
 * value that is set, including those of a ParamMap (ParamGridBuilder, CrossValidator).
 */
final class Check<T> extends AbstractFunction1<T, Object> implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    /** A serializable test. */
    interface Test<T> extends Serializable {
        boolean ok(T value);
    }

    private final String stage;
    private final String param;
    private final String expected;
    private final Test<T> test;

    Check(String stage, String param, String expected, Test<T> test) {
        this.stage = stage;
        this.param = param;
        this.expected = expected;
        this.test = test;
    }

    @Override
    public Object apply(T value) {
        boolean ok;
        try {
            ok = value != null && test.ok(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(stage + ": " + param + " " + e.getMessage(), e);
        }
        if (!ok) {
            throw new IllegalArgumentException(stage + ": " + param + " must be " + expected + ", got " + show(value));
        }
        return Boolean.TRUE;
    }

    static String show(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof String[] a) {
            return Arrays.toString(a);
        }
        if (v instanceof int[] a) {
            return Arrays.toString(a);
        }
        return String.valueOf(v);
    }
}
