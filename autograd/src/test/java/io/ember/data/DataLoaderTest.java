package io.ember.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.NDArray;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class DataLoaderTest {
    /** x[i] = [[i, i + 0.5, i + 0.25], [-i, 10 i, 1]] (float32 [n, 2, 3]), y[i] = i (int64). */
    private static TensorDataset dataset(int n) {
        float[] x = new float[n * 6];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            float[] row = {i, i + 0.5f, i + 0.25f, -i, 10f * i, 1};
            System.arraycopy(row, 0, x, i * 6, 6);
            y[i] = i;
        }
        return TensorDataset.of(NDArray.of(x, n, 2, 3), NDArray.of(y, n));
    }

    private static List<long[]> labelsPerBatch(Iterable<Batch> loader) {
        List<long[]> out = new ArrayList<>();
        for (Batch b : loader) {
            out.add(b.get(1).toLongArray());
        }
        return out;
    }

    private static long[] flatten(List<long[]> batches) {
        return batches.stream().flatMapToLong(Arrays::stream).toArray();
    }

    @Test
    void size_dropLast_countsBatches() {
        TensorDataset ds = dataset(10);
        DataLoader<List<Tensor>, Batch> keep = DataLoader.builder(ds).batchSize(3).build();
        DataLoader<List<Tensor>, Batch> drop = DataLoader.builder(ds).batchSize(3).dropLast(true).build();
        assertEquals(4, keep.size());
        assertEquals(3, drop.size());
        List<long[]> k = labelsPerBatch(keep);
        assertEquals(4, k.size());
        assertArrayEquals(new long[] {9}, k.get(3));
        List<long[]> d = labelsPerBatch(drop);
        assertEquals(3, d.size());
        assertArrayEquals(new long[] {6, 7, 8}, d.get(2));
    }

    @Test
    void defaultCollate_tensorDataset_equalsManualStacking() {
        DataLoader<List<Tensor>, Batch> loader = DataLoader.builder(dataset(10)).batchSize(4).build();
        List<Batch> batches = new ArrayList<>();
        loader.forEach(batches::add);
        Batch b = batches.get(1); // samples 4..7
        assertArrayEquals(new int[] {4, 2, 3}, b.get(0).sizes());
        float[] expected = new float[4 * 6];
        for (int s = 0; s < 4; s++) {
            int i = 4 + s;
            float[] row = {i, i + 0.5f, i + 0.25f, -i, 10f * i, 1};
            System.arraycopy(row, 0, expected, s * 6, 6);
        }
        assertArrayEquals(expected, b.get(0).toFloatArray());
        assertArrayEquals(new long[] {4, 5, 6, 7}, b.get(1).toLongArray());
        assertEquals(4, b.batchSize());
        assertFalse(b.get(0).requiresGrad());
    }

    @Test
    void defaultCollate_shuffled_keepsFeaturesAndLabelsAligned() {
        for (Batch b : DataLoader.builder(dataset(20)).batchSize(6).shuffle(true).seed(3).build()) {
            float[] x = b.get(0).toFloatArray();
            long[] y = b.get(1).toLongArray();
            for (int s = 0; s < y.length; s++) {
                assertEquals(y[s], x[s * 6], 0);
                assertEquals(10f * y[s], x[s * 6 + 4], 0);
            }
        }
    }

    @Test
    void defaultCollate_genericDataset_matchesTensorDatasetFastPath() {
        TensorDataset td = dataset(9);
        Dataset<List<Object>> generic = new Dataset<>() {
            public int size() {
                return 9;
            }

            public List<Object> get(int i) {
                return List.of(td.arrays().get(0).select(0, i), (long) i);
            }
        };
        List<Batch> fast = new ArrayList<>();
        DataLoader.builder(td).batchSize(4).shuffle(true).seed(9).build().forEach(fast::add);
        List<Batch> slow = new ArrayList<>();
        DataLoader.builder(generic).batchSize(4).shuffle(true).seed(9).build().forEach(slow::add);
        assertEquals(3, slow.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(fast.get(i).get(0).data(), slow.get(i).get(0).data());
            assertEquals(fast.get(i).get(1).data(), slow.get(i).get(1).data());
        }
    }

    @Test
    void defaultCollate_subsetOfTensorDataset_mapsIndices() {
        Subset<List<Tensor>> sub = new Subset<>(dataset(10), new int[] {9, 2, 5});
        List<long[]> got = labelsPerBatch(DataLoader.builder(sub).batchSize(2).build());
        assertArrayEquals(new long[] {9, 2}, got.get(0));
        assertArrayEquals(new long[] {5}, got.get(1));
    }

    @Test
    void customCollate_receivesSamplesInOrder() {
        DataLoader<List<Tensor>, String> loader = DataLoader.builder(dataset(5)).batchSize(2)
                .collate(samples -> samples.stream().map(s -> String.valueOf((long) s.get(1).item()))
                        .collect(Collectors.joining(",")))
                .build();
        List<String> out = new ArrayList<>();
        loader.forEach(out::add);
        assertEquals(List.of("0,1", "2,3", "4"), out);
    }

    @Test
    void shuffle_seed_everyIndexOncePerEpoch_reproducible_differentPerEpoch() {
        DataLoader<List<Tensor>, Batch> a = DataLoader.builder(dataset(23)).batchSize(5).shuffle(true).seed(42).build();
        DataLoader<List<Tensor>, Batch> b = DataLoader.builder(dataset(23)).batchSize(5).shuffle(true).seed(42).build();
        long[] a1 = flatten(labelsPerBatch(a));
        long[] a2 = flatten(labelsPerBatch(a));
        for (long[] epoch : List.of(a1, a2)) {
            long[] sorted = epoch.clone();
            Arrays.sort(sorted);
            for (int i = 0; i < 23; i++) {
                assertEquals(i, sorted[i]);
            }
        }
        assertFalse(Arrays.equals(a1, a2), "a new order each epoch");
        assertArrayEquals(a1, flatten(labelsPerBatch(b)));
        assertArrayEquals(a2, flatten(labelsPerBatch(b)));
    }

    @Test
    void numWorkers_two_sameBatchesAsZero() {
        DataLoader<List<Tensor>, Batch> serial = DataLoader.builder(dataset(50)).batchSize(7).shuffle(true).seed(5).build();
        DataLoader<List<Tensor>, Batch> parallel = DataLoader.builder(dataset(50)).batchSize(7).shuffle(true).seed(5)
                .numWorkers(2).prefetch(3).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            List<Batch> s = new ArrayList<>();
            serial.forEach(s::add);
            List<Batch> p = new ArrayList<>();
            parallel.forEach(p::add);
            assertEquals(8, p.size());
            for (int i = 0; i < s.size(); i++) {
                assertEquals(s.get(i).get(0).data(), p.get(i).get(0).data(), "epoch " + epoch + " batch " + i);
                assertEquals(s.get(i).get(1).data(), p.get(i).get(1).data());
            }
        }
    }

    /** Integer samples i; records the threads that loaded them; throws at {@code failAt}. */
    private static final class Recording implements Dataset<Integer> {
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final int size;
        final int failAt;

        Recording(int size, int failAt) {
            this.size = size;
            this.failAt = failAt;
        }

        public int size() {
            return size;
        }

        public Integer get(int i) {
            threads.add(Thread.currentThread().getName());
            if (i == failAt) {
                throw new IllegalStateException("corrupt record " + i);
            }
            return i;
        }
    }

    @Test
    void numWorkers_loadsOnDaemonWorkerThreads_inOrder() {
        Recording ds = new Recording(40, -1);
        List<long[]> got = new ArrayList<>();
        for (Batch b : DataLoader.builder(ds).batchSize(3).numWorkers(2).build()) {
            got.add(b.get(0).toLongArray());
        }
        long[] all = flatten(got);
        for (int i = 0; i < 40; i++) {
            assertEquals(i, all[i]);
        }
        assertFalse(ds.threads.isEmpty());
        for (String t : ds.threads) {
            assertTrue(t.startsWith(LoaderIterator.THREAD_PREFIX), t);
        }
    }

    @Test
    void datasetException_surfacesInConsumer_withFailingIndex() {
        for (int workers : new int[] {0, 2}) {
            DataLoader<Integer, Batch> loader = DataLoader.builder(new Recording(20, 13)).batchSize(4)
                    .numWorkers(workers).build();
            List<Batch> seen = new ArrayList<>();
            CloseableIterator<Batch> it = loader.iterator();
            DataLoaderException e = assertThrows(DataLoaderException.class, () -> {
                while (it.hasNext()) {
                    seen.add(it.next());
                }
            });
            assertEquals(3, seen.size(), "batches before the failing one arrive (workers " + workers + ")");
            assertEquals(13, e.sampleIndex());
            assertEquals(3, e.batchIndex());
            assertTrue(e.getMessage().startsWith("DataLoader: loading sample 13 of batch 3 failed: "), e.getMessage());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertEquals("corrupt record 13", e.getCause().getMessage());
            assertFalse(it.hasNext(), "the failed iterator is closed");
        }
    }

    private static Set<Thread> workerThreads() {
        Set<Thread> out = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(LoaderIterator.THREAD_PREFIX) && t.isAlive()) {
                out.add(t);
            }
        }
        return out;
    }

    private static Set<Thread> newWorkers(Set<Thread> before) {
        Set<Thread> now = workerThreads();
        now.removeAll(before);
        return now;
    }

    private static void awaitDead(Set<Thread> threads, boolean collectGarbage) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (threads.stream().anyMatch(Thread::isAlive) && System.nanoTime() < deadline) {
            if (collectGarbage) {
                System.gc();
            }
            Thread.sleep(20);
        }
    }

    @Test
    void close_midEpoch_stopsWorkers() throws InterruptedException {
        Set<Thread> before = workerThreads();
        DataLoader<Integer, Batch> loader = DataLoader.builder(new Recording(100, -1)).batchSize(2).numWorkers(2).build();
        Set<Thread> mine;
        try (CloseableIterator<Batch> it = loader.iterator()) {
            it.next();
            mine = newWorkers(before);
            assertFalse(mine.isEmpty(), "workers started");
            for (Thread t : mine) {
                assertTrue(t.isDaemon(), t.getName() + " is a daemon");
            }
        }
        awaitDead(mine, false);
        for (Thread t : mine) {
            assertFalse(t.isAlive(), t.getName() + " still alive after close: " + t.getState());
        }
    }

    @Test
    void exhaustedEpoch_stopsWorkers() throws InterruptedException {
        Set<Thread> before = workerThreads();
        DataLoader<Integer, Batch> loader = DataLoader.builder(new Recording(10, -1)).batchSize(2).numWorkers(2).build();
        Set<Thread> mine = new HashSet<>();
        for (Batch b : loader) {
            mine.addAll(newWorkers(before));
        }
        assertFalse(mine.isEmpty());
        awaitDead(mine, false);
        assertTrue(mine.stream().noneMatch(Thread::isAlive));
    }

    private static Set<Thread> startAndAbandon(DataLoader<Integer, Batch> loader, Set<Thread> before) {
        for (Batch b : loader) {
            break; // a for-each loop left early never closes its iterator
        }
        return newWorkers(before);
    }

    @Test
    void abandonedIterator_workersStopOnceCollected() throws InterruptedException {
        Set<Thread> before = workerThreads();
        DataLoader<Integer, Batch> loader = DataLoader.builder(new Recording(100, -1)).batchSize(2).numWorkers(2).build();
        Set<Thread> mine = startAndAbandon(loader, before);
        assertFalse(mine.isEmpty());
        awaitDead(mine, true); // well under the 30 s idle timeout
        for (Thread t : mine) {
            assertFalse(t.isAlive(), t.getName() + " leaked: " + t.getState());
        }
    }

    @Test
    void builder_conflictingOptions_failClearly() {
        TensorDataset ds = dataset(4);
        assertEquals("DataLoader: sampler and shuffle(true) are mutually exclusive",
                assertThrows(IllegalArgumentException.class,
                        () -> DataLoader.builder(ds).shuffle(true).sampler(new SequentialSampler(4)).build())
                        .getMessage());
        assertEquals("DataLoader: batchSize must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).batchSize(0)).getMessage());
        assertEquals("DataLoader: batchSampler excludes batchSize, shuffle, dropLast and sampler",
                assertThrows(IllegalArgumentException.class, () -> DataLoader.builder(ds).batchSize(2)
                        .batchSampler(new BatchSampler(new SequentialSampler(4), 2, false)).build()).getMessage());
    }

    @Test
    void sampler_weighted_drivesTheOrder() {
        BatchSampler bs = new BatchSampler(new SequentialSampler(4), 3, false);
        DataLoader<List<Tensor>, Batch> loader = DataLoader.builder(dataset(4)).batchSampler(bs).build();
        assertSame(bs, loader.batchSampler());
        assertEquals(2, loader.size());
        DataLoader<List<Tensor>, Batch> w = DataLoader.builder(dataset(4)).batchSize(5)
                .sampler(new WeightedRandomSampler(new double[] {0, 0, 1, 0}, 5, true, new io.ember.tensor.Generator(1)))
                .build();
        assertArrayEquals(new long[] {2, 2, 2, 2, 2}, labelsPerBatch(w).get(0));
    }
}
