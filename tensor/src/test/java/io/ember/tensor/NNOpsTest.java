package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** embedding and embeddingBackward against loops written here (conv and pooling: ConvTest, PoolTest). */
class NNOpsTest {

    static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void embedding_duplicatesAndShapes_copyRows() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            NDArray w = TestArrays.random(1, t, 6, 3);
            NDArray idx = NDArray.of(new long[] {5, 0, 2, 2, 0, 4}, 2, 3);
            for (NDArray wl : TestArrays.layouts(w)) {
                for (NDArray il : TestArrays.layouts(idx)) {
                    NDArray out = NNOps.embedding(wl, il);
                    assertArrayEquals(new int[] {2, 3, 3}, out.shape().toArray());
                    assertEquals(t, out.dtype());
                    TestArrays.forEachIndex(new int[] {2, 3, 3}, i -> assertEquals(
                            w.getDouble((int) idx.getLong(i[0], i[1]), i[2]), out.getDouble(i), 0.0));
                }
            }
        }
    }

    @Test
    void embedding_scalarAndEmptyIndices_giveRowAndEmpty() {
        NDArray w = TestArrays.random(2, DType.FLOAT32, 4, 2);
        NDArray one = NNOps.embedding(w, NDArray.scalar(DType.INT64, 3));
        assertArrayEquals(new int[] {2}, one.shape().toArray());
        assertArrayEquals(new double[] {w.getDouble(3, 0), w.getDouble(3, 1)}, TestArrays.values(one), 0.0);
        NDArray none = NNOps.embedding(w, NDArray.zeros(DType.INT64, 0, 5));
        assertArrayEquals(new int[] {0, 5, 2}, none.shape().toArray());
    }

    @Test
    void embedding_badArguments_throw() {
        NDArray w = NDArray.zeros(10, 4);
        assertEquals("embedding: index 12 is out of range for 10 embeddings",
                message(() -> NNOps.embedding(w, NDArray.of(new long[] {1, 12}, 2))));
        assertEquals("embedding: index -1 is out of range for 10 embeddings",
                message(() -> NNOps.embedding(w, NDArray.of(new long[] {-1}, 1))));
        String m = message(() -> NNOps.embedding(w, NDArray.zeros(3)));
        assertTrue(m.startsWith("embedding:") && m.contains("int64") && m.contains("float32"), m);
        m = message(() -> NNOps.embedding(NDArray.zeros(10), NDArray.of(new long[] {1}, 1)));
        assertTrue(m.startsWith("embedding:") && m.contains("[10]"), m);
    }

    @Test
    void embeddingBackward_duplicatesAccumulate_paddingRowZero() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            NDArray idx = NDArray.of(new long[] {1, 3, 1, 0, 3, 3, 2, 1}, 2, 4);
            NDArray g = TestArrays.random(5, t, 2, 4, 3);
            for (int pad : new int[] {-1, 3, 4}) {
                double[] ref = new double[5 * 3];
                TestArrays.forEachIndex(new int[] {2, 4, 3}, i -> {
                    int row = (int) idx.getLong(i[0], i[1]);
                    if (row != pad) {
                        ref[row * 3 + i[2]] += g.getDouble(i);
                    }
                });
                for (NDArray gl : TestArrays.layouts(g)) {
                    for (NDArray il : TestArrays.layouts(idx)) {
                        NDArray gw = NNOps.embeddingBackward(gl, il, 5, pad);
                        assertArrayEquals(new int[] {5, 3}, gw.shape().toArray());
                        assertEquals(t, gw.dtype());
                        assertArrayEquals(ref, TestArrays.values(gw), t == DType.FLOAT32 ? 1e-6 : 1e-12);
                    }
                }
            }
        }
    }

    @Test
    void embeddingBackward_handWorked_matches() {
        NDArray idx = NDArray.of(new long[] {2, 0, 2}, 3);
        NDArray g = NDArray.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        NDArray gw = NNOps.embeddingBackward(g, idx, 3, 0);
        assertArrayEquals(new double[] {0, 0, 0, 0, 6, 8}, TestArrays.values(gw), 0.0);
    }

    @Test
    void embeddingBackward_badArguments_throw() {
        NDArray idx = NDArray.of(new long[] {1, 2}, 2);
        String m = message(() -> NNOps.embeddingBackward(NDArray.zeros(3, 4), idx, 5, -1));
        assertTrue(m.startsWith("embeddingBackward:") && m.contains("[3, 4]") && m.contains("[2]"), m);
        m = message(() -> NNOps.embeddingBackward(NDArray.zeros(2, 4), idx, 2, -1));
        assertEquals("embeddingBackward: index 2 is out of range for 2 embeddings", m);
        m = message(() -> NNOps.embeddingBackward(NDArray.zeros(2, 4), idx, 5, 5));
        assertTrue(m.startsWith("embeddingBackward:") && m.contains("paddingIdx 5"), m);
        m = message(() -> NNOps.embeddingBackward(NDArray.zeros(2, 4), NDArray.zeros(2), 5, -1));
        assertTrue(m.startsWith("embeddingBackward:") && m.contains("int64"), m);
    }

    @Test
    void reluBackward_contiguousStridedAndDouble_matchLoop() {
        for (NDArray y : new NDArray[] {NDArray.randn(new Generator(3), 70, 600).relu(),
            NDArray.randn(new Generator(4), 600, 70).relu().t(), NDArray.randn(new Generator(5), 9, 7).relu().to(DType.FLOAT64)}) {
            NDArray g = NDArray.randn(new Generator(6), y.shape().toArray()).to(y.dtype());
            NDArray out = NNOps.reluBackward(g, y);
            for (int i = 0; i < y.size(0); i++) {
                for (int j = 0; j < y.size(1); j++) {
                    double ref = y.getDouble(i, j) > 0 ? g.getDouble(i, j) : 0;
                    org.junit.jupiter.api.Assertions.assertEquals(ref, out.getDouble(i, j), 0.0);
                }
            }
        }
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> NNOps.reluBackward(NDArray.zeros(2, 3), NDArray.zeros(3, 2)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("reluBackward"), e.getMessage());
    }
}
