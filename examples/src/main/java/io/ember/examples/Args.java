package io.ember.examples;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line options with defaults, and {@code --help}. */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final String usage;
    private final String[] argv;

    Args(String usage, String[] argv) {
        this.usage = usage;
        this.argv = argv;
    }

    /** Declares an option with its default (null: none) and description. */
    Args option(String name, String def, String description) {
        values.put(name, def);
        help.put(name, description + (def == null ? "" : " (default " + def + ")"));
        return this;
    }

    /** Parses the arguments; prints help and exits for --help; fails naming an unknown option. */
    Args parse() {
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("--help") || a.equals("-h")) {
                System.out.println(usage);
                help.forEach((k, v) -> System.out.printf("  --%-12s %s%n", k, v));
                System.exit(0);
            }
            if (!a.startsWith("--") || !values.containsKey(a.substring(2))) {
                throw new IllegalArgumentException("unknown option '" + a + "'; options: " + values.keySet()
                        + " (--help for details)");
            }
            if (i + 1 >= argv.length) {
                throw new IllegalArgumentException("option " + a + " needs a value");
            }
            values.put(a.substring(2), argv[++i]);
        }
        return this;
    }

    String get(String name) {
        return values.get(name);
    }

    int getInt(String name) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + ": expected an integer, got '" + values.get(name)
                    + "'");
        }
    }

    double getDouble(String name) {
        try {
            return Double.parseDouble(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option --" + name + ": expected a number, got '" + values.get(name)
                    + "'");
        }
    }
}
