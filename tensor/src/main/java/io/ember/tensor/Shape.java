package io.ember.tensor;

import java.util.Arrays;

/** An immutable list of dimension sizes. {@code toString} prints like PyTorch: {@code [64, 784]}. */
public final class Shape {
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A shape from sizes; every size must be >= 0. */
    public static Shape of(int... dims) {
        int[] d = dims.clone();
        check("Shape.of", d);
        return new Shape(d);
    }

    static Shape wrap(int[] dims) {
        return new Shape(dims);
    }

    static void check(String op, int[] dims) {
        long n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException(op + ": negative dimension in shape " + Arrays.toString(dims));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException(op + ": shape " + Arrays.toString(dims)
                        + " has more than " + (Integer.MAX_VALUE - 8) + " elements");
            }
        }
    }

    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int get(int i) {
        return dims[normalizeDim("Shape.get", i, dims.length)];
    }

    public int[] toArray() {
        return dims.clone();
    }

    public int numel() {
        return numel(dims);
    }

    static int numel(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** Turns a possibly negative dim into {@code [0, rank)}, or throws naming the op. */
    public static int normalizeDim(String op, int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IllegalArgumentException(op + ": dim " + dim + " out of range for a tensor of rank " + rank
                    + " (expected " + (-r) + ".." + (r - 1) + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
