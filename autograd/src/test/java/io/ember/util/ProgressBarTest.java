package io.ember.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long S = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    @Test
    void terminal_redrawsOneLine_withBarRateAndEta() {
        ProgressBar bar = ProgressBar.builder(938).prefix("epoch 2/3").width(10).mode(ProgressBar.Mode.TERMINAL)
                .out(out).clock(now::get).build();
        now.set(16 * S);
        // 512/938 of 10 columns = 5.46 -> 5 filled; 37040 samples in 16 s = 2315/s; 16 s / 512 * 426 = 13.3 s
        bar.update(512, 0.41234, 37040);
        String first = "\repoch 2/3 [=====>    ] 512/938 loss 0.4123 2 315 samples/s ETA 0:13";
        assertEquals(first, output());
        now.set(16 * S + 50_000_000L); // 50 ms later: not redrawn
        bar.update(600, 0.4, 40000);
        assertEquals(first, output());
        now.set(20 * S); // loss left out: the shorter line is padded over the old one
        bar.update(700);
        String second = "\repoch 2/3 [=======>  ] 700/938 ETA 0:07";
        String pad = " ".repeat(first.length() - second.length());
        assertEquals(first + second + pad, output());
        now.set(30 * S);
        bar.update(938, 0.30119, 69450);
        bar.close();
        String done = "\repoch 2/3 [==========] 938/938 loss 0.3012 2 315 samples/s";
        String fin = "\repoch 2/3 [==========] 938/938 loss 0.3012 2 315 samples/s time 0:30\n";
        assertEquals(first + second + pad + done + fin, output());
        bar.close();
        assertEquals(first + second + pad + done + fin, output(), "close is idempotent");
        assertEquals("ProgressBar: update after close",
                assertThrows(IllegalStateException.class, () -> bar.update(1)).getMessage());
    }

    @Test
    void log_everyQuarter_plainLinesAndFinal() {
        ProgressBar bar = ProgressBar.builder(10).prefix("train").mode(ProgressBar.Mode.LOG).logEvery(0.25)
                .out(out).clock(now::get).build();
        for (int step = 1; step <= 10; step++) {
            now.set(step * S);
            bar.update(step, 1.0 / step, step * 100L);
        }
        bar.close();
        // 30% crosses 25%, 50% reaches 50%, 80% crosses 75%; one step per second so ETA = steps left
        assertEquals("train 3/10 (30%) loss 0.3333 100 samples/s ETA 0:07\n"
                + "train 5/10 (50%) loss 0.2000 100 samples/s ETA 0:05\n"
                + "train 8/10 (80%) loss 0.1250 100 samples/s ETA 0:02\n"
                + "train 10/10 (100%) loss 0.1000 100 samples/s time 0:10\n", output());
    }

    @Test
    void log_everySeconds_timeInterval() {
        ProgressBar bar = ProgressBar.builder(100).mode(ProgressBar.Mode.LOG).logEvery(0).logEverySeconds(5)
                .out(out).clock(now::get).build();
        for (int step = 1; step <= 12; step++) {
            now.set(step * S);
            bar.advance(Double.NaN, 0);
        }
        bar.close();
        // lines at 5 s and 10 s; each step takes 1 s so ETA = 95 s and 90 s
        assertEquals("5/100 (5%) ETA 1:35\n10/100 (10%) ETA 1:30\n12/100 (12%) time 0:12\n", output());
    }

    @Test
    void advance_accumulatesStepsAndSamples() {
        ProgressBar bar = ProgressBar.builder(4).mode(ProgressBar.Mode.LOG).logEvery(0.5).out(out).clock(now::get)
                .build();
        now.set(2 * S);
        bar.advance(2.0, 32);
        bar.advance(1.0, 32); // 64 samples in 2 s
        assertEquals("2/4 (50%) loss 1.0000 32 samples/s ETA 0:02\n", output());
    }

    @Test
    void formatting_groupsAndDurations() {
        assertEquals("7", ProgressBar.group(7));
        assertEquals("2 315", ProgressBar.group(2315));
        assertEquals("1 234 567", ProgressBar.group(1234567));
        assertEquals("0:00", ProgressBar.duration(0.4));
        assertEquals("1:05", ProgressBar.duration(65));
        assertEquals("1:02:05", ProgressBar.duration(3725));
        assertEquals("ProgressBar: total must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> ProgressBar.builder(0)).getMessage());
    }
}
