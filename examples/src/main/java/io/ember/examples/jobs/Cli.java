package io.ember.examples.jobs;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The jobs' command line: {@code --name value} or {@code --name=value} options with defaults, flags (no value),
 * repeatable options, and {@code --help}. A mistake becomes a {@link UsageException} whose message is one line
 * naming the option and what was expected.
 */
final class Cli {
    /** A mistake on the command line (the job exits with status 2). */
    static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private record Opt(String name, String def, String help, boolean flag, boolean repeatable, boolean required,
            String placeholder) {
    }

    /** Width of the help's lines. */
    private static final int WIDTH = 110;
    /** Column where the descriptions start. */
    private static final int INDENT = 30;

    private final String usage;
    private final Map<String, Opt> opts = new LinkedHashMap<>();
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private final Map<Integer, String> sectionAt = new LinkedHashMap<>();

    Cli(String usage) {
        this.usage = usage;
    }

    /** Starts a titled group of options in the help. */
    Cli section(String title) {
        sectionAt.put(opts.size(), title);
        return this;
    }

    /** An option with a default (null: none); {@code placeholder} names its value in the help. */
    Cli option(String name, String placeholder, String def, String help) {
        return add(new Opt(name, def, help, false, false, false, placeholder));
    }

    /** An option that must be given. */
    Cli required(String name, String placeholder, String help) {
        return add(new Opt(name, null, help, false, false, true, placeholder));
    }

    /** A flag: present or absent, no value. */
    Cli flag(String name, String help) {
        return add(new Opt(name, null, help, true, false, false, null));
    }

    /** An option that may be given several times. */
    Cli repeatable(String name, String placeholder, String help) {
        return add(new Opt(name, null, help, false, true, false, placeholder));
    }

    /** Another accepted spelling of {@code name} (not shown in the help). */
    Cli alias(String alias, String name) {
        aliases.put(alias, name);
        return this;
    }

    private Cli add(Opt o) {
        if (opts.put(o.name, o) != null) {
            throw new IllegalStateException("option --" + o.name + " declared twice");
        }
        return this;
    }

    /** Whether {@code argv} asks for the help. */
    static boolean wantsHelp(String[] argv) {
        for (String a : argv) {
            if (a.equals("--help") || a.equals("-h")) {
                return true;
            }
        }
        return false;
    }

    /** Prints the usage and every option with its help and default. */
    void printHelp(PrintStream out) {
        out.println(usage);
        int i = 0;
        for (Opt o : opts.values()) {
            if (sectionAt.containsKey(i)) {
                out.println();
                out.println(sectionAt.get(i) + ":");
            }
            String name = "--" + o.name + (o.flag ? "" : " " + o.placeholder);
            String tail = o.required ? " (required)" : o.def != null ? " (default " + o.def + ")" : "";
            out.print(wrap(String.format("  %-" + (INDENT - 3) + "s %s%s", name, o.help, tail)));
            i++;
        }
    }

    /** {@code line} broken at spaces into lines of at most {@link #WIDTH}, continuations indented. */
    static String wrap(String line) {
        StringBuilder b = new StringBuilder();
        String rest = line;
        while (rest.length() > WIDTH) {
            int cut = rest.lastIndexOf(' ', WIDTH);
            if (cut <= INDENT) {
                break;
            }
            b.append(rest, 0, cut).append(System.lineSeparator());
            rest = " ".repeat(INDENT) + rest.substring(cut + 1);
        }
        return b.append(rest).append(System.lineSeparator()).toString();
    }

    /** The given values: flags map to "true", repeatable options to their values joined by '\n'. */
    Map<String, String> parse(String[] argv) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "' (options start with --; --help lists them)");
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            name = aliases.getOrDefault(name, name);
            Opt o = opts.get(name);
            if (o == null) {
                throw new UsageException("unknown option '--" + name + "' (--help lists the options)");
            }
            if (o.flag) {
                if (value != null) {
                    throw new UsageException("option --" + name + " is a flag and takes no value");
                }
                value = "true";
            } else if (value == null) {
                if (i + 1 >= argv.length) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                value = argv[++i];
            }
            if (o.repeatable && values.containsKey(name)) {
                values.put(name, values.get(name) + "\n" + value);
            } else if (values.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        for (Opt o : opts.values()) {
            if (o.required && !values.containsKey(o.name)) {
                throw new UsageException("option --" + o.name + " is required (" + o.help + ")");
            }
        }
        return values;
    }

    /** The value of {@code name}: given, else its default (may be null). */
    String get(Map<String, String> values, String name) {
        Opt o = opts.get(name);
        if (o == null) {
            throw new IllegalStateException("no option --" + name);
        }
        return values.getOrDefault(name, o.def);
    }

    static String camelToKebab(String camel) {
        StringBuilder b = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                b.append('-').append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
