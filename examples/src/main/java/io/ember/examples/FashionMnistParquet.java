package io.ember.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Fashion-MNIST as Parquet, the way Spark jobs read it: folders {@code train/} and {@code test/} of Parquet files with
 * {@code features} (array&lt;float&gt;, the 784 pixels row by row as {@code x / 255}) and {@code label} (double, the
 * class 0-9). The shipped sample in {@code examples/data/fashion-mnist-parquet} (the 6,000 training and 1,000 test
 * images of the IDX sample, MIT-licensed) is made by this program: {@code examples/make-sample-parquet.sh}.
 *
 * <p>The files get fixed names ({@code part-00000.gz.parquet}, ...; gzip, which every Parquet reader has) and no
 * {@code _SUCCESS} or checksum files, so that regenerating them gives the same files (the same rows and pages; Parquet's
 * footer may list a column's encodings in another order). Pixels stored as floats cost no
 * more than the raw bytes: Parquet's dictionary encoding keeps one byte per pixel (256 distinct values).
 */
public final class FashionMnistParquet {
    /** The shipped sample, relative to the repository root. */
    public static final Path SAMPLE_DIR = Path.of("examples/data/fashion-mnist-parquet");

    private FashionMnistParquet() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args("Writes Fashion-MNIST IDX files as Parquet: examples/make-sample-parquet.sh [options]", argv)
                .option("from", FashionMnist.SAMPLE_DIR.toString(), "folder of the IDX .gz files")
                .option("to", SAMPLE_DIR.toString(), "output folder (its train/ and test/ are replaced)")
                .option("train-files", "2", "Parquet files for the training set")
                .option("test-files", "1", "Parquet files for the test set")
                .option("master", "local[2]", "Spark master")
                .parse();
        FashionMnist data = FashionMnist.load(a.get("from"));
        SparkSession spark = SparkSession.builder().master(a.get("master")).appName("fashion-mnist-parquet")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Path to = Path.of(a.get("to"));
            write(spark, data, to, a.getInt("train-files"), a.getInt("test-files"));
            System.out.printf("wrote %,d training and %,d test rows from %s to %s%n", data.trainImages.size(0),
                    data.testImages.size(0), data.dir, to);
        } finally {
            spark.stop();
        }
    }

    /** The sample's folder, found from the repository root or from the examples folder. */
    public static Path sample() {
        Path fromExamples = Path.of("data/fashion-mnist-parquet");
        return Files.exists(SAMPLE_DIR) || !Files.exists(fromExamples) ? SAMPLE_DIR : fromExamples;
    }

    /** Writes {@code data} as {@code to/train} and {@code to/test} (each replaced) with the given file counts. */
    public static void write(SparkSession spark, FashionMnist data, Path to, int trainFiles, int testFiles)
            throws IOException {
        split(spark, data, true, to.resolve("train"), trainFiles);
        split(spark, data, false, to.resolve("test"), testFiles);
    }

    private static void split(SparkSession spark, FashionMnist data, boolean train, Path dir, int files)
            throws IOException {
        Path tmp = Files.createTempDirectory("fashion-mnist-parquet");
        try {
            Path out = tmp.resolve("out");
            SparkTrainExample.frame(spark, train ? data.trainImages : data.testImages,
                            train ? data.trainLabels : data.testLabels, files)
                    .write().option("compression", "gzip").parquet(out.toString());
            List<Path> parts = new ArrayList<>();
            try (Stream<Path> s = Files.list(out)) {
                s.filter(p -> p.getFileName().toString().endsWith(".parquet")).sorted().forEach(parts::add);
            }
            deleteTree(dir);
            Files.createDirectories(dir);
            for (int i = 0; i < parts.size(); i++) {
                Files.move(parts.get(i), dir.resolve(String.format("part-%05d.gz.parquet", i)),
                        StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            deleteTree(tmp);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(q);
            }
        }
    }
}
