package io.ember.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrinterTest {

    @Test
    void format_integralFloats2d_printsDotsAlignedRows() {
        NDArray x = NDArray.of(new float[][] {{1, 2}, {3, 4}});
        assertEquals("tensor([[1., 2.],\n        [3., 4.]], dtype=float32)", x.toString());
    }

    @Test
    void format_fractionalFloats_fourDecimalsPaddedColumns() {
        NDArray x = NDArray.of(new double[] {0.123456, -12.5, 3});
        assertEquals("tensor([  0.1235, -12.5000,   3.0000], dtype=float64)", x.toString());
    }

    @Test
    void format_largeRatio_usesScientific() {
        NDArray x = NDArray.of(new float[] {1e5f, 1f});
        assertEquals("tensor([1.0000e+05, 1.0000e+00], dtype=float32)", x.toString());
        NDArray tiny = NDArray.of(new double[] {1e-5, 2e-5});
        assertEquals("tensor([1.0000e-05, 2.0000e-05], dtype=float64)", tiny.toString());
        NDArray huge = NDArray.of(new double[] {2e9, 3e9});
        assertEquals("tensor([2.0000e+09, 3.0000e+09], dtype=float64)", huge.toString());
    }

    @Test
    void format_nanAndInf_printedAndPadded() {
        NDArray x = NDArray.of(new float[] {Float.NaN, Float.NEGATIVE_INFINITY, 1.5f});
        assertEquals("tensor([   nan,   -inf, 1.5000], dtype=float32)", x.toString());
    }

    @Test
    void format_ints_plainPadded() {
        NDArray x = NDArray.of(new long[] {1, -20, 300}, 3, 1);
        assertEquals("tensor([[  1],\n        [-20],\n        [300]], dtype=int64)", x.toString());
    }

    @Test
    void format_bools_trueFalse() {
        NDArray x = NDArray.of(new boolean[] {true, false});
        assertEquals("tensor([ True, False], dtype=bool)", x.toString());
    }

    @Test
    void format_zeroDim_noBrackets() {
        assertEquals("tensor(3.5000, dtype=float32)", NDArray.scalar(3.5).toString());
        assertEquals("tensor(7, dtype=int64)", NDArray.scalar(DType.INT64, 7).toString());
    }

    @Test
    void format_empty_printsSize() {
        assertEquals("tensor([], size=(0, 3), dtype=float32)", NDArray.zeros(0, 3).toString());
        assertEquals("tensor([], dtype=int64)", NDArray.zeros(DType.INT64, 0).toString());
    }

    @Test
    void format_threeDims_blankLineBetweenBlocks() {
        NDArray x = NDArray.arange(8).reshape(2, 2, 2);
        String expected = "tensor([[[0, 1],\n"
                + "         [2, 3]],\n"
                + "\n"
                + "        [[4, 5],\n"
                + "         [6, 7]]], dtype=int64)";
        assertEquals(expected, x.toString());
    }

    @Test
    void format_nonContiguousView_printsLogicalOrder() {
        NDArray x = NDArray.arange(6).reshape(2, 3).t();
        assertEquals("tensor([[0, 3],\n        [1, 4],\n        [2, 5]], dtype=int64)", x.toString());
    }

    @Test
    void format_moreThanThreshold1d_summarizesWithDots() {
        NDArray x = NDArray.arange(2000);
        assertEquals("tensor([   0,    1,    2,  ..., 1997, 1998, 1999], dtype=int64)", x.toString());
    }

    @Test
    void format_moreThanThreshold2d_summarizesRowsAndColumns() {
        NDArray x = NDArray.arange(40 * 40).reshape(40, 40);
        String expected = "tensor([[   0,    1,    2,  ...,   37,   38,   39],\n"
                + "        [  40,   41,   42,  ...,   77,   78,   79],\n"
                + "        [  80,   81,   82,  ...,  117,  118,  119],\n"
                + "        ...,\n"
                + "        [1480, 1481, 1482,  ..., 1517, 1518, 1519],\n"
                + "        [1520, 1521, 1522,  ..., 1557, 1558, 1559],\n"
                + "        [1560, 1561, 1562,  ..., 1597, 1598, 1599]], dtype=int64)";
        assertEquals(expected, x.toString());
    }

    @Test
    void format_exactlyThreshold_notSummarized() {
        String s = NDArray.zeros(1000).toString();
        assertTrue(!s.contains("..."), s);
        assertEquals(1000, s.split("0\\.", -1).length - 1);
    }

    @Test
    void format_longRow_wrapsAt80Columns() {
        NDArray x = NDArray.arange(30);
        String s = x.toString();
        for (String line : s.split("\n")) {
            assertTrue(line.length() <= 80, line);
        }
        // 30 two-char items of width 4 each per slot: (80 - 7) / 4 = 18 per line
        assertEquals("tensor([ 0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14, 15, 16, 17,\n"
                + "        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29], dtype=int64)", s);
    }

    @Test
    void format_negativeIntegralFloats_keepDot() {
        assertEquals("tensor([-1.,  0.,  2.], dtype=float32)", NDArray.of(new float[] {-1, 0, 2}).toString());
    }

    @Test
    void format_exactTies_roundHalfEvenLikePython() {
        // Python: "{:.4f}".format(0.03125) == "0.0312", "{:.4f}".format(0.09375) == "0.0938"
        assertEquals("tensor([0.0312, 0.0938], dtype=float64)", NDArray.of(new double[] {0.03125, 0.09375}).toString());
    }

    @Test
    void format_negativeZeroAndNegativeScientific() {
        assertEquals("tensor([-0.0000,  1.5000], dtype=float32)", NDArray.of(new float[] {-0.0f, 1.5f}).toString());
        assertEquals("tensor([-1.0000e+05,  1.0000e+00], dtype=float64)",
                NDArray.of(new double[] {-1e5, 1}).toString());
        // 999999.5 rounds to 1.0000e+06 (mantissa carry); 1e-300 has a three-digit exponent
        assertEquals("tensor([ 1.0000e+06, 1.0000e-300], dtype=float64)",
                NDArray.of(new double[] {999999.5, 1e-300}).toString());
    }

    @Test
    void format_summarizedFloats_formatFromShownValuesOnly() {
        NDArray x = NDArray.zeros(DType.FLOAT64, 2000);
        x.set(1e9, 1000); // hidden by "...": must not switch the format to scientific
        x.set(0.5, 0);
        x.set(-2, 1999);
        assertEquals("tensor([ 0.5000,  0.0000,  0.0000,  ...,  0.0000,  0.0000, -2.0000], dtype=float64)",
                x.toString());
    }

    @Test
    void format_summarized3d_dotsAtEveryLevel() {
        NDArray x = NDArray.arange(8 * 8 * 20).reshape(8, 8, 20);
        String s = x.toString();
        String[] blocks = s.split("\n\n");
        // 3 blocks, "...", 3 blocks: PyTorch puts the "..." block between blank lines
        assertEquals(7, blocks.length, s);
        assertEquals("        ...,", blocks[3]);
        assertTrue(blocks[0].startsWith("tensor([[[   0,    1,    2,  ...,   17,   18,   19],\n"), blocks[0]);
        assertTrue(blocks[0].contains("\n         ...,\n"), blocks[0]);
        assertTrue(s.endsWith("1277, 1278, 1279]]], dtype=int64)"), s);
    }
}
