package io.ember.spark.data;

import java.io.Serial;
import java.io.Serializable;

/**
 * How to read one DataFrame column, decided once from the schema on the driver: its kind, element type, position
 * in the (pruned) row and the number of values it gives. Holds no Spark types, so executors and plain Java code
 * can use it.
 */
final class ColumnPlan implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    enum Kind { SCALAR, ARRAY, VECTOR, BINARY }

    enum Elem { BYTE, SHORT, INT, LONG, FLOAT, DOUBLE, DECIMAL, NONE;

        boolean integral() {
            return this == BYTE || this == SHORT || this == INT || this == LONG;
        }
    }

    final String name;
    final Kind kind;
    final Elem elem;
    final int ordinal;
    final int width;
    final int precision;
    final int scale;

    ColumnPlan(String name, Kind kind, Elem elem, int ordinal, int width, int precision, int scale) {
        this.name = name;
        this.kind = kind;
        this.elem = elem;
        this.ordinal = ordinal;
        this.width = width;
        this.precision = precision;
        this.scale = scale;
    }

    ColumnPlan withWidth(int w) {
        return new ColumnPlan(name, kind, elem, ordinal, w, precision, scale);
    }

    ColumnPlan withOrdinal(int o) {
        return new ColumnPlan(name, kind, elem, o, width, precision, scale);
    }

    @Override
    public String toString() {
        return name + ":" + kind + (elem == Elem.NONE ? "" : "<" + elem + ">") + "[" + width + "]";
    }
}
