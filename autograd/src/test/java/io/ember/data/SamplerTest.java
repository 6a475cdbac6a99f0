package io.ember.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.tensor.Generator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static int[] epoch(Iterable<Integer> sampler) {
        List<Integer> out = new ArrayList<>();
        sampler.forEach(out::add);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Test
    void sequential_iterates_inOrder() {
        assertArrayEquals(new int[] {0, 1, 2, 3}, epoch(new SequentialSampler(4)));
        assertEquals(0, epoch(new SequentialSampler(0)).length);
    }

    @Test
    void random_eachEpoch_isPermutation() {
        RandomSampler s = new RandomSampler(50, new Generator(3));
        for (int e = 0; e < 3; e++) {
            int[] p = epoch(s);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < 50; i++) {
                assertEquals(i, sorted[i]);
            }
        }
    }

    @Test
    void random_sameSeed_sameSequenceOfEpochs_differentPerEpoch() {
        RandomSampler a = new RandomSampler(30, new Generator(42));
        RandomSampler b = new RandomSampler(30, new Generator(42));
        int[] a1 = epoch(a);
        int[] a2 = epoch(a);
        assertArrayEquals(a1, epoch(b));
        assertArrayEquals(a2, epoch(b));
        assertFalse(Arrays.equals(a1, a2), "a new permutation each epoch");
        assertFalse(Arrays.equals(a1, epoch(new RandomSampler(30, new Generator(43)))));
        int[] identity = epoch(new SequentialSampler(30));
        assertFalse(Arrays.equals(a1, identity));
    }

    @Test
    void random_withReplacement_drawsNumSamplesInRange() {
        RandomSampler s = new RandomSampler(5, true, 1000, new Generator(1));
        assertEquals(1000, s.size());
        int[] counts = new int[5];
        for (int i : epoch(s)) {
            counts[i]++;
        }
        for (int c : counts) {
            assertTrue(c > 140 && c < 260, "roughly uniform: " + Arrays.toString(counts));
        }
    }

    @Test
    void random_numSamplesBeyondSizeWithoutReplacement_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RandomSampler(5, false, 6, new Generator(1)));
        assertEquals("RandomSampler: numSamples 6 exceeds the dataset size 5 without replacement", e.getMessage());
    }

    @Test
    void weighted_withReplacement_frequenciesFollowWeights() {
        double[] w = {1, 2, 0, 3, 4};
        int n = 20000;
        int[] counts = new int[w.length];
        for (int i : epoch(new WeightedRandomSampler(w, n, true, new Generator(11)))) {
            counts[i]++;
        }
        assertEquals(0, counts[2], "zero weight never drawn");
        // chi-square against expected n * w / 10 over the 4 positive cells (3 dof): 99.99th percentile ~ 21
        double chi2 = 0;
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                double expected = n * w[i] / 10.0;
                chi2 += (counts[i] - expected) * (counts[i] - expected) / expected;
            }
        }
        assertTrue(chi2 < 21, "chi2 " + chi2 + " counts " + Arrays.toString(counts));
    }

    @Test
    void weighted_withoutReplacement_uniqueAndFirstPickFollowsWeights() {
        WeightedRandomSampler s = new WeightedRandomSampler(new double[] {1, 0, 3, 1}, 3, false, new Generator(5));
        int firstIsTwo = 0;
        int epochs = 4000;
        for (int e = 0; e < epochs; e++) {
            int[] p = epoch(s);
            assertEquals(3, p.length);
            int[] sorted = p.clone();
            Arrays.sort(sorted);
            assertArrayEquals(new int[] {0, 2, 3}, sorted, "each positive-weight index once, zero weight never");
            if (p[0] == 2) {
                firstIsTwo++;
            }
        }
        // P(first = 2) = 3 / 5; binomial sd = sqrt(4000 * 0.6 * 0.4) ~ 31
        assertEquals(0.6 * epochs, firstIsTwo, 160);
    }

    @Test
    void weighted_badArguments_failClearly() {
        assertEquals("WeightedRandomSampler: weights must be finite and >= 0, got -1.0 at index 1",
                assertThrows(IllegalArgumentException.class,
                        () -> new WeightedRandomSampler(new double[] {1, -1}, 2, true, new Generator(1))).getMessage());
        assertEquals("WeightedRandomSampler: numSamples 3 exceeds the 2 indices of positive weight without replacement",
                assertThrows(IllegalArgumentException.class,
                        () -> new WeightedRandomSampler(new double[] {1, 0, 2}, 3, false, new Generator(1)))
                        .getMessage());
    }

    @Test
    void batchSampler_dropLast_sizesAndContents() {
        BatchSampler keep = new BatchSampler(new SequentialSampler(10), 4, false);
        BatchSampler drop = new BatchSampler(new SequentialSampler(10), 4, true);
        assertEquals(3, keep.size());
        assertEquals(2, drop.size());
        List<int[]> k = new ArrayList<>();
        keep.forEach(k::add);
        assertArrayEquals(new int[] {0, 1, 2, 3}, k.get(0));
        assertArrayEquals(new int[] {8, 9}, k.get(2));
        List<int[]> d = new ArrayList<>();
        drop.forEach(d::add);
        assertEquals(2, d.size());
        assertArrayEquals(new int[] {4, 5, 6, 7}, d.get(1));
        BatchSampler exact = new BatchSampler(new SequentialSampler(8), 4, true);
        assertEquals(2, exact.size());
        assertEquals(0, new BatchSampler(new SequentialSampler(3), 4, true).size());
    }
}
