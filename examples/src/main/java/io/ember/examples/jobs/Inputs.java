package io.ember.examples.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;

/** The input formats of the jobs: Parquet, CSV with a header, LibSVM; from any Hadoop path. */
final class Inputs {
    enum Format {
        PARQUET, CSV, LIBSVM
    }

    /** Options the readers take. */
    static void declare(Cli cli) {
        cli.option("format", "FORMAT", "auto", "input format: parquet, csv (with a header line) or libsvm; auto: csv for a path"
                + " ending in .csv or .csv.gz, libsvm for .libsvm, .svm or .libsvm.txt, else parquet");
        cli.option("csv-sep", "SEP", ",", "CSV field separator");
        cli.option("num-features", "N", null, "LibSVM: the feature vector size (default: the largest index in the"
                + " training data; for scoring, the model's input width)");
    }

    private Inputs() {
    }

    /** The format of {@code path} for the --format option's value. */
    static Format format(String option, String path) {
        String o = option.toLowerCase(Locale.ROOT);
        switch (o) {
            case "parquet":
                return Format.PARQUET;
            case "csv":
                return Format.CSV;
            case "libsvm":
                return Format.LIBSVM;
            case "auto":
                String p = path.toLowerCase(Locale.ROOT).replaceAll("/+$", "");
                if (p.endsWith(".csv") || p.endsWith(".csv.gz")) {
                    return Format.CSV;
                }
                if (p.endsWith(".libsvm") || p.endsWith(".svm") || p.endsWith(".libsvm.txt")) {
                    return Format.LIBSVM;
                }
                return Format.PARQUET;
            default:
                throw new Cli.UsageException("option --format: expected parquet, csv, libsvm or auto, got '"
                        + option + "'");
        }
    }

    /** A positive integer option, or null when absent. */
    static Integer positive(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new Cli.UsageException("option --" + name + ": expected an integer > 0, got '" + value + "'");
    }

    /**
     * Reads {@code path}. CSV: the header names the columns and their types are inferred (one pass). LibSVM:
     * {@code label} (double) and {@code features} (ML Vector of {@code numFeatures}, or of the largest index found).
     */
    static Dataset<Row> read(SparkSession spark, Format f, String path, String csvSep, Integer numFeatures) {
        DataFrameReader r = spark.read();
        switch (f) {
            case CSV:
                return r.option("header", "true").option("inferSchema", "true").option("sep", csvSep).csv(path);
            case LIBSVM:
                if (numFeatures != null) {
                    r = r.option("numFeatures", numFeatures.toString());
                }
                return r.format("libsvm").load(path);
            default:
                return r.parquet(path);
        }
    }

    /** The vector size LibSVM found for {@code df}'s features column (its ML attribute metadata), or null. */
    static Integer libsvmWidth(Dataset<Row> df) {
        if (!Arrays.asList(df.columns()).contains("features")) {
            return null;
        }
        int n = AttributeGroup.fromStructField(df.schema().apply("features")).size();
        return n > 0 ? n : null;
    }

    /**
     * A CSV's feature columns when none are named: every column but the label, each of which must be numeric.
     */
    static String[] csvFeatureColumns(Dataset<Row> df, String label) {
        List<String> cols = new ArrayList<>();
        for (StructField f : df.schema().fields()) {
            if (f.name().equals(label)) {
                continue;
            }
            if (!(f.dataType() instanceof NumericType)) {
                throw new Cli.UsageException("CSV column '" + f.name() + "' is " + f.dataType().simpleString()
                        + ", not a number; name the feature columns with --features-cols");
            }
            cols.add(f.name());
        }
        if (cols.isEmpty()) {
            throw new Cli.UsageException("the CSV has no column besides the label '" + label + "'; columns: "
                    + Arrays.toString(df.columns()));
        }
        return cols.toArray(new String[0]);
    }
}
