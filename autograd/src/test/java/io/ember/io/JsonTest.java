package io.ember.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parse_allValueKinds_givesJavaTypes() {
        Map<String, Object> m = Json.parseObject(
                " {\"b\": [1, -2.5, 3e2, true, false, null],"
                + " \"a\": \"x\\\"\\\\\\/\\n\\t\\u00e9\\ud83d\\ude00\", \"c\": {}}\n");
        assertEquals(List.of("b", "a", "c"), List.copyOf(m.keySet())); // insertion order kept
        List<?> b = (List<?>) m.get("b");
        assertEquals(1L, b.get(0));
        assertEquals(-2.5, b.get(1));
        assertEquals(300.0, b.get(2));
        assertEquals(Boolean.TRUE, b.get(3));
        assertEquals(Boolean.FALSE, b.get(4));
        assertNull(b.get(5));
        assertEquals("x\"\\/\n\t\u00e9\ud83d\ude00", m.get("a"));
        assertInstanceOf(LinkedHashMap.class, m.get("c"));
    }

    @Test
    void parse_longExtremes_exact() {
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
    }

    @Test
    void writeThenParse_roundTripsExactly() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("lr", 0.1);
        m.put("tiny", 4.9e-324);
        m.put("seed", -6148914691236517206L);
        m.put("name", "tab\there \"q\" \u0001 é");
        m.put("list", List.of(1L, 2.0, "s", false));
        m.put("nested", Map.of("k", List.of()));
        m.put("none", null);
        String text = Json.write(m);
        assertEquals(m, Json.parse(text));
        assertTrue(text.contains("\\u0001"), text);
    }

    @Test
    void write_floatAndIntArrays_readBackAsDoubleAndLong() {
        assertEquals("[0.1,1,[2,3]]", Json.write(Arrays.asList(0.1f, 1, new int[] {2, 3})));
        assertEquals(List.of(0.1, 1L, List.of(2L, 3L)), Json.parse("[0.1,1,[2,3]]"));
    }

    @Test
    void write_nonJsonValues_failNamingPath() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Json.write(Map.of("opt", List.of(1.0, Double.NaN))));
        assertEquals("Json.write: NaN at $.opt[1] has no JSON form", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of("t", new Object())));
        assertTrue(e.getMessage().startsWith("Json.write: java.lang.Object at $.t is not a JSON value"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, 2)));
        assertEquals("Json.write: object key 1 at $ is not a string", e.getMessage());
    }

    @Test
    void parse_malformed_failsNamingPosition() {
        assertError("{\"a\": 1,}", "expected a string key at line 1, column 9 (offset 8), found '}'");
        assertError("[1 2]", "expected ',' or ']' at line 1, column 4 (offset 3), found '2'");
        assertError("{\"a\":\n  tru}", "expected 'true' at line 2, column 3 (offset 8), found 't'");
        assertError("01", "leading zero in number at line 1, column 1 (offset 0), found '0'");
        assertError("NaN", "expected a value at line 1, column 1 (offset 0), found 'N'");
        assertError("1.", "expected a digit at line 1, column 3 (offset 2), found end of input");
        assertError("\"abc", "unterminated string at line 1, column 5 (offset 4), found end of input");
        assertError("\"a\tb\"",
                "control character in string (escape it) at line 1, column 3 (offset 2), found '\\u0009'");
        assertError("\"\\x\"", "invalid escape at line 1, column 3 (offset 2), found 'x'");
        assertError("{\"a\":1,\"a\":2}", "duplicate key \"a\" at line 1, column 8 (offset 7), found '\"'");
        assertError("{} {}", "expected end of input at line 1, column 4 (offset 3), found '{'");
        assertError("99999999999999999999",
                "integer outside the range of a long at line 1, column 1 (offset 0), found '9'");
        assertError("// c\n{}", "expected a value at line 1, column 1 (offset 0), found '/'");
        assertError("", "expected a value at line 1, column 1 (offset 0), found end of input");
    }

    @Test
    void parse_hostileNesting_failsWithoutStackOverflow() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().startsWith("Json.parse: nesting deeper than 256 levels at line 1, column 257"),
                e.getMessage());
        String ok = "[".repeat(256) + "]".repeat(256);
        assertInstanceOf(List.class, Json.parse(ok));
    }

    @Test
    void parseObject_array_fails() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parseObject("[1]"));
        assertEquals("Json.parse: expected an object, found an array", e.getMessage());
    }

    private static void assertError(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text));
        assertEquals("Json.parse: " + expected, e.getMessage());
    }
}
