package io.ember.examples;

import io.ember.tensor.HostStorage;
import io.ember.tensor.NDArray;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST from IDX files ({@code train-images-idx3-ubyte.gz} and friends). Pixels become
 * FLOAT32 {@code x / 255} of shape {@code [n, 784]}, labels INT64 {@code [n]}.
 */
public final class FashionMnist {
    /** Debian's dataset-fashion-mnist package. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The sample that ships with the project (6,000 train / 1,000 test images). */
    public static final Path SAMPLE_DIR = Path.of("examples/data/fashion-mnist-sample");

    public final NDArray trainImages;
    public final NDArray trainLabels;
    public final NDArray testImages;
    public final NDArray testLabels;
    public final Path dir;

    private FashionMnist(Path dir) throws IOException {
        this.dir = dir;
        trainImages = images(dir.resolve("train-images-idx3-ubyte.gz"));
        trainLabels = labels(dir.resolve("train-labels-idx1-ubyte.gz"));
        testImages = images(dir.resolve("t10k-images-idx3-ubyte.gz"));
        testLabels = labels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        if (trainImages.size(0) != trainLabels.size(0) || testImages.size(0) != testLabels.size(0)) {
            throw new IOException("Fashion-MNIST in " + dir + ": image and label counts differ");
        }
    }

    /** Loads from {@code dir}, or when null from the system package, else the shipped sample. */
    public static FashionMnist load(String dir) throws IOException {
        if (dir != null && !dir.isBlank()) {
            return new FashionMnist(Path.of(dir));
        }
        if (Files.exists(SYSTEM_DIR.resolve("train-images-idx3-ubyte.gz"))) {
            return new FashionMnist(SYSTEM_DIR);
        }
        return sample();
    }

    /** The shipped sample, found from the repository root or from the examples folder. */
    public static FashionMnist sample() throws IOException {
        Path fromExamples = Path.of("data/fashion-mnist-sample");
        return new FashionMnist(Files.exists(SAMPLE_DIR) || !Files.exists(fromExamples) ? SAMPLE_DIR : fromExamples);
    }

    private static DataInputStream open(Path p) throws IOException {
        if (!Files.exists(p)) {
            throw new IOException("Fashion-MNIST file not found: " + p);
        }
        InputStream in = Files.newInputStream(p);
        if (p.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
    }

    static NDArray images(Path p) throws IOException {
        try (DataInputStream in = open(p)) {
            int magic = in.readInt();
            if (magic != 0x00000803) {
                throw new IOException(p + ": not an IDX image file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] raw = new byte[n * rows * cols];
            in.readFully(raw);
            float[] px = new float[raw.length];
            for (int i = 0; i < raw.length; i++) {
                px[i] = (raw[i] & 0xff) / 255f;
            }
            return NDArray.fromStorage(HostStorage.wrap(px), n, rows * cols);
        }
    }

    static NDArray labels(Path p) throws IOException {
        try (DataInputStream in = open(p)) {
            int magic = in.readInt();
            if (magic != 0x00000801) {
                throw new IOException(p + ": not an IDX label file (magic " + Integer.toHexString(magic) + ")");
            }
            int n = in.readInt();
            byte[] raw = new byte[n];
            in.readFully(raw);
            long[] y = new long[n];
            for (int i = 0; i < n; i++) {
                y[i] = raw[i] & 0xff;
            }
            return NDArray.fromStorage(HostStorage.wrap(y), n);
        }
    }
}
