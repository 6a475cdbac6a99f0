package io.ember.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ember.autograd.Tensor;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import org.junit.jupiter.api.Test;

class PackedSequenceTest {
    @Test
    void pack_unsorted_layoutAndRoundTrip() {
        Tensor padded = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 3, 3); // [B=3, T=3] batch first
        PackedSequence p = PackedSequence.packPaddedSequence(padded, new int[] {2, 3, 1}, true, false);
        assertArrayEquals(new long[] {3, 2, 1}, p.batchSizes().toLongArray());
        assertArrayEquals(new long[] {1, 0, 2}, p.sortedIndices().toLongArray());
        assertArrayEquals(new long[] {1, 0, 2}, p.unsortedIndices().toLongArray());
        assertArrayEquals(new float[] {4, 1, 7, 5, 2, 6}, p.data().toFloatArray());
        PackedSequence.Padded back = PackedSequence.padPackedSequence(p, true, -1, -1);
        assertArrayEquals(new float[] {1, 2, -1, 4, 5, 6, 7, -1, -1}, back.output().contiguous().toFloatArray());
        assertArrayEquals(new long[] {2, 3, 1}, back.lengths().toLongArray());
    }

    @Test
    void pack_enforceSortedWithUnsortedLengths_throws() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PackedSequence
                .packPaddedSequence(Tensor.zeros(3, 2, 1), new int[] {1, 3}, false, true));
        assertEquals("packPaddedSequence: lengths must be sorted in decreasing order with enforceSorted=true, got "
                + "[1, 3]; pass enforceSorted=false to sort them", e.getMessage());
    }

    private static void checkPackedMatchesPerSequence(RNNBase layer, boolean lstm) {
        int[] lengths = {3, 5, 1, 4};
        Tensor padded = Tensor.randn(new Generator(41), 5, 4, 3);
        Tensor h0 = Tensor.randn(new Generator(42), layer.isBidirectional() ? 2 : 1, 4, 4);
        Tensor c0 = lstm ? Tensor.randn(new Generator(43), h0.size(0), 4, 4) : null;
        PackedSequence packed = PackedSequence.packPaddedSequence(padded, lengths, false, false);
        RNNBase.PackedOutput po = layer.forward(packed, new RNNBase.State(h0, c0));
        Tensor out = PackedSequence.padPackedSequence(po.output(), false, 0, 5).output();
        for (int b = 0; b < 4; b++) {
            int len = lengths[b];
            Tensor xs = Tensor.of(padded.data().narrow(0, 0, len).narrow(1, b, 1).contiguous());
            Tensor hs = Tensor.of(h0.data().narrow(1, b, 1).contiguous());
            Tensor cs = lstm ? Tensor.of(c0.data().narrow(1, b, 1).contiguous()) : null;
            RNNBase.Output one = layer.forward(xs, new RNNBase.State(hs, cs));
            NDArray got = out.data().narrow(0, 0, len).narrow(1, b, 1);
            assertTrue(got.allClose(one.output().data(), 1e-5, 1e-6), "sequence " + b);
            if (len < 5) {
                assertTrue(out.data().narrow(0, len, 5 - len).narrow(1, b, 1).eq(0.0).all().getBoolean());
            }
            assertTrue(po.hN().data().narrow(1, b, 1).allClose(one.hN().data(), 1e-5, 1e-6), "hN " + b);
            if (lstm) {
                assertTrue(po.cN().data().narrow(1, b, 1).allClose(one.cN().data(), 1e-5, 1e-6), "cN " + b);
            }
        }
    }

    @Test
    void lstm_packedBidirectional_matchesPerSequence() {
        checkPackedMatchesPerSequence(new LSTM(3, 4, 1, true, false, 0, true), true);
    }

    @Test
    void gru_packed_matchesPerSequence() {
        checkPackedMatchesPerSequence(new GRU(3, 4), false);
    }

    @Test
    void rnn_packedBidirectional_matchesPerSequence() {
        checkPackedMatchesPerSequence(new RNN(3, 4, 1, "tanh", true, false, 0, true), false);
    }

    @Test
    void packed_backward_reachesInputOnlyAtValidSteps() {
        LSTM lstm = new LSTM(3, 4);
        Tensor padded = Tensor.randn(new Generator(44), 4, 2, 3).requiresGrad(true);
        PackedSequence p = PackedSequence.packPaddedSequence(padded, new int[] {4, 2}, false, true);
        lstm.forward(p).output().data().sum().backward();
        NDArray g = padded.grad().data();
        assertTrue(g.narrow(0, 2, 2).narrow(1, 1, 1).eq(0.0).all().getBoolean());
        assertTrue(g.narrow(0, 0, 2).abs().sum().item() > 0);
    }
}
