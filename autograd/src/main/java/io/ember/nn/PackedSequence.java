package io.ember.nn;

import io.ember.autograd.RecurrentFunctions;
import io.ember.autograd.Tensor;
import java.util.Arrays;

/**
 * A batch of variable-length sequences packed time step by time step, like {@code torch.nn.utils.rnn.PackedSequence}:
 * {@code data} [N, *] holds step 0 of every sequence (longest first), then step 1 of those still running, and so on;
 * {@code batchSizes} (INT64 [T]) says how many run at each step. {@code sortedIndices} maps the packed order to the
 * original batch positions ({@code unsortedIndices} is its inverse); both are null when the input was already sorted.
 * Build one with {@link #packPaddedSequence} and undo it with {@link #padPackedSequence}.
 */
public final class PackedSequence {
    private final Tensor data;
    private final int[] batchSizes;
    private final int[] sortedIndices;
    private final boolean sorted;

    private PackedSequence(Tensor data, int[] batchSizes, int[] sortedIndices, boolean sorted) {
        this.data = data;
        this.batchSizes = batchSizes;
        this.sortedIndices = sortedIndices;
        this.sorted = sorted;
    }

    /** The padded result of {@link #padPackedSequence}: the padded tensor and each sequence's length (INT64). */
    public record Padded(Tensor output, Tensor lengths) {
    }

    /** The packed rows [N, *]. */
    public Tensor data() {
        return data;
    }

    /** How many sequences run at each time step (INT64 [T]). */
    public Tensor batchSizes() {
        return Tensor.of(toLong(batchSizes), batchSizes.length);
    }

    /** Original batch position of each packed column (INT64 [B]), or null if the input was sorted. */
    public Tensor sortedIndices() {
        return sorted ? null : Tensor.of(toLong(sortedIndices), sortedIndices.length);
    }

    /** The inverse permutation of {@link #sortedIndices()}, or null if the input was sorted. */
    public Tensor unsortedIndices() {
        if (sorted) {
            return null;
        }
        long[] inv = new long[sortedIndices.length];
        for (int j = 0; j < sortedIndices.length; j++) {
            inv[sortedIndices[j]] = j;
        }
        return Tensor.of(inv, inv.length);
    }

    int[] batchSizesArray() {
        return batchSizes;
    }

    int[] sortedIndicesArray() {
        return sortedIndices;
    }

    /** Lengths in the original batch order. */
    int[] lengthsArray() {
        int[] lengths = new int[sortedIndices.length];
        for (int bs : batchSizes) {
            for (int j = 0; j < bs; j++) {
                lengths[sortedIndices[j]]++;
            }
        }
        return lengths;
    }

    /** The same packing over new rows (e.g. a layer's output). */
    PackedSequence withData(Tensor newData) {
        return new PackedSequence(newData, batchSizes, sortedIndices, sorted);
    }

    /** {@link #packPaddedSequence(Tensor, int[], boolean, boolean)} with lengths from a 1-D integer tensor. */
    public static PackedSequence packPaddedSequence(Tensor padded, Tensor lengths, boolean batchFirst,
            boolean enforceSorted) {
        long[] l = lengths.toLongArray();
        int[] li = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            li[i] = Math.toIntExact(l[i]);
        }
        return packPaddedSequence(padded, li, batchFirst, enforceSorted);
    }

    /**
     * Packs padded [T, B, *] ([B, T, *] with batchFirst) with the given lengths. With {@code enforceSorted} the
     * lengths must be in decreasing order; otherwise the batch is sorted here and the permutation is kept.
     */
    public static PackedSequence packPaddedSequence(Tensor padded, int[] lengths, boolean batchFirst,
            boolean enforceSorted) {
        if (padded.dim() < 2) {
            throw new IllegalArgumentException("packPaddedSequence: expected padded input of at least 2 dimensions, "
                    + "got " + padded.shape());
        }
        Tensor x = batchFirst ? padded.transpose(0, 1) : padded;
        int steps = x.size(0);
        int batch = x.size(1);
        if (lengths.length != batch) {
            throw new IllegalArgumentException("packPaddedSequence: expected " + batch + " lengths, got "
                    + lengths.length);
        }
        for (int len : lengths) {
            if (len <= 0 || len > steps) {
                throw new IllegalArgumentException("packPaddedSequence: lengths must be in [1, " + steps + "], got "
                        + Arrays.toString(lengths));
            }
        }
        Integer[] order = new Integer[batch];
        for (int i = 0; i < batch; i++) {
            order[i] = i;
        }
        if (enforceSorted) {
            for (int i = 1; i < batch; i++) {
                if (lengths[i] > lengths[i - 1]) {
                    throw new IllegalArgumentException("packPaddedSequence: lengths must be sorted in decreasing "
                            + "order with enforceSorted=true, got " + Arrays.toString(lengths)
                            + "; pass enforceSorted=false to sort them");
                }
            }
        } else {
            Arrays.sort(order, (a, b) -> Integer.compare(lengths[b], lengths[a]));
        }
        int[] sortedIdx = new int[batch];
        for (int i = 0; i < batch; i++) {
            sortedIdx[i] = order[i];
        }
        int maxLen = lengths[sortedIdx[0]];
        int[] bs = new int[maxLen];
        for (int t = 0; t < maxLen; t++) {
            for (int len : lengths) {
                if (len > t) {
                    bs[t]++;
                }
            }
        }
        Tensor data = RecurrentFunctions.packPadded(x, bs, sortedIdx);
        return new PackedSequence(data, bs, sortedIdx, enforceSorted);
    }

    /**
     * Pads back to [T, B, *] ([B, T, *] with batchFirst) in the original batch order, with {@code paddingValue}
     * past each sequence's end; {@code totalLength} (or -1 for the longest length) sets T.
     */
    public static Padded padPackedSequence(PackedSequence packed, boolean batchFirst, double paddingValue,
            int totalLength) {
        int maxLen = packed.batchSizes.length;
        if (totalLength >= 0 && totalLength < maxLen) {
            throw new IllegalArgumentException("padPackedSequence: totalLength " + totalLength
                    + " is shorter than the longest sequence (" + maxLen + ")");
        }
        int t = totalLength < 0 ? maxLen : totalLength;
        Tensor out = RecurrentFunctions.padPacked(packed.data, packed.batchSizes, packed.sortedIndices, t,
                paddingValue);
        int[] lengths = packed.lengthsArray();
        return new Padded(batchFirst ? out.transpose(0, 1) : out, Tensor.of(toLong(lengths), lengths.length));
    }

    private static long[] toLong(int[] a) {
        long[] out = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "PackedSequence(data=" + data.shape() + ", batchSizes=" + Arrays.toString(batchSizes) + ")";
    }
}
