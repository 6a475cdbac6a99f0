package io.ember.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads kernel sources and PTX for the host-side tests: entry names and the fields of by-value structs. */
final class KernelSources {
    private KernelSources() {
    }

    /** Asserts that the module's PTX has a {@code .visible .entry name(}. */
    static void assertEntry(String module, String name) {
        String ptx = new String(Kernels.ptx(module), StandardCharsets.UTF_8);
        assertTrue(ptx.contains(".visible .entry " + name + "("), "module " + module + " has no kernel " + name);
    }

    /** The field names of {@code struct name { int64_t a, b; ... };} in a file of gpu/src/main/cuda, in order. */
    static List<String> structFields(String file, String struct) throws IOException {
        String src = Files.readString(Path.of("src/main/cuda", file));
        Matcher m = Pattern.compile("struct " + struct + " \\{(.*?)\\};", Pattern.DOTALL).matcher(src);
        assertTrue(m.find(), "no struct " + struct + " in " + file);
        List<String> fields = new ArrayList<>();
        for (String line : m.group(1).split("\n")) {
            String code = line.replaceAll("//.*", "").trim();
            if (code.isEmpty()) {
                continue;
            }
            assertTrue(code.startsWith("int64_t ") && code.endsWith(";"), "unexpected field line: " + code);
            for (String f : code.substring(8, code.length() - 1).split(",")) {
                fields.add(f.trim());
            }
        }
        return fields;
    }
}
