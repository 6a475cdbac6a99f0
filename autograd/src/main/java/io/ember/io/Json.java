package io.ember.io;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON reader and writer (RFC 8259) for model files. Reading gives {@link LinkedHashMap} for objects
 * (key order kept), {@link List} for arrays, {@link Long} for integers, {@link Double} for numbers with a fraction or
 * exponent, {@link String}, {@link Boolean} and {@code null}. It rejects anything outside the grammar (trailing commas,
 * comments, {@code NaN}, leading zeros, duplicate keys, control characters in strings, trailing content) with an
 * {@link IllegalArgumentException} naming the line, column and offset; nesting deeper than {@link #MAX_DEPTH} and
 * texts longer than {@link #MAX_LENGTH} are refused so that a hostile file cannot exhaust the stack or the heap.
 */
public final class Json {
    /** The deepest nesting of arrays and objects that is read or written. */
    public static final int MAX_DEPTH = 256;
    /** The longest text (in chars) that {@link #parse} accepts. */
    public static final int MAX_LENGTH = 100 * 1024 * 1024;

    private final String s;
    private int pos;

    private Json(String s) {
        this.s = s;
    }

    // ------------------------------------------------------------------ reading

    /** Parses one JSON value (surrounded by optional whitespace). */
    public static Object parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("Json.parse: text is null");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Json.parse: text has " + text.length() + " chars, more than the limit "
                    + MAX_LENGTH);
        }
        Json p = new Json(text);
        p.skipWs();
        Object v = p.value(0);
        p.skipWs();
        if (p.pos < text.length()) {
            throw p.error("expected end of input", p.pos);
        }
        return v;
    }

    /** Parses a JSON object; fails if the text holds another kind of value. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object v = parse(text);
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("Json.parse: expected an object, found " + typeOf(v));
        }
        return (Map<String, Object>) v;
    }

    static String typeOf(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return "a number (" + v + ")";
    }

    private IllegalArgumentException error(String expected, int at) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < at && i < s.length(); i++) {
            if (s.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        String found = at >= s.length() ? "end of input" : "'" + printable(s.charAt(at)) + "'";
        return new IllegalArgumentException("Json.parse: " + expected + " at line " + line + ", column " + col
                + " (offset " + at + "), found " + found);
    }

    private static String printable(char c) {
        return c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c);
    }

    private void skipWs() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private Object value(int depth) {
        if (pos >= s.length()) {
            throw error("expected a value", pos);
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("expected a value", pos);
        }
    }

    private Object literal(String word, Object v) {
        if (!s.startsWith(word, pos)) {
            throw error("expected '" + word + "'", pos);
        }
        pos += word.length();
        return v;
    }

    private void checkDepth(int depth) {
        if (depth > MAX_DEPTH) {
            throw error("nesting deeper than " + MAX_DEPTH + " levels", pos);
        }
    }

    private Map<String, Object> object(int depth) {
        checkDepth(depth);
        pos++; // {
        Map<String, Object> out = new LinkedHashMap<>();
        skipWs();
        if (pos < s.length() && s.charAt(pos) == '}') {
            pos++;
            return out;
        }
        while (true) {
            skipWs();
            if (pos >= s.length() || s.charAt(pos) != '"') {
                throw error("expected a string key", pos);
            }
            int keyAt = pos;
            String key = string();
            if (out.containsKey(key)) {
                throw error("duplicate key \"" + key + "\"", keyAt);
            }
            skipWs();
            if (pos >= s.length() || s.charAt(pos) != ':') {
                throw error("expected ':'", pos);
            }
            pos++;
            skipWs();
            out.put(key, value(depth));
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
            } else if (pos < s.length() && s.charAt(pos) == '}') {
                pos++;
                return out;
            } else {
                throw error("expected ',' or '}'", pos);
            }
        }
    }

    private List<Object> array(int depth) {
        checkDepth(depth);
        pos++; // [
        List<Object> out = new ArrayList<>();
        skipWs();
        if (pos < s.length() && s.charAt(pos) == ']') {
            pos++;
            return out;
        }
        while (true) {
            skipWs();
            out.add(value(depth));
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ',') {
                pos++;
            } else if (pos < s.length() && s.charAt(pos) == ']') {
                pos++;
                return out;
            } else {
                throw error("expected ',' or ']'", pos);
            }
        }
    }

    private String string() {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= s.length()) {
                throw error("unterminated string", pos);
            }
            char c = s.charAt(pos);
            if (c == '"') {
                String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                pos++;
                return out;
            }
            if (c < 0x20) {
                throw error("control character in string (escape it)", pos);
            }
            if (c != '\\') {
                pos++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(s, start, pos);
            pos++;
            if (pos >= s.length()) {
                throw error("unterminated string", pos);
            }
            char e = s.charAt(pos);
            switch (e) {
                case '"' -> sb.append('"');
                case '\\' -> sb.append('\\');
                case '/' -> sb.append('/');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    if (pos + 4 >= s.length()) {
                        throw error("expected 4 hex digits after \\u", pos + 1);
                    }
                    int v = 0;
                    for (int i = 1; i <= 4; i++) {
                        int d = Character.digit(s.charAt(pos + i), 16);
                        if (d < 0) {
                            throw error("expected 4 hex digits after \\u", pos + i);
                        }
                        v = v * 16 + d;
                    }
                    sb.append((char) v);
                    pos += 4;
                }
                default -> throw error("invalid escape", pos);
            }
            pos++;
            start = pos;
        }
    }

    private Object number() {
        int start = pos;
        boolean integral = true;
        if (s.charAt(pos) == '-') {
            pos++;
        }
        if (pos < s.length() && s.charAt(pos) == '0') {
            pos++;
            if (pos < s.length() && isDigit(s.charAt(pos))) {
                throw error("leading zero in number", pos - 1);
            }
        } else {
            digits();
        }
        if (pos < s.length() && s.charAt(pos) == '.') {
            integral = false;
            pos++;
            digits();
        }
        if (pos < s.length() && (s.charAt(pos) == 'e' || s.charAt(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < s.length() && (s.charAt(pos) == '+' || s.charAt(pos) == '-')) {
                pos++;
            }
            digits();
        }
        String text = s.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw error("integer outside the range of a long", start);
            }
        }
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
            throw error("number outside the range of a double", start);
        }
        return d;
    }

    private void digits() {
        if (pos >= s.length() || !isDigit(s.charAt(pos))) {
            throw error("expected a digit", pos);
        }
        while (pos < s.length() && isDigit(s.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    // ------------------------------------------------------------------ writing

    /**
     * Writes a value as compact JSON: maps with string keys, collections and arrays of objects, strings, booleans,
     * null, integral numbers ({@code Long}, {@code Integer}, ...) and finite {@code Double}/{@code Float}. Anything
     * else (including NaN and infinities) fails naming where in the value it sits.
     */
    public static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(sb, value, "$", 0);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object v, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("Json.write: nesting deeper than " + MAX_DEPTH + " levels at " + path);
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String str) {
            quote(sb, str);
        } else if (v instanceof Boolean b) {
            sb.append(b.booleanValue());
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            sb.append(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("Json.write: " + d + " at " + path + " has no JSON form");
            }
            sb.append(v instanceof Float f ? Float.toString(f) : Double.toString(d));
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("Json.write: object key " + e.getKey() + " at " + path
                            + " is not a string");
                }
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, key);
                sb.append(':');
                write(sb, e.getValue(), path + "." + key, depth + 1);
            }
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            writeArray(sb, c.toArray(), path, depth);
        } else if (v instanceof Object[] a) {
            writeArray(sb, a, path, depth);
        } else if (v instanceof long[] a) {
            writeArray(sb, java.util.Arrays.stream(a).boxed().toArray(), path, depth);
        } else if (v instanceof int[] a) {
            writeArray(sb, java.util.Arrays.stream(a).boxed().toArray(), path, depth);
        } else if (v instanceof double[] a) {
            writeArray(sb, java.util.Arrays.stream(a).boxed().toArray(), path, depth);
        } else {
            throw new IllegalArgumentException("Json.write: " + v.getClass().getName() + " at " + path
                    + " is not a JSON value (use maps, lists, strings, numbers, booleans or null)");
        }
    }

    private static void writeArray(StringBuilder sb, Object[] a, String path, int depth) {
        sb.append('[');
        for (int i = 0; i < a.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            write(sb, a[i], path + "[" + i + "]", depth + 1);
        }
        sb.append(']');
    }

    private static void quote(StringBuilder sb, String str) {
        sb.append('"');
        for (int i = 0; i < str.length(); i++) {
            char c = str.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
