package io.ember.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DatasetTest {
    @Test
    void tensorDataset_get_returnsRowOfEach() {
        NDArray x = NDArray.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        NDArray y = NDArray.of(new long[] {7, 8, 9}, 3);
        TensorDataset ds = TensorDataset.of(x, y);
        assertEquals(3, ds.size());
        List<Tensor> row = ds.get(1);
        assertArrayEquals(new float[] {3, 4}, row.get(0).toFloatArray());
        assertEquals(0, row.get(1).dim());
        assertEquals(8, row.get(1).item());
    }

    @Test
    void tensorDataset_sizeMismatch_namesTensorsAndSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorDataset.of(Tensor.zeros(100, 784), Tensor.zeros(99)));
        assertEquals("TensorDataset: all tensors must have the same size in dim 0, but tensor 0 [100, 784] has 100 "
                + "and tensor 1 [99] has 99", e.getMessage());
    }

    @Test
    void tensorDataset_indexOutOfRange_fails() {
        TensorDataset ds = TensorDataset.of(NDArray.zeros(3, 2));
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> ds.get(3));
        assertEquals("TensorDataset: index 3 out of range for 3 samples", e.getMessage());
    }

    @Test
    void subset_get_mapsIndices() {
        TensorDataset ds = TensorDataset.of(NDArray.of(new long[] {10, 11, 12, 13, 14}, 5));
        Subset<List<Tensor>> s = new Subset<>(ds, new int[] {4, 0, 2});
        assertEquals(3, s.size());
        assertEquals(14, s.get(0).get(0).item());
        assertEquals(10, s.get(1).get(0).item());
        assertEquals("Subset: index 5 at position 1 is out of range for a dataset of size 5",
                assertThrows(IllegalArgumentException.class, () -> new Subset<>(ds, new int[] {0, 5})).getMessage());
    }

    @Test
    void concat_get_continuesIntoNextPart() {
        Dataset<Integer> a = new Dataset<>() {
            public int size() {
                return 2;
            }

            public Integer get(int i) {
                return 100 + i;
            }
        };
        Dataset<Integer> b = new Dataset<>() {
            public int size() {
                return 3;
            }

            public Integer get(int i) {
                return 200 + i;
            }
        };
        ConcatDataset<Integer> c = ConcatDataset.of(a, b, a);
        assertEquals(7, c.size());
        int[] got = new int[7];
        for (int i = 0; i < 7; i++) {
            got[i] = c.get(i);
        }
        assertArrayEquals(new int[] {100, 101, 200, 201, 202, 100, 101}, got);
        assertThrows(IndexOutOfBoundsException.class, () -> c.get(7));
    }

    @Test
    void randomSplit_lengths_disjointAndCovering() {
        TensorDataset ds = TensorDataset.of(NDArray.arange(10));
        List<Subset<List<Tensor>>> parts = Datasets.randomSplit(ds, new int[] {3, 7}, new Generator(1));
        assertEquals(3, parts.get(0).size());
        assertEquals(7, parts.get(1).size());
        Set<Integer> seen = new HashSet<>();
        for (Subset<List<Tensor>> p : parts) {
            for (int i : p.indices()) {
                assertTrue(seen.add(i), "index " + i + " twice");
            }
        }
        assertEquals(10, seen.size());
        List<Subset<List<Tensor>>> again = Datasets.randomSplit(ds, new int[] {3, 7}, new Generator(1));
        assertArrayEquals(parts.get(0).indices(), again.get(0).indices(), "reproducible from the seed");
    }

    @Test
    void randomSplit_fractions_remainderGoesToFirstParts() {
        TensorDataset ds = TensorDataset.of(NDArray.arange(11));
        // floor(5.5, 3.3, 2.2) = 5, 3, 2 -> one left over for the first part
        List<Subset<List<Tensor>>> parts = Datasets.randomSplit(ds, new double[] {0.5, 0.3, 0.2}, new Generator(2));
        assertArrayEquals(new int[] {6, 3, 2}, parts.stream().mapToInt(Subset::size).toArray());
        // 10 * 0.34 etc.: floor 3, 3, 3 -> one left over
        List<Subset<List<Tensor>>> thirds = Datasets.randomSplit(TensorDataset.of(NDArray.arange(10)),
                new double[] {0.34, 0.33, 0.33}, new Generator(2));
        assertArrayEquals(new int[] {4, 3, 3}, thirds.stream().mapToInt(Subset::size).toArray());
    }

    @Test
    void randomSplit_badLengths_failClearly() {
        TensorDataset ds = TensorDataset.of(NDArray.arange(10));
        assertEquals("randomSplit: lengths [3, 6] add up to 9, but the dataset has 10 samples",
                assertThrows(IllegalArgumentException.class,
                        () -> Datasets.randomSplit(ds, new int[] {3, 6}, new Generator(1))).getMessage());
        assertEquals("randomSplit: fractions [0.5, 0.6] add up to 1.1, expected 1",
                assertThrows(IllegalArgumentException.class,
                        () -> Datasets.randomSplit(ds, new double[] {0.5, 0.6}, new Generator(1))).getMessage());
    }

    @Test
    void collate_mixedFields_stacksEachPosition() {
        List<Object> s0 = List.of(NDArray.of(new float[] {1, 2}, 2), 3L, 0.5);
        List<Object> s1 = List.of(Tensor.of(new float[] {4, 5}, 2), 6L, 1.5);
        Batch b = Collate.stack(List.of(s0, s1));
        assertEquals(3, b.size());
        assertEquals(2, b.batchSize());
        assertArrayEquals(new int[] {2, 2}, b.get(0).sizes());
        assertArrayEquals(new float[] {1, 2, 4, 5}, b.get(0).toFloatArray());
        assertArrayEquals(new long[] {3, 6}, b.get(1).toLongArray());
        assertEquals(io.ember.tensor.DType.FLOAT64, b.get(2).dtype());
        assertArrayEquals(new double[] {0.5, 1.5}, b.get(2).toDoubleArray());
    }

    @Test
    void collate_shapeMismatch_namesFieldAndSamples() {
        List<Object> s0 = List.of(NDArray.zeros(2), 1L);
        List<Object> s1 = List.of(NDArray.zeros(3), 1L);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Collate.stack(List.of(s0, s1)));
        assertEquals("collate: field 0: cannot stack samples of different shapes: sample 0 [2], sample 1 [3]",
                e.getMessage());
        assertEquals("collate: cannot stack samples of type a String; pass DataLoader.Builder.collate(...)",
                assertThrows(IllegalArgumentException.class, () -> Collate.stack(Arrays.asList("a", "b")))
                        .getMessage());
    }
}
