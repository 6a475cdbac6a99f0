package io.ember.examples;

import io.ember.nn.Conv2d;
import io.ember.nn.Embedding;
import io.ember.nn.Flatten;
import io.ember.nn.LSTM;
import io.ember.nn.Linear;
import io.ember.nn.MaxPool2d;
import io.ember.nn.Module;
import io.ember.nn.ModuleRegistry;
import io.ember.nn.ReLU;
import io.ember.nn.Sequential;
import io.ember.autograd.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;

/** The models of ../shared/PROTOCOL.md, shared by the examples and the benchmark harness. */
public final class Models {
    private Models() {
    }

    /** 784 -> 256 ReLU -> 128 ReLU -> 10, on flattened images [N, 784]. */
    public static Sequential mlp() {
        return new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(),
                new Linear(128, 10));
    }

    /** conv(1->32) ReLU pool -> conv(32->64) ReLU pool -> 3136 -> 128 ReLU -> 10, on images [N, 1, 28, 28]. */
    public static Sequential cnn() {
        return new Sequential(
                new Conv2d(1, 32, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(64 * 7 * 7, 128), new ReLU(), new Linear(128, 10));
    }

    /**
     * A character-level language model: embedding, LSTM (layers, bidirectional and dropout between layers as
     * configured), Linear to the vocabulary. Input [B, T] INT64 character ids, output logits [B, T, vocab].
     * Registered as "CharLstm" so that model files rebuild it.
     */
    public static final class CharLstm extends Module {
        static {
            ModuleRegistry.register("CharLstm", c -> new CharLstm(num(c, "vocab"), num(c, "embed"),
                    num(c, "hidden"), num(c, "layers"), (Boolean) c.get("bidirectional"),
                    ((Number) c.get("dropout")).doubleValue()));
        }

        private final int vocab;
        private final int embed;
        private final int hidden;
        private final int layers;
        private final boolean bidirectional;
        private final double dropout;
        private final Embedding embedding;
        private final LSTM lstm;
        private final Linear head;

        public CharLstm(int vocab, int embed, int hidden, int layers, boolean bidirectional, double dropout) {
            this.vocab = vocab;
            this.embed = embed;
            this.hidden = hidden;
            this.layers = layers;
            this.bidirectional = bidirectional;
            this.dropout = dropout;
            embedding = registerModule("embedding", new Embedding(vocab, embed));
            lstm = registerModule("lstm", new LSTM(embed, hidden, layers, true, true, dropout, bidirectional));
            head = registerModule("head", new Linear(bidirectional ? 2 * hidden : hidden, vocab));
        }

        /** Makes sure the type is registered (class initialisation) before a model file is loaded. */
        public static void register() {
        }

        @Override
        public Tensor forward(Tensor ids) {
            return head.forward(lstm.forward(embedding.forward(ids)));
        }

        @Override
        public Map<String, Object> config() {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("vocab", vocab);
            c.put("embed", embed);
            c.put("hidden", hidden);
            c.put("layers", layers);
            c.put("bidirectional", bidirectional);
            c.put("dropout", dropout);
            return c;
        }

        private static int num(Map<String, Object> c, String k) {
            Object v = c.get(k);
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException("CharLstm: config '" + k + "' must be a number, got " + v);
            }
            return n.intValue();
        }
    }
}
