package io.ember.data;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits CSV text into records (RFC 4180): fields separated by the delimiter, optionally quoted
 * with {@code "}, a doubled quote standing for one, delimiters and line breaks allowed inside
 * quotes; {@code \n}, {@code \r\n} and {@code \r} end a record. Tracks the line each record starts on.
 */
final class CsvTokenizer {
    private final Reader in;
    private final char delimiter;
    private final String source;
    private int line = 1;
    private int pushed = -2;
    private boolean first = true;
    private int recordLine;

    CsvTokenizer(Reader in, char delimiter, String source) {
        this.in = in;
        this.delimiter = delimiter;
        this.source = source;
    }

    /** The line on which the last record returned by {@link #next()} started (1-based). */
    int recordLine() {
        return recordLine;
    }

    private int read() throws IOException {
        if (pushed != -2) {
            int c = pushed;
            pushed = -2;
            return c;
        }
        int c = in.read();
        if (first) {
            first = false;
            if (c == '\uFEFF') { // byte order mark
                c = in.read();
            }
        }
        return c;
    }

    /** Consumes a line break starting with {@code c}; true if {@code c} was one. */
    private boolean lineBreak(int c) throws IOException {
        if (c == '\n') {
            line++;
            return true;
        }
        if (c == '\r') {
            int d = read();
            if (d != '\n') {
                pushed = d;
            }
            line++;
            return true;
        }
        return false;
    }

    /** The next record's fields, or null at the end of the input. */
    List<String> next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        while (true) {
            if (c == '"' && field.length() == 0) {
                int quoteLine = line;
                while (true) {
                    int d = read();
                    if (d == -1) {
                        throw new IOException("CsvReader: " + source + " line " + quoteLine + ", column "
                                + (fields.size() + 1) + ": quoted field never closed");
                    }
                    if (d == '"') {
                        int e = read();
                        if (e == '"') {
                            field.append('"');
                            continue;
                        }
                        c = e;
                        break;
                    }
                    if (d == '\r' || d == '\n') {
                        lineBreak(d);
                        field.append('\n');
                        continue;
                    }
                    field.append((char) d);
                }
                if (c != delimiter && c != -1 && c != '\n' && c != '\r') {
                    throw new IOException("CsvReader: " + source + " line " + line + ", column " + (fields.size() + 1)
                            + ": expected a delimiter after the closing quote, found '" + (char) c + "'");
                }
                continue;
            }
            if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                c = read();
                continue;
            }
            if (c == -1 || lineBreak(c)) {
                fields.add(field.toString());
                return fields;
            }
            field.append((char) c);
            c = read();
        }
    }
}
