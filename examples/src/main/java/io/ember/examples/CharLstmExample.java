package io.ember.examples;

import io.ember.autograd.Autograd;
import io.ember.autograd.Tensor;
import io.ember.io.ModelIO;
import io.ember.nn.CrossEntropyLoss;
import io.ember.nn.Module;
import io.ember.nn.utils.ClipGrad;
import io.ember.optim.Adam;
import io.ember.tensor.Generator;
import io.ember.tensor.NDArray;
import io.ember.tensor.Threads;
import io.ember.util.ProgressBar;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;

/**
 * A character-level LSTM language model: learns to predict the next character of a text, then writes new text
 * from a prompt. The text defaults to the GPL-3 licence Debian ships ({@code /usr/share/common-licenses/GPL-3}),
 * else this project's README. Run: {@code examples/example.sh char-lstm --help}; the seed tutorial's bidirectional
 * multi-layer LSTM with dropout is {@code --layers 2 --bidirectional true --dropout 0.2}.
 */
public final class CharLstmExample {
    private CharLstmExample() {
    }

    public static void main(String[] argv) throws Exception {
        Args a = new Args("Character-level LSTM: examples/example.sh char-lstm [options]", argv)
                .option("text", null, "text file to learn (default /usr/share/common-licenses/GPL-3, else README.md)")
                .option("steps", "600", "training steps")
                .option("seq", "64", "sequence length")
                .option("batch", "32", "sequences per step")
                .option("embed", "64", "embedding size")
                .option("hidden", "256", "LSTM hidden size")
                .option("layers", "1", "LSTM layers")
                .option("bidirectional", "false", "bidirectional LSTM")
                .option("dropout", "0", "dropout between LSTM layers")
                .option("lr", "3e-3", "Adam learning rate")
                .option("seed", "42", "seed")
                .option("prompt", "This License", "text to start generating from")
                .option("generate", "300", "characters to generate")
                .option("temperature", "0.6", "sampling temperature")
                .option("save", "target/char-lstm", "directory to save the model to")
                .parse();
        Path path = a.get("text") != null ? Path.of(a.get("text")) : defaultText();
        String text = Files.readString(path, StandardCharsets.UTF_8);
        TreeSet<Character> set = new TreeSet<>();
        for (char c : text.toCharArray()) {
            set.add(c);
        }
        String vocab = set.stream().map(String::valueOf).reduce("", String::concat);
        long[] ids = new long[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.indexOf(text.charAt(i));
        }
        int seq = a.getInt("seq");
        int batch = a.getInt("batch");
        if (ids.length < seq + 2) {
            throw new IllegalArgumentException("char-lstm: " + path + " has " + ids.length
                    + " characters, fewer than --seq + 2 = " + (seq + 2));
        }
        System.out.printf("text %s: %,d characters, vocabulary %d; %d threads%n", path, ids.length, vocab.length(),
                Threads.get());
        Generator.manualSeed(a.getInt("seed"));
        Models.CharLstm model = new Models.CharLstm(vocab.length(), a.getInt("embed"), a.getInt("hidden"),
                a.getInt("layers"), Boolean.parseBoolean(a.get("bidirectional")), a.getDouble("dropout"));
        System.out.println(model);
        Adam optimizer = new Adam(model.parameters(), a.getDouble("lr"));
        CrossEntropyLoss criterion = new CrossEntropyLoss();
        NDArray all = NDArray.of(ids, ids.length);
        Generator g = new Generator(a.getInt("seed"));
        int steps = a.getInt("steps");
        long t0 = System.nanoTime();
        double first = Double.NaN;
        double last = 0;
        try (ProgressBar bar = ProgressBar.builder(steps).prefix("char-lstm").build()) {
            for (int s = 0; s < steps; s++) {
                NDArray[] xy = windows(all, seq, batch, g);
                optimizer.zeroGrad();
                Tensor logits = model.forward(Tensor.of(xy[0]));
                Tensor loss = criterion.forward(logits.reshape(-1, vocab.length()), Tensor.of(xy[1].reshape(-1)));
                loss.backward();
                ClipGrad.clipGradNorm(model.parameters(), 1.0);
                optimizer.step();
                last = loss.item();
                if (s == 0) {
                    first = last;
                }
                bar.advance(last, (long) batch * seq);
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("loss %.3f -> %.3f over %d steps, %.0f tokens/s%n", first, last, steps,
                (double) steps * batch * seq / secs);
        Path dir = Path.of(a.get("save"));
        ModelIO.save(model, dir);
        Models.CharLstm.register();
        Module reloaded = ModelIO.load(dir);
        String prompt = a.get("prompt");
        String sample = generate(reloaded, vocab, prompt, a.getInt("generate"), a.getDouble("temperature"), seq,
                new Generator(a.getInt("seed")));
        System.out.println("saved to " + dir + "; generated by the reloaded model:\n" + prompt + sample);
    }

    private static Path defaultText() {
        Path gpl = Path.of("/usr/share/common-licenses/GPL-3");
        return Files.isReadable(gpl) ? gpl : Path.of("README.md");
    }

    /** A batch of random windows: inputs [batch, seq] and the next characters [batch, seq]. */
    static NDArray[] windows(NDArray all, int seq, int batch, Generator g) {
        NDArray starts = NDArray.randint(g, 0, all.size(0) - seq - 1, batch, 1);
        NDArray offsets = starts.add(NDArray.arange(seq + 1).unsqueeze(0));
        NDArray chunk = all.indexSelect(0, offsets.reshape(-1)).reshape(batch, seq + 1);
        return new NDArray[] {chunk.narrow(1, 0, seq), chunk.narrow(1, 1, seq)};
    }

    /** Samples {@code n} characters after {@code prompt}, re-reading the last {@code window} characters each time. */
    static String generate(Module model, String vocab, String prompt, int n, double temperature, int window,
            Generator g) {
        model.eval();
        StringBuilder context = new StringBuilder();
        for (char c : prompt.toCharArray()) {
            context.append(vocab.indexOf(c) >= 0 ? c : vocab.charAt(0));
        }
        StringBuilder out = new StringBuilder();
        try (Autograd.Scope s = Autograd.inferenceMode()) {
            for (int i = 0; i < n; i++) {
                String ctx = context.substring(Math.max(0, context.length() - window));
                long[] ids = new long[ctx.length()];
                for (int k = 0; k < ids.length; k++) {
                    ids[k] = vocab.indexOf(ctx.charAt(k));
                }
                NDArray logits = model.forward(Tensor.of(NDArray.of(ids, 1, ids.length))).data();
                NDArray lastStep = logits.select(1, ids.length - 1).select(0, 0);
                double[] p = lastStep.div(temperature).softmax(0).toDoubleArray();
                double u = g.nextDouble();
                int next = p.length - 1;
                for (int k = 0; k < p.length; k++) {
                    u -= p[k];
                    if (u <= 0) {
                        next = k;
                        break;
                    }
                }
                char c = vocab.charAt(next);
                context.append(c);
                out.append(c);
            }
        }
        return out.toString();
    }
}
