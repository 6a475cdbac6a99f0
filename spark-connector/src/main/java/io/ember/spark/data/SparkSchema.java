package io.ember.spark.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.UserDefinedType;

/**
 * Checks a DataFrame's schema against an {@link InputSpec} on the driver, before any job runs, and plans how each
 * column is read. Uses Spark's public type classes only.
 */
final class SparkSchema {
    static final String ACCEPTED_FEATURES = "byte, short, int, bigint, float, double, decimal, "
            + "array<tinyint|smallint|int|bigint|float|double>, vector (Spark ML), binary";
    static final String ACCEPTED_LABELS = "byte, short, int, bigint, float, double, decimal";

    /** The resolved spec and the plans of the selected columns (ordinals in the order features..., label). */
    record Plan(InputSpec spec, ColumnPlan[] features, ColumnPlan label) implements java.io.Serializable {
        String[] selectedColumns() {
            List<String> cols = new ArrayList<>();
            for (ColumnPlan c : features) {
                cols.add(c.name);
            }
            if (label != null) {
                cols.add(label.name);
            }
            return cols.toArray(new String[0]);
        }
    }

    private SparkSchema() {
    }

    static Plan plan(StructType schema, InputSpec spec) {
        List<String> cols = spec.featureColumns();
        ColumnPlan[] features = new ColumnPlan[cols.size()];
        boolean[] scalar = new boolean[cols.size()];
        for (int i = 0; i < features.length; i++) {
            StructField f = field(schema, cols.get(i), "feature");
            features[i] = featurePlan(f, i);
            scalar[i] = features[i].kind == ColumnPlan.Kind.SCALAR;
        }
        InputSpec resolved = spec;
        if (spec.declaredShape() == null) {
            boolean allScalar = true;
            for (boolean b : scalar) {
                allScalar &= b;
            }
            if (!allScalar) {
                throw new IllegalArgumentException(spec.noShape());
            }
            resolved = spec.withShape(new int[] {cols.size()});
        }
        int[] widths = resolved.resolveWidths(scalar);
        for (int i = 0; i < features.length; i++) {
            features[i] = features[i].withWidth(widths[i]);
        }
        ColumnPlan label = null;
        if (spec.labelColumn() != null) {
            StructField f = field(schema, spec.labelColumn(), "label");
            ColumnPlan.Elem e = scalarElem(f.dataType());
            if (e == null) {
                throw new IllegalArgumentException("SparkTensors: label column '" + f.name() + "' has type "
                        + f.dataType().simpleString() + "; accepted: " + ACCEPTED_LABELS);
            }
            DataType t = f.dataType();
            label = new ColumnPlan(f.name(), ColumnPlan.Kind.SCALAR, e, features.length, 1,
                    t instanceof DecimalType d ? d.precision() : 0, t instanceof DecimalType d2 ? d2.scale() : 0);
        }
        return new Plan(resolved, features, label);
    }

    /**
     * The plan for reading the features of whole rows of {@code schema} (ordinals are positions in the full row, not
     * in a pruned selection); the spec's label, if any, is ignored.
     */
    static Plan planFullRows(StructType schema, InputSpec spec) {
        Plan p = plan(schema, spec.noLabel());
        ColumnPlan[] features = p.features().clone();
        for (int i = 0; i < features.length; i++) {
            features[i] = features[i].withOrdinal(index(schema, features[i].name));
        }
        return new Plan(p.spec(), features, null);
    }

    private static int index(StructType schema, String name) {
        StructField[] fields = schema.fields();
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].name().equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no column '" + name + "'");
    }

    /** The Spark type of an output column; loads Spark ML's VectorUDT only for a VECTOR column. */
    static DataType outputType(OutputColumn c) {
        return switch (c.kind()) {
            case DOUBLE -> DataTypes.DoubleType;
            case FLOAT_ARRAY -> DataTypes.createArrayType(DataTypes.FloatType, false);
            case VECTOR -> vectorType(c.name());
        };
    }

    private static DataType vectorType(String column) {
        try {
            Class<?> udt = Class.forName("org.apache.spark.ml.linalg.VectorUDT", true,
                    Thread.currentThread().getContextClassLoader() != null
                            ? Thread.currentThread().getContextClassLoader() : SparkSchema.class.getClassLoader());
            return (DataType) udt.getConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalArgumentException("SparkTensors.score: output column '" + column + "' is a Spark ML "
                    + "vector, but org.apache.spark.ml.linalg.VectorUDT cannot be loaded (" + e
                    + "); put spark-mllib on the classpath or use OutputColumn.floatArray", e);
        }
    }

    private static StructField field(StructType schema, String name, String role) {
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("SparkTensors: no " + role + " column '" + name + "' in the DataFrame; "
                + "its columns are " + Arrays.toString(schema.fieldNames()));
    }

    private static ColumnPlan featurePlan(StructField f, int ordinal) {
        DataType t = f.dataType();
        ColumnPlan.Elem e = scalarElem(t);
        if (e != null) {
            return new ColumnPlan(f.name(), ColumnPlan.Kind.SCALAR, e, ordinal, 1,
                    t instanceof DecimalType d ? d.precision() : 0, t instanceof DecimalType d2 ? d2.scale() : 0);
        }
        if (t instanceof ArrayType a) {
            ColumnPlan.Elem el = scalarElem(a.elementType());
            if (el != null && el != ColumnPlan.Elem.DECIMAL) {
                return new ColumnPlan(f.name(), ColumnPlan.Kind.ARRAY, el, ordinal, -1, 0, 0);
            }
        }
        if (t instanceof BinaryType) {
            return new ColumnPlan(f.name(), ColumnPlan.Kind.BINARY, ColumnPlan.Elem.NONE, ordinal, -1, 0, 0);
        }
        if (t instanceof UserDefinedType<?> u && isVectorStruct(u.sqlType())) {
            return new ColumnPlan(f.name(), ColumnPlan.Kind.VECTOR, ColumnPlan.Elem.DOUBLE, ordinal, -1, 0, 0);
        }
        throw new IllegalArgumentException("SparkTensors: feature column '" + f.name() + "' has type "
                + t.simpleString() + "; accepted: " + ACCEPTED_FEATURES);
    }

    /** Spark ML's VectorUDT layout: struct{type: tinyint, size: int, indices: array<int>, values: array<double>}. */
    static boolean isVectorStruct(DataType t) {
        if (!(t instanceof StructType s) || s.fields().length != 4) {
            return false;
        }
        StructField[] f = s.fields();
        return f[0].name().equals("type") && f[0].dataType() instanceof ByteType
                && f[1].name().equals("size") && f[1].dataType() instanceof IntegerType
                && f[2].name().equals("indices") && f[2].dataType() instanceof ArrayType ai
                && ai.elementType() instanceof IntegerType
                && f[3].name().equals("values") && f[3].dataType() instanceof ArrayType av
                && av.elementType() instanceof DoubleType;
    }

    private static ColumnPlan.Elem scalarElem(DataType t) {
        if (t instanceof ByteType) {
            return ColumnPlan.Elem.BYTE;
        } else if (t instanceof ShortType) {
            return ColumnPlan.Elem.SHORT;
        } else if (t instanceof IntegerType) {
            return ColumnPlan.Elem.INT;
        } else if (t instanceof LongType) {
            return ColumnPlan.Elem.LONG;
        } else if (t instanceof FloatType) {
            return ColumnPlan.Elem.FLOAT;
        } else if (t instanceof DoubleType) {
            return ColumnPlan.Elem.DOUBLE;
        } else if (t instanceof DecimalType) {
            return ColumnPlan.Elem.DECIMAL;
        }
        return null;
    }
}
